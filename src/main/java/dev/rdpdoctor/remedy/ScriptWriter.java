package dev.rdpdoctor.remedy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Writes generated files into a folder, never replacing a file already there. */
public final class ScriptWriter {
  private ScriptWriter() {}

  /**
   * @return the paths written; throws with a user-fit message when one already exists
   */
  public static List<Path> write(Path dir, List<ScriptGenerator.GeneratedFile> files)
      throws IOException {
    Files.createDirectories(dir);
    for (ScriptGenerator.GeneratedFile f : files) {
      if (Files.exists(dir.resolve(f.name()))) {
        throw new IOException(
            dir.resolve(f.name())
                + " already exists; choose an empty folder"
                + " (scripts are never overwritten)");
      }
    }
    List<Path> out = new ArrayList<>();
    for (ScriptGenerator.GeneratedFile f : files) {
      Path p = dir.resolve(f.name());
      try {
        Files.write(p, f.content(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        throw new IOException(p + " already exists; choose an empty folder");
      }
      out.add(p);
    }
    return out;
  }
}

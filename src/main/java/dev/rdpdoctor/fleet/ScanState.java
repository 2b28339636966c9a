package dev.rdpdoctor.fleet;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The append-only record of a scan for {@code --resume}: a header naming the scan, then one line
 * per finished host (its {@link HostSummary}), flushed as each host finishes. A host is in the file
 * exactly when its report was written, so a resumed scan skips it and no host is lost or scanned
 * twice. A torn last line (a killed process) is ignored, and its host scanned again.
 */
public final class ScanState implements AutoCloseable {
  static final String FORMAT = "rdpdoctor-scan-state";

  /** One summary line is far below this; longer lines are not ours. */
  static final int MAX_LINE = 64 * 1024;

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private final Path file;
  private final BufferedWriter out;
  private final Set<String> done;
  private final List<HostSummary> previous;
  private final int torn;

  private ScanState(
      Path file, BufferedWriter out, Set<String> done, List<HostSummary> previous, int torn) {
    this.file = file;
    this.out = out;
    this.done = done;
    this.previous = previous;
    this.torn = torn;
  }

  /** Thrown with a message fit to show the user. */
  public static final class BadState extends Exception {
    private static final long serialVersionUID = 1L;

    BadState(String message) {
      super(message);
    }
  }

  /**
   * Opens (or starts) the state file of the scan described by {@code scan}; a file written by a
   * different scan is refused rather than silently mixed in.
   */
  public static ScanState open(Path file, Map<String, Object> scan) throws BadState {
    Set<String> done = new HashSet<>();
    List<HostSummary> previous = new ArrayList<>();
    int torn = 0;
    try {
      boolean exists = Files.exists(file) && Files.size(file) > 0;
      if (exists) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
          List<String> all = lines.toList();
          JsonNode head = parse(all.get(0));
          if (head == null || !FORMAT.equals(head.path("format").asString(""))) {
            throw new BadState(file + " is not an rdpdoctor scan state file");
          }
          JsonNode want = MAPPER.valueToTree(scan);
          if (!want.equals(head.path("scan"))) {
            throw new BadState(
                file
                    + " belongs to another scan ("
                    + head.path("scan")
                    + "); give the same targets and options, or a new state file");
          }
          for (int i = 1; i < all.size(); i++) {
            String line = all.get(i);
            HostSummary h = line.length() > MAX_LINE ? null : summary(line);
            if (h == null) {
              torn++;
              continue;
            }
            if (done.add(h.target())) {
              previous.add(h);
            }
          }
        }
        endWithNewline(file);
      }
      BufferedWriter w =
          Files.newBufferedWriter(
              file,
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE);
      if (!exists) {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("format", FORMAT);
        head.put("version", 1);
        head.put("scan", scan);
        w.write(MAPPER.writeValueAsString(head));
        w.newLine();
        w.flush();
      }
      return new ScanState(file, w, done, previous, torn);
    } catch (IOException | RuntimeException e) {
      throw new BadState("cannot use state file " + file + ": " + e.getMessage());
    }
  }

  private static JsonNode parse(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static HostSummary summary(String line) {
    try {
      return MAPPER.readValue(line, HostSummary.class);
    } catch (JacksonException e) {
      return null;
    }
  }

  private static void endWithNewline(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      if (f.length() > 0) {
        f.seek(f.length() - 1);
        if (f.read() != '\n') {
          f.write('\n');
        }
      }
    }
  }

  /** Whether this host finished in an earlier run. */
  public boolean done(String target) {
    return done.contains(target);
  }

  /** The hosts finished in earlier runs, in the order they finished. */
  public List<HostSummary> previous() {
    return previous;
  }

  /** Lines of the file that could not be read (a torn write); their hosts are scanned again. */
  public int torn() {
    return torn;
  }

  public Path file() {
    return file;
  }

  /** Records a finished host; the line is on disk when this returns. */
  public void record(HostSummary h) throws IOException {
    out.write(MAPPER.writeValueAsString(h));
    out.newLine();
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

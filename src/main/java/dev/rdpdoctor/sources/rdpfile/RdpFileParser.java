package dev.rdpdoctor.sources.rdpfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads .rdp files leniently: a bad line is reported with its line and column and skipped, the rest
 * is still read, so one typo does not hide every other finding.
 *
 * <pre>
 *   name:type:value          one per line, CRLF (LF and CR accepted)
 *   full address:s:host:3390 value keeps its colons
 *   ^    ^       ^ ^
 *   |    |       | value: everything after the second colon
 *   |    |       type: s, i or b (case ignored)
 *   |    name: letters, digits, spaces; case-insensitive
 * </pre>
 *
 * mstsc and FreeRDP ignore lines they cannot read; so do we, but we say which.
 */
public final class RdpFileParser {
  /** mstsc files are a few KB; a megabyte is not an .rdp file. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  /** Beyond this the rest of the file is ignored (and the truncation reported). */
  public static final int MAX_LINES = 5000;

  /** Problems past this are counted, not listed: a binary file would list thousands. */
  public static final int MAX_PROBLEMS = 50;

  /** Longer than any real value (signatures are a few KB of base64). */
  public static final int MAX_LINE_CHARS = 16384;

  private RdpFileParser() {}

  /** Thrown when the file cannot be read at all; the message is fit for the user. */
  public static final class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }

  public static RdpFile read(Path path) throws Unreadable {
    try {
      if (!Files.exists(path)) {
        throw new Unreadable(path + ": no such file");
      }
      if (Files.isDirectory(path)) {
        throw new Unreadable(path + ": is a directory, not an .rdp file");
      }
      if (!Files.isRegularFile(path)) {
        // a device such as /dev/zero never ends and a FIFO may never answer: not read at all
        throw new Unreadable(
            path + ": not a regular file (a device, pipe or socket), not an" + " .rdp file");
      }
      try (InputStream in = Files.newInputStream(path)) {
        byte[] b = in.readNBytes(MAX_FILE_BYTES + 1);
        if (b.length > MAX_FILE_BYTES) {
          throw new Unreadable(
              path + ": larger than " + MAX_FILE_BYTES + " bytes, not an .rdp file");
        }
        return parse(b);
      }
    } catch (IOException e) {
      throw new Unreadable(path + ": cannot read (" + e.getMessage() + ")");
    }
  }

  public static RdpFile parse(byte[] bytes) {
    RdpEncoding enc = RdpEncoding.detect(bytes);
    String text = enc.decode(bytes);
    List<RdpFileProblem> problems = new ArrayList<>();
    int[] dropped = {0};
    if (enc.charset().equals(java.nio.charset.StandardCharsets.UTF_16LE)
        && ((bytes.length - enc.bom().length) & 1) == 1) {
      add(
          problems,
          dropped,
          new RdpFileProblem(
              1, 1, "odd number of bytes for UTF-16: the last byte is ignored (file cut short?)"));
    }
    String sep =
        text.contains("\r\n")
            ? "\r\n"
            : text.contains("\n") ? "\n" : text.contains("\r") ? "\r" : "\r\n";
    List<RdpFile.Line> lines = new ArrayList<>();
    boolean finalNewline = false;
    boolean truncated = false;
    int pos = 0;
    int lineNo = 0;
    while (pos < text.length()) {
      if (lineNo >= MAX_LINES) {
        truncated = true;
        add(
            problems,
            dropped,
            new RdpFileProblem(
                lineNo + 1,
                1,
                "more than " + MAX_LINES + " lines: the rest of the file is ignored"));
        break;
      }
      int end = pos;
      while (end < text.length() && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
        end++;
      }
      String raw = text.substring(pos, end);
      lineNo++;
      int next = end;
      if (next < text.length()) {
        next += text.startsWith("\r\n", next) ? 2 : 1;
        finalNewline = next >= text.length();
      } else {
        finalNewline = false;
      }
      pos = next;
      lines.add(new RdpFile.Line(raw, parseLine(raw, lineNo, problems, dropped)));
    }
    if (dropped[0] > 0) {
      problems.add(new RdpFileProblem(lineNo, 1, dropped[0] + " more problem(s) not listed"));
    }
    return new RdpFile(enc, sep, lines, finalNewline, problems, truncated);
  }

  private static RdpSetting parseLine(
      String raw, int lineNo, List<RdpFileProblem> problems, int[] dropped) {
    if (raw.isBlank()) {
      return null;
    }
    if (raw.length() > MAX_LINE_CHARS) {
      add(
          problems,
          dropped,
          new RdpFileProblem(
              lineNo,
              MAX_LINE_CHARS + 1,
              "line longer than " + MAX_LINE_CHARS + " characters: ignored"));
      return null;
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == 0 || (Character.isISOControl(c) && c != '\t')) {
        add(
            problems,
            dropped,
            new RdpFileProblem(
                lineNo,
                i + 1,
                String.format(
                    "control character U+%04X: ignored line (binary data, or the wrong encoding?)",
                    (int) c)));
        return null;
      }
    }
    int c1 = raw.indexOf(':');
    if (c1 < 0) {
      add(
          problems,
          dropped,
          new RdpFileProblem(lineNo, 1, "expected name:type:value, found no ':'"));
      return null;
    }
    String name = raw.substring(0, c1);
    if (name.isBlank()) {
      add(problems, dropped, new RdpFileProblem(lineNo, 1, "empty setting name"));
      return null;
    }
    int c2 = raw.indexOf(':', c1 + 1);
    if (c2 < 0) {
      add(
          problems,
          dropped,
          new RdpFileProblem(
              lineNo,
              c1 + 2,
              "expected a type and a value after '"
                  + name
                  + ":' (e.g. "
                  + name.trim()
                  + ":s:...)"));
      return null;
    }
    String type = raw.substring(c1 + 1, c2).trim();
    if (type.length() != 1 || "sib".indexOf(Character.toLowerCase(type.charAt(0))) < 0) {
      add(
          problems,
          dropped,
          new RdpFileProblem(lineNo, c1 + 2, "type must be s, i or b, found '" + clip(type) + "'"));
      return null;
    }
    return new RdpSetting(
        name, Character.toLowerCase(type.charAt(0)), raw.substring(c2 + 1), lineNo);
  }

  private static void add(List<RdpFileProblem> problems, int[] dropped, RdpFileProblem p) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(p);
    } else {
      dropped[0]++;
    }
  }

  static String clip(String s) {
    return s.length() <= 20 ? s : s.substring(0, 20) + "...";
  }
}

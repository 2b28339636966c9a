package dev.rdpdoctor.sources.rdpfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed .rdp file that remembers its exact layout (encoding, line ending, every line as written)
 * so a corrected copy changes only the lines that had to change.
 *
 * @param lines every line in order; {@link Line#setting} is null for blank or unreadable ones
 * @param finalNewline whether the last line ended with a line break
 * @param truncated the file was longer than the parser reads (the rest is not in lines)
 */
public record RdpFile(
    RdpEncoding encoding,
    String lineSeparator,
    List<Line> lines,
    boolean finalNewline,
    List<RdpFileProblem> problems,
    boolean truncated) {

  /** A line as written, and the setting read from it if it is one. */
  public record Line(String raw, RdpSetting setting) {}

  public RdpFile {
    lines = List.copyOf(lines);
    problems = List.copyOf(problems);
  }

  public List<RdpSetting> settings() {
    return lines.stream().map(Line::setting).filter(java.util.Objects::nonNull).toList();
  }

  /** The effective value per key: a later line overrides an earlier one, as in the clients. */
  public Map<String, RdpSetting> effective() {
    Map<String, RdpSetting> m = new LinkedHashMap<>();
    settings().forEach(s -> m.put(s.key(), s));
    return m;
  }

  public Optional<RdpSetting> get(String name) {
    return Optional.ofNullable(effective().get(RdpSetting.key(name)));
  }

  public Optional<String> string(String name) {
    return get(name).map(s -> s.value().trim()).filter(v -> !v.isEmpty());
  }

  /** An integer setting; empty when absent or not a number (the linter reports the latter). */
  public Optional<Integer> integer(String name) {
    return get(name).flatMap(s -> parseInt(s.value()));
  }

  static Optional<Integer> parseInt(String v) {
    String t = v.trim();
    if (t.isEmpty() || t.length() > 11) {
      return Optional.empty();
    }
    try {
      return Optional.of(Integer.parseInt(t));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A copy with one setting set: the last line with that key is rewritten, or one appended. */
  public RdpFile with(String name, char type, String value) {
    String key = RdpSetting.key(name);
    List<Line> copy = new ArrayList<>(lines);
    for (int i = copy.size() - 1; i >= 0; i--) {
      RdpSetting s = copy.get(i).setting();
      if (s != null && s.key().equals(key)) {
        RdpSetting n = new RdpSetting(s.name(), type, value, s.line());
        copy.set(i, new Line(n.render(), n));
        return new RdpFile(encoding, lineSeparator, copy, finalNewline, problems, truncated);
      }
    }
    RdpSetting n = new RdpSetting(key, type, value, copy.size() + 1);
    copy.add(new Line(n.render(), n));
    return new RdpFile(encoding, lineSeparator, copy, true, problems, truncated);
  }

  /** A copy without the setting line(s) at the given 1-based line numbers. */
  public RdpFile withoutLines(java.util.Set<Integer> lineNumbers) {
    List<Line> copy = new ArrayList<>();
    for (Line l : lines) {
      if (l.setting() == null || !lineNumbers.contains(l.setting().line())) {
        copy.add(l);
      }
    }
    return new RdpFile(encoding, lineSeparator, copy, finalNewline, problems, truncated);
  }

  /** The file's bytes: same encoding, BOM and line ending as read. */
  public byte[] toBytes() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      sb.append(lines.get(i).raw());
      if (i < lines.size() - 1 || finalNewline) {
        sb.append(lineSeparator);
      }
    }
    return encoding.encode(sb.toString());
  }
}

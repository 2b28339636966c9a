package dev.rdpdoctor.sources.rdpfile;

import java.util.Locale;

/**
 * One {@code name:type:value} line.
 *
 * @param name the name as written (mstsc writes lower case; matching ignores case)
 * @param type s (string), i (integer) or b (binary), lower-cased
 * @param value everything after the second colon, as written (a value may contain colons)
 * @param line 1-based line number in the file
 */
public record RdpSetting(String name, char type, String value, int line) {
  /** The lookup key: the name trimmed and lower-cased. */
  public String key() {
    return key(name);
  }

  public static String key(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** The line as mstsc would write it. */
  public String render() {
    return name + ":" + type + ":" + value;
  }
}

package dev.rdpdoctor.remedy;

/** Quoting for generated PowerShell: the one place text from data meets code. */
final class PowerShell {
  private PowerShell() {}

  /** A single-quoted literal: nothing inside is expanded; a quote is doubled. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("'");
    for (char c : oneLine(s).toCharArray()) {
      // PowerShell also treats the typographic single quotes as quote characters
      if (c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B') {
        sb.append(c);
      }
      sb.append(c);
    }
    return sb.append('\'').toString();
  }

  /** Text for a # comment: one line, so data can never end the comment and start code. */
  static String comment(String s) {
    return oneLine(s);
  }

  private static String oneLine(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : (s == null ? "" : s).toCharArray()) {
      sb.append(
          Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085' ? ' ' : c);
    }
    return sb.toString();
  }

  /** HKLM\X -> HKLM:\X, the registry provider's drive form. */
  static String drive(String regPath) {
    int i = regPath.indexOf('\\');
    return regPath.substring(0, i) + ":" + regPath.substring(i);
  }

  /** HKLM\X -> HKEY_LOCAL_MACHINE\X, as .reg files and reg.exe name keys. */
  static String longForm(String regPath) {
    int i = regPath.indexOf('\\');
    String hive = regPath.substring(0, i);
    String full =
        switch (hive) {
          case "HKLM" -> "HKEY_LOCAL_MACHINE";
          case "HKCU" -> "HKEY_CURRENT_USER";
          default -> throw new IllegalArgumentException("unsupported hive " + hive);
        };
    return full + regPath.substring(i);
  }

  /** A file-name-safe form of a label, for state files. */
  static String fileSafe(String s) {
    return oneLine(s).replaceAll("[^A-Za-z0-9._-]+", "_");
  }
}

package dev.rdpdoctor.cli;

import java.io.Console;

/** Is stderr/stdout a terminal, and may we colour it? */
final class Terminal {
  private Terminal() {}

  /**
   * JDK 22+ returns a Console even when piped, so ask isTerminal() there (looked up reflectively
   * because we compile for 21).
   */
  static boolean interactive() {
    Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  static boolean colour(boolean noColourFlag) {
    String nc = System.getenv("NO_COLOR");
    return !noColourFlag
        && (nc == null || nc.isEmpty())
        && interactive()
        && !"dumb".equals(System.getenv("TERM"));
  }
}

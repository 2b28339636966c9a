package dev.rdpdoctor.evidence;

/**
 * The one escaping function for text that crosses to a terminal: what a user typed (a host
 * argument, a file name) and what a server sent (certificate names, NTLM names, error details). C0
 * and C1 controls, DEL and the bidirectional overrides become visible escapes, so such text cannot
 * move the cursor, recolour the screen, retitle the window or forge report lines. JSON output needs
 * none of this: its encoder escapes controls itself.
 */
public final class TerminalText {
  private TerminalText() {}

  /** Every control escaped, line breaks included: for one field inside a line. */
  public static String safe(String text) {
    return escape(text, false);
  }

  /**
   * Controls escaped but line feeds and tabs kept: for whole messages this program composed from
   * fields that went through {@link #safe} (or for a stream of such messages).
   */
  public static String safeKeepingLines(String text) {
    return escape(text, true);
  }

  /** Whether {@code c} would be escaped by {@link #safe}. */
  public static boolean isControl(char c) {
    return c < 0x20
        || (c >= 0x7F && c <= 0x9F)
        || c == '\u200E'
        || c == '\u200F'
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }

  private static String escape(String text, boolean keepLines) {
    if (text == null) {
      return null;
    }
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean control = isControl(c) && !(keepLines && (c == '\n' || c == '\t'));
      if (control && sb == null) {
        sb = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (sb != null) {
        if (!control) {
          sb.append(c);
        } else if (c <= 0xFF) {
          sb.append(String.format("\\x%02x", (int) c));
        } else {
          sb.append(String.format("\\u%04x", (int) c));
        }
      }
    }
    return sb == null ? text : sb.toString();
  }
}

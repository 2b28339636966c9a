package dev.rdpdoctor.wire;

import java.util.HexFormat;

/** Hex helpers for traces, fixtures and evidence. */
public final class Hex {
  private static final HexFormat LOWER = HexFormat.of();

  private Hex() {}

  public static String of(byte[] b) {
    return LOWER.formatHex(b);
  }

  public static String of(byte[] b, int off, int len) {
    return LOWER.formatHex(b, off, off + len);
  }

  /** Parses hex, ignoring whitespace, so fixtures can be laid out like a dump. */
  public static byte[] parse(String hex) {
    return LOWER.parseHex(hex.replaceAll("\\s+", ""));
  }

  /** Classic 16-bytes-per-line dump with offsets, for --trace. */
  public static String dump(byte[] b, int off, int len) {
    StringBuilder sb = new StringBuilder();
    for (int line = 0; line < len; line += 16) {
      sb.append(String.format("    %04x  ", line));
      int n = Math.min(16, len - line);
      for (int i = 0; i < 16; i++) {
        if (i < n) {
          sb.append(String.format("%02x ", b[off + line + i] & 0xFF));
        } else {
          sb.append("   ");
        }
      }
      sb.append(' ');
      for (int i = 0; i < n; i++) {
        int c = b[off + line + i] & 0xFF;
        sb.append(c >= 0x20 && c < 0x7F ? (char) c : '.');
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}

package dev.rdpdoctor.sources.eventlog;

import java.nio.charset.StandardCharsets;

/** Text files exported on Windows: UTF-16 (LE/BE) or UTF-8 with a BOM, else UTF-8. */
final class LogText {
  private LogText() {}

  static String decode(byte[] b) {
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
      return new String(b, 2, b.length - 2, StandardCharsets.UTF_16LE);
    }
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
      return new String(b, 2, b.length - 2, StandardCharsets.UTF_16BE);
    }
    if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
      return new String(b, 3, b.length - 3, StandardCharsets.UTF_8);
    }
    // PowerShell 5 without -Encoding writes ASCII/UTF-16; a NUL in the second byte means LE
    if (b.length >= 2 && b[1] == 0 && b[0] != 0) {
      return new String(b, StandardCharsets.UTF_16LE);
    }
    return new String(b, StandardCharsets.UTF_8);
  }
}

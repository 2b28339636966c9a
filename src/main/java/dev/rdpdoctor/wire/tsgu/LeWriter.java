package dev.rdpdoctor.wire.tsgu;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Little-endian writer for the RDG HTTP transport packets (MS-TSGU 2.2.10 is all LE). */
final class LeWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

  LeWriter u8(int v) {
    out.write(v);
    return this;
  }

  LeWriter u16(int v) {
    out.write(v);
    out.write(v >>> 8);
    return this;
  }

  LeWriter u32(long v) {
    u16((int) (v & 0xFFFF));
    return u16((int) ((v >>> 16) & 0xFFFF));
  }

  LeWriter bytes(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  byte[] toByteArray() {
    return out.toByteArray();
  }

  /** A Unicode string as the transport carries it: UTF-16LE with its terminating NUL. */
  static byte[] utf16z(String s) {
    byte[] text = s.getBytes(StandardCharsets.UTF_16LE);
    byte[] z = new byte[text.length + 2];
    System.arraycopy(text, 0, z, 0, text.length);
    return z;
  }

  /** Decodes UTF-16LE, dropping a terminating NUL and anything after it. */
  static String fromUtf16z(byte[] b) {
    String s = new String(b, 0, b.length & ~1, StandardCharsets.UTF_16LE);
    int nul = s.indexOf('\0');
    return nul < 0 ? s : s.substring(0, nul);
  }
}

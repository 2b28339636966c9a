package dev.rdpdoctor.wire.security;

import java.io.ByteArrayOutputStream;

/** Little-endian writers for this package's headers and MAC inputs. */
final class Le {
  private Le() {}

  static void u16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write((v >>> 8) & 0xFF);
  }

  static void u32(ByteArrayOutputStream out, int v) {
    u16(out, v & 0xFFFF);
    u16(out, v >>> 16);
  }

  static byte[] u32(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }
}

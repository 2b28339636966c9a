package dev.rdpdoctor.wire;

import java.io.ByteArrayOutputStream;

/** Little-endian writers for the RDP PDUs the client builds (RDP is little-endian past MCS). */
public final class Le {
  private Le() {}

  public static void u16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write((v >>> 8) & 0xFF);
  }

  public static void u32(ByteArrayOutputStream out, int v) {
    u16(out, v & 0xFFFF);
    u16(out, v >>> 16);
  }

  public static byte[] u32(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }
}

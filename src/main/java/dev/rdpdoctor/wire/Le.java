package dev.rdpdoctor.wire;

import java.io.ByteArrayOutputStream;

/**
 * Little-endian writers for the PDUs the client builds: RDP past MCS and the RD Gateway's HTTP
 * transport ([MS-TSGU] 2.2.10) are little-endian. Static helpers for a stream already open, and a
 * fluent {@link Writer} for a PDU built field by field.
 */
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

  /** A PDU built field by field. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    public Writer u8(int v) {
      out.write(v);
      return this;
    }

    public Writer u16(int v) {
      Le.u16(out, v);
      return this;
    }

    /** The low 32 bits of {@code v}: fields that are unsigned 32-bit values. */
    public Writer u32(long v) {
      Le.u32(out, (int) v);
      return this;
    }

    public Writer bytes(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}

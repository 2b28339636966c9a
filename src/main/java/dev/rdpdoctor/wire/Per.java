package dev.rdpdoctor.wire;

import java.io.ByteArrayOutputStream;

/**
 * The PER length determinant (X.691 10.9) as T.125 and GCC use it in RDP: one byte below 0x80, else
 * two bytes with the top bits 10. The fragmented form (top bits 11) carries 16K blocks, which no
 * RDP peer sends for the PDUs this tool reads, so it is refused.
 */
public final class Per {
  /** The largest length the two-byte form can say. */
  public static final int MAX_LENGTH = 0x3FFF;

  private Per() {}

  /** Reads a length determinant; a fragmented one is malformed. */
  public static int readLength(ByteReader r, String what) throws MalformedPduException {
    int b = r.u8(what);
    if ((b & 0x80) == 0) {
      return b;
    }
    if ((b & 0x40) != 0) {
      throw new MalformedPduException(what + ": fragmented PER length", r.position() - 1);
    }
    return ((b & 0x3F) << 8) | r.u8(what);
  }

  /** Writes the shortest form: one byte below 0x80, else two. */
  public static void writeLength(ByteArrayOutputStream out, int len) {
    if (len < 0x80) {
      out.write(len);
    } else {
      writeLong(out, len);
    }
  }

  /** Writes the two-byte form whatever the length, as GCC's Connect Initial does. */
  public static void writeLong(ByteArrayOutputStream out, int len) {
    if (len < 0 || len > MAX_LENGTH) {
      throw new IllegalArgumentException("PER length out of range: " + len);
    }
    out.write(0x80 | (len >> 8));
    out.write(len & 0xFF);
  }
}

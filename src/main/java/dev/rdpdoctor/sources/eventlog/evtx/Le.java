package dev.rdpdoctor.sources.eventlog.evtx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian reads at absolute offsets of a file image: a byte array or a mapped file, both seen
 * as a little-endian {@link ByteBuffer} whose limit is the file's end. Every read checks the bounds
 * first, so a damaged length or offset becomes an {@link EvtxFormatException}, never an index
 * error.
 */
final class Le {
  private Le() {}

  /** The image as this class reads it: absolute offsets, little-endian, limit = file size. */
  static ByteBuffer image(ByteBuffer b) {
    return b.duplicate().clear().limit(b.limit()).order(ByteOrder.LITTLE_ENDIAN);
  }

  static void need(ByteBuffer b, long off, long n, String what) throws EvtxFormatException {
    if (off < 0 || n < 0 || off + n > b.limit()) {
      throw new EvtxFormatException(
          what
              + ": "
              + n
              + " bytes at 0x"
              + Long.toHexString(off)
              + " lie beyond the end of the file (0x"
              + Integer.toHexString(b.limit())
              + ")",
          off);
    }
  }

  static int u8(ByteBuffer b, int off, String what) throws EvtxFormatException {
    need(b, off, 1, what);
    return b.get(off) & 0xFF;
  }

  static int u16(ByteBuffer b, int off, String what) throws EvtxFormatException {
    need(b, off, 2, what);
    return b.getShort(off) & 0xFFFF;
  }

  /** Unsigned 32-bit value as a long. */
  static long u32(ByteBuffer b, int off, String what) throws EvtxFormatException {
    need(b, off, 4, what);
    return b.getInt(off) & 0xFFFFFFFFL;
  }

  static int i32(ByteBuffer b, int off, String what) throws EvtxFormatException {
    need(b, off, 4, what);
    return b.getInt(off);
  }

  static long u64(ByteBuffer b, int off, String what) throws EvtxFormatException {
    need(b, off, 8, what);
    return b.getLong(off);
  }

  /** An offset stored as u32 that must fit an int (chunk-relative offsets always do). */
  static int offset32(ByteBuffer b, int off, String what) throws EvtxFormatException {
    long v = u32(b, off, what);
    return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
  }

  /** {@code n} bytes at {@code off} (bounds already checked by the caller). */
  static byte[] bytes(ByteBuffer b, int off, int n) {
    byte[] out = new byte[n];
    b.get(off, out);
    return out;
  }

  /** Whether the {@code n} bytes at {@code off} equal {@code want}'s first {@code n}. */
  static boolean startsWith(ByteBuffer b, int off, byte[] want) {
    if (off < 0 || off + want.length > b.limit()) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      if (b.get(off + i) != want[i]) {
        return false;
      }
    }
    return true;
  }
}

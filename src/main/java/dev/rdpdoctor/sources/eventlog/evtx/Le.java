package dev.rdpdoctor.sources.eventlog.evtx;

/**
 * Little-endian reads at absolute offsets of a file image. Every read checks the bounds first,
 * so a damaged length or offset becomes an {@link EvtxFormatException}, never an index error.
 */
final class Le {
  private Le() {}

  static void need(byte[] b, long off, long n, String what) throws EvtxFormatException {
    if (off < 0 || n < 0 || off + n > b.length) {
      throw new EvtxFormatException(what + ": " + n + " bytes at 0x" + Long.toHexString(off)
          + " lie beyond the end of the file (0x" + Integer.toHexString(b.length) + ")", off);
    }
  }

  static int u8(byte[] b, int off, String what) throws EvtxFormatException {
    need(b, off, 1, what);
    return b[off] & 0xFF;
  }

  static int u16(byte[] b, int off, String what) throws EvtxFormatException {
    need(b, off, 2, what);
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
  }

  /** Unsigned 32-bit value as a long. */
  static long u32(byte[] b, int off, String what) throws EvtxFormatException {
    need(b, off, 4, what);
    return i32raw(b, off) & 0xFFFFFFFFL;
  }

  static int i32(byte[] b, int off, String what) throws EvtxFormatException {
    need(b, off, 4, what);
    return i32raw(b, off);
  }

  static long u64(byte[] b, int off, String what) throws EvtxFormatException {
    need(b, off, 8, what);
    return (i32raw(b, off) & 0xFFFFFFFFL) | (long) i32raw(b, off + 4) << 32;
  }

  private static int i32raw(byte[] b, int off) {
    return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16
        | (b[off + 3] & 0xFF) << 24;
  }

  /** An offset stored as u32 that must fit an int (chunk-relative offsets always do). */
  static int offset32(byte[] b, int off, String what) throws EvtxFormatException {
    long v = u32(b, off, what);
    return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) v;
  }
}

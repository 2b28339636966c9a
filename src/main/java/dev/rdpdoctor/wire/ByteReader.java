package dev.rdpdoctor.wire;

/**
 * Bounds-checked cursor over a byte array. Every read checks the remaining length first, so a
 * decoder built on it cannot read past what the peer actually sent.
 */
public final class ByteReader {
  private final byte[] buf;
  private final int end;
  private int pos;

  public ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ByteReader(byte[] buf, int offset, int length) {
    if (offset < 0 || length < 0 || offset + length > buf.length) {
      throw new IllegalArgumentException("slice out of range");
    }
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return end - pos;
  }

  public void require(int n, String what) throws MalformedPduException {
    if (n < 0 || remaining() < n) {
      throw new MalformedPduException(
          what + ": need " + n + " bytes, " + remaining() + " left", pos);
    }
  }

  public int u8(String what) throws MalformedPduException {
    require(1, what);
    return buf[pos++] & 0xFF;
  }

  public int u16be(String what) throws MalformedPduException {
    require(2, what);
    int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  public int u16le(String what) throws MalformedPduException {
    require(2, what);
    int v = (buf[pos] & 0xFF) | ((buf[pos + 1] & 0xFF) << 8);
    pos += 2;
    return v;
  }

  /** Unsigned 32-bit little-endian value, returned in an int (bit pattern preserved). */
  public int u32le(String what) throws MalformedPduException {
    require(4, what);
    int v =
        (buf[pos] & 0xFF)
            | ((buf[pos + 1] & 0xFF) << 8)
            | ((buf[pos + 2] & 0xFF) << 16)
            | ((buf[pos + 3] & 0xFF) << 24);
    pos += 4;
    return v;
  }

  public byte[] bytes(int n, String what) throws MalformedPduException {
    require(n, what);
    byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  public void skip(int n, String what) throws MalformedPduException {
    require(n, what);
    pos += n;
  }
}

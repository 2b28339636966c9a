package dev.rdpdoctor.wire;

import java.io.ByteArrayOutputStream;

/**
 * The little of BER (ITU-T X.690) that MCS Connect Initial / Connect Response use ([MS-RDPBCGR]
 * 2.2.1.3.2, 2.2.1.4.2; T.125 annex A): definite lengths, one- or two-byte tags.
 */
public final class Ber {
  public static final int TAG_BOOLEAN = 0x01;
  public static final int TAG_INTEGER = 0x02;
  public static final int TAG_OCTET_STRING = 0x04;
  public static final int TAG_ENUMERATED = 0x0A;
  public static final int TAG_SEQUENCE = 0x30;

  /** A length field of more than this many bytes cannot describe a PDU a TPKT can carry. */
  static final int MAX_LENGTH_BYTES = 2;

  private Ber() {}

  public static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (tag > 0xFF) {
      out.write(tag >>> 8);
    }
    out.write(tag & 0xFF);
    writeLength(out, value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  public static byte[] integer(int v) {
    if (v < 0x80) {
      return tlv(TAG_INTEGER, new byte[] {(byte) v});
    }
    if (v < 0x8000) {
      return tlv(TAG_INTEGER, new byte[] {(byte) (v >>> 8), (byte) v});
    }
    return tlv(TAG_INTEGER, new byte[] {(byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  static void writeLength(ByteArrayOutputStream out, int len) {
    if (len < 0x80) {
      out.write(len);
    } else if (len <= 0xFF) {
      out.write(0x81);
      out.write(len);
    } else {
      out.write(0x82);
      out.write(len >>> 8);
      out.write(len & 0xFF);
    }
  }

  /** Reads the expected tag (1 or 2 bytes) and its length; checks the value fits. */
  public static int expect(ByteReader r, int tag, String what) throws MalformedPduException {
    int at = r.position();
    int got = r.u8(what + " tag");
    if (tag > 0xFF) {
      got = (got << 8) | r.u8(what + " tag");
    }
    if (got != tag) {
      throw new MalformedPduException(
          String.format("%s: tag 0x%x, expected 0x%x", what, got, tag), at);
    }
    int len = length(r, what);
    r.require(len, what + " value");
    return len;
  }

  static int length(ByteReader r, String what) throws MalformedPduException {
    int at = r.position();
    int b = r.u8(what + " length");
    if (b < 0x80) {
      return b;
    }
    int n = b & 0x7F;
    if (n == 0 || n > MAX_LENGTH_BYTES) {
      throw new MalformedPduException(
          what + ": unsupported BER length form 0x" + Integer.toHexString(b), at);
    }
    int len = 0;
    for (int i = 0; i < n; i++) {
      len = (len << 8) | r.u8(what + " length");
    }
    return len;
  }

  /** An INTEGER or ENUMERATED of at most 4 bytes. */
  public static long unsigned(ByteReader r, int tag, String what) throws MalformedPduException {
    int at = r.position();
    int len = expect(r, tag, what);
    if (len < 1 || len > 4) {
      throw new MalformedPduException(what + ": " + len + "-byte integer", at);
    }
    long v = 0;
    for (int i = 0; i < len; i++) {
      v = (v << 8) | r.u8(what);
    }
    return v;
  }
}

package dev.rdpdoctor.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * TPKT header (RFC 1006 section 6, used by [MS-RDPBCGR] 2.2.1.1 and every slow-path PDU).
 *
 * <pre>
 *  0       1       2       3
 * +-------+-------+-------+-------+
 * | vers  | rsvd  |    length     |   vers = 3, length big-endian,
 * +-------+-------+-------+-------+   counts these 4 bytes too
 * |        TPDU (length - 4)      |
 * +-------------------------------+
 * </pre>
 */
public record Tpkt(int version, int length) {
  public static final int HEADER_LENGTH = 4;
  public static final int VERSION = 3;

  /** The shortest TPKT that can carry an X.224 header (LI + code). */
  public static final int MIN_LENGTH = HEADER_LENGTH + 2;

  /** The u16 length field's own ceiling; nothing larger can be framed. */
  public static final int MAX_LENGTH = 0xFFFF;

  /** Decodes the 4-byte header; rejects versions other than 3 and impossible lengths. */
  public static Tpkt decodeHeader(byte[] header) throws MalformedPduException {
    ByteReader r = new ByteReader(header);
    int version = r.u8("TPKT version");
    if (version != VERSION) {
      throw new MalformedPduException("TPKT version " + version + ", expected 3", 0);
    }
    r.u8("TPKT reserved");
    int length = r.u16be("TPKT length");
    if (length < MIN_LENGTH) {
      throw new MalformedPduException("TPKT length " + length + " is shorter than a TPDU", 2);
    }
    return new Tpkt(version, length);
  }

  /**
   * Reads the header at the start of a whole PDU and checks that its length is the PDU's own: what
   * every decoder of a complete TPKT-framed PDU does first. The reader is left on the TPDU.
   */
  public static Tpkt decodeWhole(ByteReader r, int pduLength) throws MalformedPduException {
    Tpkt tpkt = decodeHeader(r.bytes(HEADER_LENGTH, "TPKT header"));
    if (tpkt.length() != pduLength) {
      throw new MalformedPduException(
          "TPKT length " + tpkt.length() + " but PDU has " + pduLength + " bytes", 2);
    }
    return tpkt;
  }

  /** Wraps a TPDU in a TPKT header. */
  public static byte[] frame(byte[] tpdu) {
    int length = HEADER_LENGTH + tpdu.length;
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException("TPDU too long for TPKT: " + tpdu.length);
    }
    byte[] out = new byte[length];
    out[0] = VERSION;
    out[2] = (byte) (length >>> 8);
    out[3] = (byte) length;
    System.arraycopy(tpdu, 0, out, HEADER_LENGTH, tpdu.length);
    return out;
  }

  /**
   * Reads one whole TPKT-framed PDU from a stream: the header, its length checked against {@code
   * cap} before the body is read, then exactly the body. The one frame reader every RDP exchange
   * past the X.224 negotiation uses.
   *
   * @throws EOFException when the stream ends inside the frame
   */
  public static byte[] readFrame(InputStream in, int cap)
      throws IOException, MalformedPduException {
    byte[] header = in.readNBytes(HEADER_LENGTH);
    if (header.length < HEADER_LENGTH) {
      throw new EOFException("closed after " + header.length + " bytes of a TPKT header");
    }
    Tpkt t = decodeHeader(header);
    if (t.length() > cap) {
      throw new MalformedPduException("TPKT length " + t.length() + " beyond cap " + cap, 2);
    }
    byte[] pdu = new byte[t.length()];
    System.arraycopy(header, 0, pdu, 0, HEADER_LENGTH);
    int body = t.length() - HEADER_LENGTH;
    if (in.readNBytes(pdu, HEADER_LENGTH, body) < body) {
      throw new EOFException("closed inside a PDU");
    }
    return pdu;
  }
}

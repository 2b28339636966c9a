package dev.rdpdoctor.wire;

import java.util.Arrays;

/**
 * X.224 Data TPDU inside a TPKT ([MS-RDPBCGR] 2.2.1.3 onwards, X.224 section 13.7): the frame every
 * slow-path MCS PDU travels in.
 *
 * <pre>
 * +------+------+------+------+------+------+------+----------------+
 * | 03   | 00   |  length     | 02   | F0   | 80   | MCS PDU ...    |
 * | TPKT header               | LI   | DT   | EOT  |                |
 * +------+------+------+------+------+------+------+----------------+
 * </pre>
 */
public final class X224Data {
  /** TPKT header plus the three X.224 DT bytes. */
  public static final int OVERHEAD = Tpkt.HEADER_LENGTH + 3;

  private X224Data() {}

  public static byte[] frame(byte[] mcs) {
    byte[] tpdu = new byte[3 + mcs.length];
    tpdu[0] = 2;
    tpdu[1] = (byte) 0xF0;
    tpdu[2] = (byte) 0x80;
    System.arraycopy(mcs, 0, tpdu, 3, mcs.length);
    return Tpkt.frame(tpdu);
  }

  /** The MCS bytes of a whole TPKT-framed Data TPDU; rejects anything else. */
  public static byte[] payload(byte[] pdu) throws MalformedPduException {
    ByteReader r = new ByteReader(pdu);
    Tpkt.decodeWhole(r, pdu.length);
    int li = r.u8("X.224 LI");
    int code = r.u8("X.224 code");
    int eot = r.u8("X.224 EOT");
    if (li != 2 || code != 0xF0) {
      throw new MalformedPduException(
          String.format("X.224 LI %d code 0x%02x is not a Data" + " TPDU", li, code), 4);
    }
    if (eot != 0x80) {
      throw new MalformedPduException("X.224 Data TPDU is not the last of its unit", 6);
    }
    return Arrays.copyOfRange(pdu, OVERHEAD, pdu.length);
  }
}

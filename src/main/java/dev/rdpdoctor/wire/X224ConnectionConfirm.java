package dev.rdpdoctor.wire;

/**
 * Server X.224 Connection Confirm PDU ([MS-RDPBCGR] 2.2.1.2).
 *
 * <pre>
 * +--------+--------+--------+--------+--------+--------+--------+
 * |   LI   | CC CDT |    DST-REF      |    SRC-REF      | CLASS  |
 * |        |  0xD0  |                 |                 |        |
 * +--------+--------+--------+--------+--------+--------+--------+
 * | RDP_NEG_RSP or RDP_NEG_FAILURE (8 bytes, optional)            |
 * +----------------------------------------------------------------+
 * </pre>
 *
 * A confirm without negotiation data comes from a legacy server that only speaks Standard RDP
 * Security.
 *
 * @param negotiation the server's response or failure, or null when absent
 */
public record X224ConnectionConfirm(int srcRef, RdpNegotiation negotiation) {
  public static final int TPDU_CC = 0xD0;
  private static final int FIXED_PART = 6;

  /** Decodes a complete TPKT-framed PDU (header included). */
  public static X224ConnectionConfirm decode(byte[] pdu) throws MalformedPduException {
    ByteReader r = new ByteReader(pdu);
    Tpkt.decodeWhole(r, pdu.length);
    int li = r.u8("X.224 LI");
    if (li < FIXED_PART || li > r.remaining()) {
      throw new MalformedPduException("X.224 LI " + li + " out of range", 4);
    }
    int code = r.u8("X.224 code");
    if ((code & 0xF0) != TPDU_CC) {
      throw new MalformedPduException(String.format("X.224 code 0x%02x is not CC", code), 5);
    }
    r.u16be("DST-REF");
    int srcRef = r.u16be("SRC-REF");
    r.u8("class option");
    int variable = li - FIXED_PART;
    RdpNegotiation neg = null;
    if (variable >= RdpNegotiation.LENGTH) {
      neg = RdpNegotiation.decode(r);
    } else if (variable > 0) {
      throw new MalformedPduException("X.224 CC variable part of " + variable + " bytes", 11);
    }
    return new X224ConnectionConfirm(srcRef, neg);
  }

  /** The whole TPKT-framed PDU; used by test servers. */
  public byte[] encode() {
    byte[] negBytes =
        switch (negotiation) {
          case null -> new byte[0];
          case RdpNegotiation.Response rsp -> rsp.encode();
          case RdpNegotiation.Failure f -> f.encode();
          case RdpNegotiation.Request req -> req.encode();
          case RdpNegotiation.Unknown u -> throw new IllegalArgumentException("cannot encode " + u);
        };
    byte[] tpdu = new byte[1 + FIXED_PART + negBytes.length];
    tpdu[0] = (byte) (FIXED_PART + negBytes.length);
    tpdu[1] = (byte) TPDU_CC;
    tpdu[4] = (byte) (srcRef >>> 8);
    tpdu[5] = (byte) srcRef;
    System.arraycopy(negBytes, 0, tpdu, 1 + FIXED_PART, negBytes.length);
    return Tpkt.frame(tpdu);
  }
}

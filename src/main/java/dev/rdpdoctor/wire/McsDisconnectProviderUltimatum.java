package dev.rdpdoctor.wire;

/**
 * MCS Disconnect Provider Ultimatum inside an X.224 Data TPDU ([MS-RDPBCGR] 2.2.2.3, T.125 section
 * 7 part 10, PER-encoded). Some servers (xrdp, for instance) send it instead of a Connection
 * Confirm when they refuse a request, so the negotiation probe must recognise it.
 *
 * <pre>
 * +------+------+------+------+------+------+------+------+------+
 * | TPKT header (4)           | 02   | F0   | 80   | b0   | b1   |
 * |                           | X.224 Data TPDU    | PER DPUM    |
 * +------+------+------+------+------+------+------+------+------+
 *   b0 = choice (8) << 2 | reason bits 2..1;  b1 bit 7 = reason bit 0
 * </pre>
 */
public record McsDisconnectProviderUltimatum(int reason) {
  public static final int DOMAIN_MCSPDU_DPUM = 8;
  private static final String[] REASONS = {
    "rn-domain-disconnected",
    "rn-provider-initiated",
    "rn-token-purged",
    "rn-user-requested",
    "rn-channel-purged"
  };

  public String reasonName() {
    return reason < REASONS.length ? REASONS[reason] : "reason(" + reason + ")";
  }

  /** The TPKT / X.224 Data framed PDU, as a client sends it to say goodbye politely. */
  public byte[] encode() {
    return X224Data.frame(
        new byte[] {
          (byte) ((DOMAIN_MCSPDU_DPUM << 2) | ((reason >> 1) & 0x03)), (byte) ((reason & 1) << 7)
        });
  }

  /** True when the PDU (TPKT header included) is an X.224 Data TPDU. */
  public static boolean isDataTpdu(byte[] pdu) {
    return pdu.length >= 7 && (pdu[5] & 0xFF) == 0xF0;
  }

  /**
   * True when a TPKT-framed PDU is an X.224 Data TPDU whose MCS PDU is a Disconnect Provider
   * Ultimatum: the one test for a server's goodbye, whatever the client was waiting for.
   */
  public static boolean is(byte[] pdu) {
    return isDataTpdu(pdu)
        && pdu.length > X224Data.OVERHEAD
        && (pdu[X224Data.OVERHEAD] & 0xFF) >> 2 == DOMAIN_MCSPDU_DPUM;
  }

  public static McsDisconnectProviderUltimatum decode(byte[] pdu) throws MalformedPduException {
    ByteReader r = new ByteReader(pdu);
    Tpkt.decodeHeader(r.bytes(Tpkt.HEADER_LENGTH, "TPKT header"));
    int li = r.u8("X.224 LI");
    int code = r.u8("X.224 code");
    int eot = r.u8("X.224 EOT");
    if (li != 2 || code != 0xF0 || eot != 0x80) {
      throw new MalformedPduException("not an X.224 Data TPDU", 4);
    }
    int b0 = r.u8("MCS PDU choice");
    if ((b0 >> 2) != DOMAIN_MCSPDU_DPUM) {
      throw new MalformedPduException(
          "MCS PDU " + (b0 >> 2) + " is not a Disconnect Provider" + " Ultimatum", 7);
    }
    int b1 = r.u8("DPUM reason");
    return new McsDisconnectProviderUltimatum(((b0 & 0x03) << 1) | ((b1 & 0x80) >> 7));
  }
}

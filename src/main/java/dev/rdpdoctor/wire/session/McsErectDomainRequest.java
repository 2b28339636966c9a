package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.X224Data;

/**
 * MCS Erect Domain Request ([MS-RDPBCGR] 2.2.1.5, T.125 ErectDomainRequest, PER aligned). The
 * client sends it once after the Connect Response; the server never answers it.
 *
 * <pre>
 * +------+------+------+------+------+
 * | 04   | 01   | 00   | 01   | 00   |
 * | CHOICE 1 | subHeight  | subInterval |
 * |  (<<2)   | len 1, 0   | len 1, 0    |
 * +------+------+------+------+------+
 * </pre>
 */
public record McsErectDomainRequest() {
  public static final int CHOICE = 1;

  /** TPKT / X.224 Data framed, as sent on the wire. */
  public byte[] encode() {
    return X224Data.frame(new byte[] {(byte) (CHOICE << 2), 1, 0, 1, 0});
  }
}

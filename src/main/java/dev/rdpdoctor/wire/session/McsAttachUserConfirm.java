package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.X224Data;

/**
 * MCS Attach User Confirm ([MS-RDPBCGR] 2.2.1.7, T.125 AttachUserConfirm, PER aligned): the result
 * and, when it succeeded, the user channel id the client joins next.
 *
 * <pre>
 * +------+--------+-----------------+
 * | 2C|o | result | initiator (BE)  |   o = 0x02 when initiator is present
 * | CHOICE 11    | ENUM  | UserId - 1001 (2 bytes, optional) |
 * +------+--------+-----------------+
 * </pre>
 *
 * @param result T.125 Result (0 = rt-successful)
 * @param userId the user channel id (1001 + the PER value), null when absent
 */
public record McsAttachUserConfirm(int result, Integer userId) {
  public static final int CHOICE = 11;

  /** PER encodes a UserId (DynamicChannelId 1001..65535) as its offset from 1001. */
  public static final int USER_ID_BASE = 1001;

  public static McsAttachUserConfirm decode(byte[] pdu) throws MalformedPduException {
    ByteReader r = new ByteReader(X224Data.payload(pdu));
    int b0 = r.u8("MCS PDU choice");
    if ((b0 >> 2) != CHOICE) {
      throw new MalformedPduException(
          "MCS PDU " + (b0 >> 2) + " is not an Attach User Confirm", X224Data.OVERHEAD);
    }
    int result = r.u8("AttachUserConfirm result");
    Integer user = (b0 & 0x02) != 0 ? r.u16be("AttachUserConfirm initiator") + USER_ID_BASE : null;
    return new McsAttachUserConfirm(result, user);
  }

  /** The encoded form a server would send (for tests and the scripted fake). */
  public byte[] encode() {
    if (userId == null) {
      return X224Data.frame(new byte[] {(byte) (CHOICE << 2), (byte) result});
    }
    int v = userId - USER_ID_BASE;
    return X224Data.frame(
        new byte[] {(byte) ((CHOICE << 2) | 0x02), (byte) result, (byte) (v >> 8), (byte) v});
  }
}

package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.X224Data;

/**
 * MCS Channel Join Confirm ([MS-RDPBCGR] 2.2.1.9, T.125 ChannelJoinConfirm, PER aligned).
 *
 * <pre>
 * +------+--------+----------------+----------------+----------------+
 * | 3C|o | result | initiator (BE) | requested (BE) | channelId (BE) |
 * | CHOICE 15    | ENUM | UserId-1001 | ChannelId      | optional (o=0x02) |
 * +------+--------+----------------+----------------+----------------+
 * </pre>
 *
 * @param channelId the joined channel, null when the server left it out
 */
public record McsChannelJoinConfirm(int result, int userId, int requested, Integer channelId) {
  public static final int CHOICE = 15;

  public static McsChannelJoinConfirm decode(byte[] pdu) throws MalformedPduException {
    ByteReader r = new ByteReader(X224Data.payload(pdu));
    int b0 = r.u8("MCS PDU choice");
    if ((b0 >> 2) != CHOICE) {
      throw new MalformedPduException(
          "MCS PDU " + (b0 >> 2) + " is not a Channel Join Confirm", X224Data.OVERHEAD);
    }
    int result = r.u8("ChannelJoinConfirm result");
    int user = r.u16be("ChannelJoinConfirm initiator") + McsAttachUserConfirm.USER_ID_BASE;
    int requested = r.u16be("ChannelJoinConfirm requested");
    Integer channel = (b0 & 0x02) != 0 ? r.u16be("ChannelJoinConfirm channelId") : null;
    return new McsChannelJoinConfirm(result, user, requested, channel);
  }

  public byte[] encode() {
    int u = userId - McsAttachUserConfirm.USER_ID_BASE;
    byte[] base = {
      (byte) ((CHOICE << 2) | (channelId == null ? 0 : 0x02)),
      (byte) result,
      (byte) (u >> 8),
      (byte) u,
      (byte) (requested >> 8),
      (byte) requested
    };
    if (channelId == null) {
      return X224Data.frame(base);
    }
    byte[] b = java.util.Arrays.copyOf(base, base.length + 2);
    b[6] = (byte) (channelId >> 8);
    b[7] = (byte) (int) channelId;
    return X224Data.frame(b);
  }
}

package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.X224Data;

/**
 * MCS Channel Join Request ([MS-RDPBCGR] 2.2.1.8, T.125 ChannelJoinRequest, PER aligned).
 *
 * <pre>
 * +------+-----------------+-----------------+
 * | 38   | initiator (BE)  | channelId (BE)  |
 * | CHOICE 14 | UserId - 1001 | ChannelId   |
 * +------+-----------------+-----------------+
 * </pre>
 */
public record McsChannelJoinRequest(int userId, int channelId) {
  public static final int CHOICE = 14;

  public byte[] encode() {
    int u = userId - McsAttachUserConfirm.USER_ID_BASE;
    return X224Data.frame(
        new byte[] {
          (byte) (CHOICE << 2), (byte) (u >> 8), (byte) u, (byte) (channelId >> 8), (byte) channelId
        });
  }
}

package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * HTTP_CHANNEL_RESPONSE, [MS-TSGU] 2.2.10.4 (optional part 2.2.10.5): the RAP verdict and whether
 * the gateway reached the target. E_PROXY_RAP_ACCESSDENIED = resource policy denies;
 * E_PROXY_TS_CONNECTFAILED = the gateway could not connect to the RDP server.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                 hdr (8, type 0x9 CHANNEL_RESPONSE)            |
 * +---------------------------------------------------------------+
 * |                     errorCode (HRESULT)                       |
 * +-------------------------------+-------------------------------+
 * |         fieldsPresent         |           reserved            |
 * +-------------------------------+-------------------------------+
 * | channelId u32 (0x1), udpPort u16 (0x4),                       |
 * | authnCookie cbLen u16 + bytes (0x2)                           |
 * +---------------------------------------------------------------+
 * </pre>
 */
public record ChannelResponse(
    int errorCode, int fieldsPresent, Integer channelId, Integer udpPort) {
  public static final int BODY = 8;
  public static final int FIELD_CHANNEL_ID = 0x1;
  public static final int FIELD_AUTHN_COOKIE = 0x2;
  public static final int FIELD_UDP_PORT = 0x4;

  public byte[] encode() {
    int fields =
        (channelId != null ? FIELD_CHANNEL_ID : 0) | (udpPort != null ? FIELD_UDP_PORT : 0);
    Le.Writer w = new Le.Writer().u32(errorCode).u16(fields).u16(0);
    if (channelId != null) {
      w.u32(channelId);
    }
    if (udpPort != null) {
      w.u16(udpPort);
    }
    return PacketHeader.frame(PacketHeader.CHANNEL_RESPONSE, w.toByteArray());
  }

  public static ChannelResponse decode(byte[] b) throws MalformedPduException {
    ByteReader r = PacketHeader.body(b, PacketHeader.CHANNEL_RESPONSE, BODY, "channel response");
    int error = r.u32le("errorCode");
    int fields = r.u16le("fieldsPresent");
    r.u16le("reserved");
    Integer channelId = null;
    Integer udp = null;
    if (error >= 0) {
      if ((fields & FIELD_CHANNEL_ID) != 0) {
        channelId = r.u32le("channelId");
      }
      if ((fields & FIELD_UDP_PORT) != 0) {
        udp = r.u16le("udpPort");
      }
      if ((fields & FIELD_AUTHN_COOKIE) != 0) {
        Fields.blob(r, "authnCookie");
      }
    }
    return new ChannelResponse(error, fields, channelId, udp);
  }
}

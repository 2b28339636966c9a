package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.Per;
import dev.rdpdoctor.wire.X224Data;
import java.io.ByteArrayOutputStream;

/**
 * MCS Send Data Request (client to server, CHOICE 25) and Send Data Indication (server to client,
 * CHOICE 26), [MS-RDPBCGR] 2.2.1.11 / 2.2.8.1.1.1, T.125 SendDataRequest/Indication. Every
 * slow-path RDP PDU after the channel joins travels in one.
 *
 * <pre>
 * +------+----------------+----------------+------+-------------+---------------+
 * | 64/68| initiator (BE) | channelId (BE) | 70   | PER length  | userData ...  |
 * | CHOICE | UserId - 1001 | ChannelId     | prio/segm | 1 or 2 bytes |          |
 * +------+----------------+----------------+------+-------------+---------------+
 * </pre>
 *
 * @param indication true for CHOICE 26 (from the server)
 */
public record McsSendData(boolean indication, int userId, int channelId, byte[] data) {
  public static final int REQUEST = 25;
  public static final int INDICATION = 26;

  /** The largest userData we accept from a server; the PDU cap bounds it anyway. */
  public static final int MAX_DATA = 0x3FFF;

  /** dataPriority high, segmentation begin|end: what every RDP implementation sends. */
  private static final int PRIORITY_SEGMENTATION = 0x70;

  /** The MCS CHOICE of a Data TPDU's payload, or -1 when it has none. */
  public static int choice(byte[] pdu) {
    return pdu.length > X224Data.OVERHEAD ? (pdu[X224Data.OVERHEAD] & 0xFF) >> 2 : -1;
  }

  public byte[] encode() {
    if (data.length > MAX_DATA) {
      throw new IllegalArgumentException("userData too long: " + data.length);
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int u = userId - McsAttachUserConfirm.USER_ID_BASE;
    b.write((indication ? INDICATION : REQUEST) << 2);
    b.write(u >> 8);
    b.write(u);
    b.write(channelId >> 8);
    b.write(channelId);
    b.write(PRIORITY_SEGMENTATION);
    Per.writeLength(b, data.length);
    b.writeBytes(data);
    return X224Data.frame(b.toByteArray());
  }

  public static McsSendData decode(byte[] pdu) throws MalformedPduException {
    ByteReader r = new ByteReader(X224Data.payload(pdu));
    int c = r.u8("MCS PDU choice") >> 2;
    if (c != INDICATION && c != REQUEST) {
      throw new MalformedPduException("MCS PDU " + c + " is not Send Data", X224Data.OVERHEAD);
    }
    int user = r.u16be("SendData initiator") + McsAttachUserConfirm.USER_ID_BASE;
    int channel = r.u16be("SendData channelId");
    r.u8("SendData priority/segmentation");
    // no RDP server fragments slow-path userData: a fragmented length is malformed
    int len = Per.readLength(r, "SendData length");
    if (len != r.remaining()) {
      throw new MalformedPduException(
          "Send Data length " + len + " but " + r.remaining() + " bytes follow",
          X224Data.OVERHEAD + r.position());
    }
    return new McsSendData(c == INDICATION, user, channel, r.bytes(len, "SendData userData"));
  }
}

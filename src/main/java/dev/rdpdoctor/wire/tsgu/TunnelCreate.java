package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * HTTP_TUNNEL_PACKET, [MS-TSGU] 2.2.10.18 (with HTTP_TUNNEL_PACKET_OPTIONAL, 2.2.10.19): the client
 * asks for a tunnel and says which capabilities it has.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                  hdr (8, type 0x4 TUNNEL_CREATE)              |
 * +---------------------------------------------------------------+
 * |                capsFlags (HTTP_CAPABILITY_TYPE)               |
 * +-------------------------------+-------------------------------+
 * |         fieldsPresent         |           reserved            |
 * +-------------------------------+-------------------------------+
 * | reauthTunnelContext (8, if fieldsPresent & 0x2 REAUTH)        |
 * | PAA cookie: cbLen u16 + bytes (if fieldsPresent & 0x1)        |
 * +---------------------------------------------------------------+
 * </pre>
 */
public record TunnelCreate(int capsFlags, int fieldsPresent, long reauthContext, byte[] paaCookie) {
  public static final int BODY = 8;
  public static final int FIELD_PAA_COOKIE = 0x1;
  public static final int FIELD_REAUTH = 0x2;
  // HTTP_CAPABILITY_TYPE, 2.2.5.3.2
  public static final int CAP_QUAR_SOH = 0x1;
  public static final int CAP_IDLE_TIMEOUT = 0x2;
  public static final int CAP_MESSAGING_CONSENT_SIGN = 0x4;
  public static final int CAP_MESSAGING_SERVICE_MSG = 0x8;
  public static final int CAP_REAUTH = 0x10;
  public static final int CAP_UDP_TRANSPORT = 0x20;

  /** A plain tunnel request with no cookie and no reauthentication. */
  public static TunnelCreate of(int caps) {
    return new TunnelCreate(caps, 0, 0, null);
  }

  public byte[] encode() {
    Le.Writer w = new Le.Writer().u32(capsFlags).u16(fieldsPresent).u16(0);
    if ((fieldsPresent & FIELD_REAUTH) != 0) {
      w.u32(reauthContext & 0xFFFFFFFFL).u32(reauthContext >>> 32);
    }
    if ((fieldsPresent & FIELD_PAA_COOKIE) != 0) {
      byte[] c = paaCookie == null ? new byte[0] : paaCookie;
      w.u16(c.length).bytes(c);
    }
    return PacketHeader.frame(PacketHeader.TUNNEL_CREATE, w.toByteArray());
  }

  public static TunnelCreate decode(byte[] b) throws MalformedPduException {
    ByteReader r = PacketHeader.body(b, PacketHeader.TUNNEL_CREATE, BODY, "tunnel create");
    int caps = r.u32le("capsFlags");
    int fields = r.u16le("fieldsPresent");
    r.u16le("reserved");
    long reauth = 0;
    byte[] cookie = null;
    if ((fields & FIELD_REAUTH) != 0) {
      long lo = r.u32le("reauthTunnelContext") & 0xFFFFFFFFL;
      long hi = r.u32le("reauthTunnelContext") & 0xFFFFFFFFL;
      reauth = lo | (hi << 32);
    }
    if ((fields & FIELD_PAA_COOKIE) != 0) {
      cookie = Fields.blob(r, "PAA cookie");
    }
    return new TunnelCreate(caps, fields, reauth, cookie);
  }
}

package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * HTTP_TUNNEL_AUTH_RESPONSE, [MS-TSGU] 2.2.10.16 (optional part 2.2.10.17): the CAP verdict. {@code
 * errorCode} E_PROXY_NAP_ACCESSDENIED means the connection authorization policy denies this user.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |               hdr (8, type 0x7 TUNNEL_AUTH_RESPONSE)          |
 * +---------------------------------------------------------------+
 * |                     errorCode (HRESULT)                       |
 * +-------------------------------+-------------------------------+
 * |         fieldsPresent         |           reserved            |
 * +-------------------------------+-------------------------------+
 * | redirFlags u32 (0x1), idleTimeout u32 (0x2),                  |
 * | SoH response cbLen u16 + bytes (0x4)                          |
 * +---------------------------------------------------------------+
 * </pre>
 */
public record TunnelAuthResponse(
    int errorCode, int fieldsPresent, Integer redirFlags, Integer idleTimeoutMinutes) {
  public static final int BODY = 8;
  public static final int FIELD_REDIR_FLAGS = 0x1;
  public static final int FIELD_IDLE_TIMEOUT = 0x2;
  public static final int FIELD_SOH_RESPONSE = 0x4;

  public byte[] encode() {
    int fields =
        (redirFlags != null ? FIELD_REDIR_FLAGS : 0)
            | (idleTimeoutMinutes != null ? FIELD_IDLE_TIMEOUT : 0);
    Le.Writer w = new Le.Writer().u32(errorCode).u16(fields).u16(0);
    if (redirFlags != null) {
      w.u32(redirFlags);
    }
    if (idleTimeoutMinutes != null) {
      w.u32(idleTimeoutMinutes);
    }
    return PacketHeader.frame(PacketHeader.TUNNEL_AUTH_RESPONSE, w.toByteArray());
  }

  public static TunnelAuthResponse decode(byte[] b) throws MalformedPduException {
    ByteReader r =
        PacketHeader.body(b, PacketHeader.TUNNEL_AUTH_RESPONSE, BODY, "tunnel auth response");
    int error = r.u32le("errorCode");
    int fields = r.u16le("fieldsPresent");
    r.u16le("reserved");
    Integer redir = null;
    Integer idle = null;
    if ((fields & FIELD_REDIR_FLAGS) != 0 && r.remaining() >= 4) {
      redir = r.u32le("redirFlags");
    }
    if ((fields & FIELD_IDLE_TIMEOUT) != 0 && r.remaining() >= 4) {
      idle = r.u32le("idleTimeout");
    }
    // The SoH response is opaque to a diagnosis; it is bounded by packetLength and ignored.
    return new TunnelAuthResponse(error, fields, redir, idle);
  }
}

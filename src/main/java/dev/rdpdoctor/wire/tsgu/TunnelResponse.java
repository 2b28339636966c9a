package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * HTTP_TUNNEL_RESPONSE, [MS-TSGU] 2.2.10.20 (optional part 2.2.10.21): the gateway's answer to
 * TUNNEL_CREATE; {@code statusCode} is an HRESULT (E_PROXY_* on failure).
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                  hdr (8, type 0x5 TUNNEL_RESPONSE)            |
 * +-------------------------------+-------------------------------+
 * |         serverVersion         |     statusCode (HRESULT) ...  |
 * +-------------------------------+-------------------------------+
 * |     ... statusCode            |         fieldsPresent         |
 * +-------------------------------+-------------------------------+
 * |           reserved            |   optional, in this order:    |
 * +-------------------------------+   tunnelId u32 (0x1), caps u32 (0x2),
 *   nonce 20 + serverCert HTTP_UNICODE_STRING (0x4), consentMsg HTTP_UNICODE_STRING (0x10)
 * </pre>
 */
public record TunnelResponse(
    int serverVersion,
    int statusCode,
    int fieldsPresent,
    Integer tunnelId,
    Integer capsFlags,
    String consentMessage) {
  public static final int BODY = 10;
  public static final int FIELD_TUNNEL_ID = 0x1;
  public static final int FIELD_CAPS = 0x2;
  public static final int FIELD_SOH_REQ = 0x4;
  public static final int FIELD_CONSENT_MSG = 0x10;
  static final int NONCE = 20;

  public byte[] encode() {
    int fields =
        (tunnelId != null ? FIELD_TUNNEL_ID : 0)
            | (capsFlags != null ? FIELD_CAPS : 0)
            | (consentMessage != null ? FIELD_CONSENT_MSG : 0);
    Le.Writer w = new Le.Writer().u16(serverVersion).u32(statusCode).u16(fields).u16(0);
    if (tunnelId != null) {
      w.u32(tunnelId);
    }
    if (capsFlags != null) {
      w.u32(capsFlags);
    }
    if (consentMessage != null) {
      Fields.unicode(w, consentMessage);
    }
    return PacketHeader.frame(PacketHeader.TUNNEL_RESPONSE, w.toByteArray());
  }

  public static TunnelResponse decode(byte[] b) throws MalformedPduException {
    ByteReader r = PacketHeader.body(b, PacketHeader.TUNNEL_RESPONSE, BODY, "tunnel response");
    int version = r.u16le("serverVersion");
    int status = r.u32le("statusCode");
    int fields = r.u16le("fieldsPresent");
    r.u16le("reserved");
    Integer tunnelId = null;
    Integer caps = null;
    String consent = null;
    // A failed tunnel carries no optional fields worth reading; the status is the finding.
    if (status >= 0) {
      if ((fields & FIELD_TUNNEL_ID) != 0) {
        tunnelId = r.u32le("tunnelId");
      }
      if ((fields & FIELD_CAPS) != 0) {
        caps = r.u32le("capsFlags");
      }
      if ((fields & FIELD_SOH_REQ) != 0) {
        r.skip(NONCE, "nonce");
        Fields.unicode(r, "serverCert");
      }
      if ((fields & FIELD_CONSENT_MSG) != 0) {
        consent = Fields.unicode(r, "consentMsg");
      }
    }
    return new TunnelResponse(version, status, fields, tunnelId, caps, consent);
  }
}

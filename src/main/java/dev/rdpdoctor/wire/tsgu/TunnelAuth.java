package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * HTTP_TUNNEL_AUTH_PACKET, [MS-TSGU] 2.2.10.14 (optional part 2.2.10.15): the client asks to be
 * authorized on the tunnel. The gateway checks its connection authorization policy (RD CAP) here.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                  hdr (8, type 0x6 TUNNEL_AUTH)                |
 * +-------------------------------+-------------------------------+
 * |         fieldsPresent         |         cbClientName          |
 * +-------------------------------+-------------------------------+
 * |        clientName (cbClientName bytes, UTF-16LE, NUL)         |
 * +---------------------------------------------------------------+
 * | statementOfHealth: cbLen u16 + bytes (if fieldsPresent & 0x1) |
 * +---------------------------------------------------------------+
 * </pre>
 */
public record TunnelAuth(String clientName, byte[] statementOfHealth) {
  public static final int BODY = 4;
  public static final int FIELD_SOH = 0x1;

  public byte[] encode() {
    Le.Writer w = new Le.Writer().u16(statementOfHealth != null ? FIELD_SOH : 0);
    Fields.unicode(w, clientName);
    if (statementOfHealth != null) {
      w.u16(statementOfHealth.length).bytes(statementOfHealth);
    }
    return PacketHeader.frame(PacketHeader.TUNNEL_AUTH, w.toByteArray());
  }

  public static TunnelAuth decode(byte[] b) throws MalformedPduException {
    ByteReader r = PacketHeader.body(b, PacketHeader.TUNNEL_AUTH, BODY, "tunnel auth");
    int fields = r.u16le("fieldsPresent");
    String name = Fields.unicode(r, "clientName");
    byte[] soh = (fields & FIELD_SOH) != 0 ? Fields.blob(r, "statementOfHealth") : null;
    return new TunnelAuth(name, soh);
  }
}

package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * HTTP_HANDSHAKE_REQUEST_PACKET, [MS-TSGU] 2.2.10.10: the client's first packet.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                  hdr (8, type 0x1 HANDSHAKE_REQUEST)          |
 * +---------------+---------------+-------------------------------+
 * |   verMajor    |   verMinor    |         clientVersion         |
 * +---------------+---------------+-------------------------------+
 * |         extendedAuth          |   extendedAuth: 0 none, 1 smart card, 2 PAA, 4 SSPI NTLM
 * +-------------------------------+
 * </pre>
 */
public record HandshakeRequest(int verMajor, int verMinor, int clientVersion, int extendedAuth) {
  public static final int BODY = 6;
  public static final int EXTENDED_AUTH_NONE = 0;

  /** What current clients send: version 1.0, clientVersion 0, no extended auth. */
  public static HandshakeRequest standard() {
    return new HandshakeRequest(1, 0, 0, EXTENDED_AUTH_NONE);
  }

  public byte[] encode() {
    return PacketHeader.frame(
        PacketHeader.HANDSHAKE_REQUEST,
        new Le.Writer()
            .u8(verMajor)
            .u8(verMinor)
            .u16(clientVersion)
            .u16(extendedAuth)
            .toByteArray());
  }

  public static HandshakeRequest decode(byte[] b) throws MalformedPduException {
    ByteReader r = PacketHeader.body(b, PacketHeader.HANDSHAKE_REQUEST, BODY, "handshake request");
    return new HandshakeRequest(
        r.u8("verMajor"), r.u8("verMinor"), r.u16le("clientVersion"), r.u16le("extendedAuth"));
  }
}

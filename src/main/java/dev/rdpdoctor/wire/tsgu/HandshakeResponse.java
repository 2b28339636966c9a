package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * HTTP_HANDSHAKE_RESPONSE_PACKET, [MS-TSGU] 2.2.10.11: the gateway's answer to the handshake.
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |                  hdr (8, type 0x2 HANDSHAKE_RESPONSE)         |
 * +---------------------------------------------------------------+
 * |                    errorCode (HRESULT)                        |
 * +---------------+---------------+-------------------------------+
 * |   verMajor    |   verMinor    |         serverVersion         |
 * +---------------+---------------+-------------------------------+
 * |         extendedAuth          |
 * +-------------------------------+
 * </pre>
 */
public record HandshakeResponse(
    int errorCode, int verMajor, int verMinor, int serverVersion, int extendedAuth) {
  public static final int BODY = 10;

  public byte[] encode() {
    return PacketHeader.frame(
        PacketHeader.HANDSHAKE_RESPONSE,
        new Le.Writer()
            .u32(errorCode)
            .u8(verMajor)
            .u8(verMinor)
            .u16(serverVersion)
            .u16(extendedAuth)
            .toByteArray());
  }

  public static HandshakeResponse decode(byte[] b) throws MalformedPduException {
    ByteReader r =
        PacketHeader.body(b, PacketHeader.HANDSHAKE_RESPONSE, BODY, "handshake response");
    return new HandshakeResponse(
        r.u32le("errorCode"),
        r.u8("verMajor"),
        r.u8("verMinor"),
        r.u16le("serverVersion"),
        r.u16le("extendedAuth"));
  }
}

package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * HTTP_PACKET_HEADER, [MS-TSGU] 2.2.10.9: the 8 bytes in front of every packet of the RDG HTTP
 * transport (inside the chunked IN/OUT channels, or a WebSocket binary message).
 *
 * <pre>
 *  0               1               2               3
 * +---------------+---------------+---------------+---------------+
 * |          packetType           |           reserved            |
 * +---------------+---------------+---------------+---------------+
 * |                 packetLength (header included)                |
 * +---------------+---------------+---------------+---------------+
 * </pre>
 */
public record PacketHeader(int type, long length) {
  public static final int LENGTH = 8;

  /**
   * Largest packet this client accepts. The control packets it reads are tens of bytes; a consent
   * message or SoH blob stays far below this, so anything larger is hostile or broken.
   */
  public static final int MAX_PACKET = 64 * 1024;

  // packet types, [MS-TSGU] 2.2.5.3.3 HTTP_PACKET_TYPE
  public static final int HANDSHAKE_REQUEST = 0x1;
  public static final int HANDSHAKE_RESPONSE = 0x2;
  public static final int EXTENDED_AUTH_MSG = 0x3;
  public static final int TUNNEL_CREATE = 0x4;
  public static final int TUNNEL_RESPONSE = 0x5;
  public static final int TUNNEL_AUTH = 0x6;
  public static final int TUNNEL_AUTH_RESPONSE = 0x7;
  public static final int CHANNEL_CREATE = 0x8;
  public static final int CHANNEL_RESPONSE = 0x9;
  public static final int DATA = 0xA;
  public static final int SERVICE_MESSAGE = 0xB;
  public static final int REAUTH_MESSAGE = 0xC;
  public static final int KEEPALIVE = 0xD;
  public static final int CLOSE_CHANNEL = 0x10;
  public static final int CLOSE_CHANNEL_RESPONSE = 0x11;

  /** Reads the header and checks that the declared length is sane and fully present. */
  public static PacketHeader read(ByteReader r, int expectedType) throws MalformedPduException {
    int start = r.position();
    int type = r.u16le("packetType");
    r.u16le("reserved");
    long length = r.u32le("packetLength") & 0xFFFFFFFFL;
    if (length < LENGTH || length > MAX_PACKET) {
      throw new MalformedPduException(
          "packetLength " + length + " outside " + LENGTH + ".." + MAX_PACKET, start + 4);
    }
    if (expectedType >= 0 && type != expectedType) {
      throw new MalformedPduException(
          "packet type 0x"
              + Integer.toHexString(type)
              + ", expected 0x"
              + Integer.toHexString(expectedType),
          start);
    }
    r.require((int) length - LENGTH, "packet body");
    return new PacketHeader(type, length);
  }

  /**
   * The body of one packet of the expected type, as a reader bounded by packetLength (so a field
   * can never be read from bytes that belong to the next packet).
   */
  public static ByteReader body(byte[] b, int expectedType, int minBody, String what)
      throws MalformedPduException {
    PacketHeader h = read(new ByteReader(b), expectedType);
    int len = (int) h.length() - LENGTH;
    if (len < minBody) {
      throw new MalformedPduException(
          what
              + ": packetLength "
              + h.length()
              + " leaves "
              + len
              + " body bytes, needs at least "
              + minBody,
          4);
    }
    return new ByteReader(b, LENGTH, len);
  }

  /** Peeks the type and length of a complete packet in {@code b} (for dispatch). */
  public static PacketHeader peek(byte[] b) throws MalformedPduException {
    return read(new ByteReader(b), -1);
  }

  /** Frames a body: header with the total length, then the body. */
  static byte[] frame(int type, byte[] body) {
    return new Le.Writer().u16(type).u16(0).u32(LENGTH + body.length).bytes(body).toByteArray();
  }

  /** Human name for a packet type, for traces and evidence. */
  public static String name(int type) {
    return switch (type) {
      case HANDSHAKE_REQUEST -> "HANDSHAKE_REQUEST";
      case HANDSHAKE_RESPONSE -> "HANDSHAKE_RESPONSE";
      case EXTENDED_AUTH_MSG -> "EXTENDED_AUTH_MSG";
      case TUNNEL_CREATE -> "TUNNEL_CREATE";
      case TUNNEL_RESPONSE -> "TUNNEL_RESPONSE";
      case TUNNEL_AUTH -> "TUNNEL_AUTH";
      case TUNNEL_AUTH_RESPONSE -> "TUNNEL_AUTH_RESPONSE";
      case CHANNEL_CREATE -> "CHANNEL_CREATE";
      case CHANNEL_RESPONSE -> "CHANNEL_RESPONSE";
      case DATA -> "DATA";
      case SERVICE_MESSAGE -> "SERVICE_MESSAGE";
      case REAUTH_MESSAGE -> "REAUTH_MESSAGE";
      case KEEPALIVE -> "KEEPALIVE";
      case CLOSE_CHANNEL -> "CLOSE_CHANNEL";
      case CLOSE_CHANNEL_RESPONSE -> "CLOSE_CHANNEL_RESPONSE";
      default -> "UNKNOWN(0x" + Integer.toHexString(type) + ")";
    };
  }
}

package dev.rdpdoctor.wire;

import dev.rdpdoctor.codes.NegotiationFailureCode;

/**
 * The 8-byte negotiation structures carried after the X.224 header ([MS-RDPBCGR] 2.2.1.1.1,
 * 2.2.1.2.1, 2.2.1.2.2). All three share one layout:
 *
 * <pre>
 *  0       1       2       3       4       5       6       7
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * | type  | flags | length (LE)=8 |  requestedProtocols /          |
 * |       |       |               |  selectedProtocol / failureCode|
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 *   type: 0x01 RDP_NEG_REQ, 0x02 RDP_NEG_RSP, 0x03 RDP_NEG_FAILURE
 * </pre>
 */
public sealed interface RdpNegotiation {
  int TYPE_RDP_NEG_REQ = 0x01;
  int TYPE_RDP_NEG_RSP = 0x02;
  int TYPE_RDP_NEG_FAILURE = 0x03;
  int LENGTH = 8;

  /** RDP_NEG_REQ flag: an RDP_NEG_CORRELATION_INFO follows. */
  int CORRELATION_INFO_PRESENT = 0x08;

  /** RDP_NEG_RSP flags ([MS-RDPBCGR] 2.2.1.2.1). */
  int EXTENDED_CLIENT_DATA_SUPPORTED = 0x01;

  int DYNVC_GFX_PROTOCOL_SUPPORTED = 0x02;
  int NEGRSP_FLAG_RESERVED = 0x04;
  int RESTRICTED_ADMIN_MODE_SUPPORTED = 0x08;
  int REDIRECTED_AUTHENTICATION_MODE_SUPPORTED = 0x10;

  /** Client request. */
  record Request(int flags, int requestedProtocols) implements RdpNegotiation {
    public byte[] encode() {
      return encode8(TYPE_RDP_NEG_REQ, flags, requestedProtocols);
    }
  }

  /** Server's choice of security protocol. */
  record Response(int flags, int selectedProtocol) implements RdpNegotiation {
    public byte[] encode() {
      return encode8(TYPE_RDP_NEG_RSP, flags, selectedProtocol);
    }
  }

  /** Server's refusal, with the reason. */
  record Failure(int flags, NegotiationFailureCode failureCode) implements RdpNegotiation {
    public byte[] encode() {
      return encode8(TYPE_RDP_NEG_FAILURE, flags, failureCode.code());
    }
  }

  /** A type byte the specification does not define; kept so evidence can show it. */
  record Unknown(int type, int flags, int value) implements RdpNegotiation {}

  static RdpNegotiation decode(ByteReader r) throws MalformedPduException {
    int start = r.position();
    int type = r.u8("negotiation type");
    int flags = r.u8("negotiation flags");
    int length = r.u16le("negotiation length");
    if (length != LENGTH) {
      throw new MalformedPduException("negotiation length " + length + ", expected 8", start + 2);
    }
    int value = r.u32le("negotiation value");
    return switch (type) {
      case TYPE_RDP_NEG_REQ -> new Request(flags, value);
      case TYPE_RDP_NEG_RSP -> new Response(flags, value);
      case TYPE_RDP_NEG_FAILURE -> new Failure(flags, NegotiationFailureCode.valueOf(value));
      default -> new Unknown(type, flags, value);
    };
  }

  private static byte[] encode8(int type, int flags, int value) {
    return new byte[] {
      (byte) type,
      (byte) flags,
      LENGTH,
      0,
      (byte) value,
      (byte) (value >>> 8),
      (byte) (value >>> 16),
      (byte) (value >>> 24)
    };
  }
}

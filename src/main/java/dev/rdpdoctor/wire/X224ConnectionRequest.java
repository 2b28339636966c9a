package dev.rdpdoctor.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Client X.224 Connection Request PDU ([MS-RDPBCGR] 2.2.1.1, X.224 section 13.3).
 *
 * <pre>
 * +--------+--------+--------+--------+--------+--------+--------+
 * |   LI   | CR CDT |    DST-REF      |    SRC-REF      | CLASS  |   LI counts the bytes after
 * |        |  0xE0  |     (0)         |                 |  (0)   |   itself; CDT low nibble = 0
 * +--------+--------+--------+--------+--------+--------+--------+
 * | routingToken or "Cookie: mstshash=NAME\r\n"  (optional, CRLF-terminated)  |
 * +------------------------------------------------------------------------+
 * | RDP_NEG_REQ (8 bytes, optional)                                          |
 * +------------------------------------------------------------------------+
 * </pre>
 *
 * @param cookie the text after "Cookie: mstshash=", or null for none
 * @param negotiation the RDP_NEG_REQ, or null for a legacy request without one
 */
public record X224ConnectionRequest(String cookie, RdpNegotiation.Request negotiation) {
  public static final int TPDU_CR = 0xE0;

  /** X.224 fixed part after LI: code, dst-ref, src-ref, class. */
  private static final int FIXED_PART = 6;

  /** LI is one byte; a CR longer than this cannot be expressed. */
  private static final int MAX_LI = 254;

  private static final String COOKIE_PREFIX = "Cookie: mstshash=";

  /** The whole TPKT-framed PDU as it goes on the wire. */
  public byte[] encode() {
    ByteArrayOutputStream variable = new ByteArrayOutputStream();
    if (cookie != null) {
      variable.writeBytes((COOKIE_PREFIX + cookie + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    if (negotiation != null) {
      variable.writeBytes(negotiation.encode());
    }
    int li = FIXED_PART + variable.size();
    if (li > MAX_LI) {
      throw new IllegalArgumentException("cookie too long for an X.224 CR");
    }
    ByteArrayOutputStream tpdu = new ByteArrayOutputStream();
    tpdu.write(li);
    tpdu.write(TPDU_CR);
    tpdu.writeBytes(new byte[] {0, 0, 0, 0, 0});
    tpdu.writeBytes(variable.toByteArray());
    return Tpkt.frame(tpdu.toByteArray());
  }

  /** Decodes a TPKT-framed CR; used by the test servers and fixtures. */
  public static X224ConnectionRequest decode(byte[] pdu) throws MalformedPduException {
    ByteReader r = new ByteReader(pdu);
    Tpkt.decodeWhole(r, pdu.length);
    int li = r.u8("X.224 LI");
    if (li != pdu.length - Tpkt.HEADER_LENGTH - 1 || li < FIXED_PART) {
      throw new MalformedPduException("X.224 LI " + li + " disagrees with TPKT length", 4);
    }
    int code = r.u8("X.224 code");
    if ((code & 0xF0) != TPDU_CR) {
      throw new MalformedPduException(String.format("X.224 code 0x%02x is not CR", code), 5);
    }
    r.skip(5, "X.224 refs and class");
    String cookie = null;
    if (r.remaining() > 0 && r.remaining() != RdpNegotiation.LENGTH) {
      byte[] rest = r.bytes(r.remaining(), "variable part");
      int crlf = indexOfCrlf(rest);
      if (crlf < 0) {
        throw new MalformedPduException("cookie without CRLF", r.position() - rest.length);
      }
      String token = new String(rest, 0, crlf, StandardCharsets.US_ASCII);
      cookie = token.startsWith(COOKIE_PREFIX) ? token.substring(COOKIE_PREFIX.length()) : token;
      r = new ByteReader(rest, crlf + 2, rest.length - crlf - 2);
    }
    RdpNegotiation.Request neg = null;
    if (r.remaining() >= RdpNegotiation.LENGTH) {
      if (RdpNegotiation.decode(r) instanceof RdpNegotiation.Request req) {
        neg = req;
      } else {
        throw new MalformedPduException("negotiation data in a CR is not RDP_NEG_REQ", 0);
      }
    }
    return new X224ConnectionRequest(cookie, neg);
  }

  private static int indexOfCrlf(byte[] b) {
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}

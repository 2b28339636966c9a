package dev.rdpdoctor.wire;

import java.io.ByteArrayOutputStream;

/**
 * A DTLS 1.2 ClientHello in one record (RFC 6347 4.1, 4.2.2; RFC 5246 7.4.1.2), enough to make a
 * DTLS listener (the RD Gateway's UDP transport on 3391) answer with a HelloVerifyRequest, a
 * ServerHello or an alert. Nothing after the hello is ever sent.
 *
 * <pre>
 * record:    type 22 | version FE FD | epoch 0 (2) | sequence 0 (6) | length (2)
 * handshake: type 1 | length (3) | message_seq 0 (2) | fragment_offset 0 (3) | fragment_length (3)
 * hello:     client_version FE FD | random (32) | session_id 0 | cookie 0
 *            | cipher_suites (2 + 2n) | compression 1, null | extensions (2 + ...)
 * </pre>
 */
public final class DtlsClientHello {
  public static final int RECORD_HANDSHAKE = 22;
  public static final int RECORD_ALERT = 21;
  private static final int[] SUITES = {0xC02F, 0xC02B, 0xC030, 0xC02C, 0x009C, 0x002F};

  private DtlsClientHello() {}

  public static byte[] build(byte[] random32) {
    if (random32.length != 32) {
      throw new IllegalArgumentException("random must be 32 bytes");
    }
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write(0xFE);
    h.write(0xFD);
    h.write(random32, 0, 32);
    h.write(0); // session id
    h.write(0); // cookie
    u16(h, SUITES.length * 2);
    for (int s : SUITES) {
      u16(h, s);
    }
    h.write(1);
    h.write(0);
    byte[] ext = {
      0x00,
      0x0A,
      0x00,
      0x06,
      0x00,
      0x04,
      0x00,
      0x17,
      0x00,
      0x1D, // supported_groups
      0x00,
      0x0B,
      0x00,
      0x02,
      0x01,
      0x00, // ec_point_formats
      0x00,
      0x0D,
      0x00,
      0x08,
      0x00,
      0x06,
      0x04,
      0x01,
      0x04,
      0x03,
      0x08,
      0x04 // sig algs
    };
    u16(h, ext.length);
    h.write(ext, 0, ext.length);
    byte[] body = h.toByteArray();

    ByteArrayOutputStream hs = new ByteArrayOutputStream();
    hs.write(1);
    u24(hs, body.length);
    u16(hs, 0);
    u24(hs, 0);
    u24(hs, body.length);
    hs.write(body, 0, body.length);
    byte[] handshake = hs.toByteArray();

    ByteArrayOutputStream rec = new ByteArrayOutputStream();
    rec.write(RECORD_HANDSHAKE);
    rec.write(0xFE);
    rec.write(0xFD);
    rec.write(new byte[8], 0, 8); // epoch + sequence number
    u16(rec, handshake.length);
    rec.write(handshake, 0, handshake.length);
    return rec.toByteArray();
  }

  /** What a reply datagram is, for the evidence: "DTLS handshake", "DTLS alert", or other. */
  public static String describeReply(byte[] b, int len) {
    if (len >= 13 && (b[1] & 0xFF) == 0xFE) {
      int type = b[0] & 0xFF;
      if (type == RECORD_HANDSHAKE) {
        int msg = len > 13 ? b[13] & 0xFF : -1;
        return switch (msg) {
          case 3 -> "DTLS HelloVerifyRequest";
          case 2 -> "DTLS ServerHello";
          default -> "DTLS handshake (type " + msg + ")";
        };
      }
      if (type == RECORD_ALERT) {
        return "DTLS alert" + (len >= 15 ? " (" + (b[14] & 0xFF) + ")" : "");
      }
    }
    return len + " bytes, not DTLS";
  }

  private static void u16(ByteArrayOutputStream o, int v) {
    o.write(v >>> 8);
    o.write(v);
  }

  private static void u24(ByteArrayOutputStream o, int v) {
    o.write(v >>> 16);
    o.write(v >>> 8);
    o.write(v);
  }
}

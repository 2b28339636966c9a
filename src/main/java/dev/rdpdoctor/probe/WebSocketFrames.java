package dev.rdpdoctor.probe;

import dev.rdpdoctor.wire.MalformedPduException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The WebSocket side of the RD Gateway transport (RFC 6455): the opening handshake's key and accept
 * values, and binary messages framed as a client must frame them.
 */
final class WebSocketFrames {
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebSocketFrames() {}

  /** A fresh Sec-WebSocket-Key: 16 random bytes, base64. */
  static String webSocketKey() {
    byte[] k = new byte[16];
    RANDOM.nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }

  /** RFC 6455 1.3: the GUID a server appends to the client's key before hashing it. */
  static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** The Sec-WebSocket-Accept a server must answer {@code key} with: base64(SHA-1(key + GUID)). */
  static String webSocketAccept(String key) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-1")
              .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-1", e);
    }
  }

  /**
   * One binary message as a single masked frame (RFC 6455 5.2; clients must mask).
   *
   * <pre>
   * FIN=1 opcode=2 | MASK=1 len (7, or 126 + u16, or 127 + u64) | mask key (4) | payload ^ key
   * </pre>
   */
  static byte[] binary(byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
    f.write(0x82);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length <= 0xFFFF) {
      f.write(0x80 | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length);
    } else {
      throw new IllegalArgumentException("message too long for this client");
    }
    byte[] mask = new byte[4];
    RANDOM.nextBytes(mask);
    f.write(mask, 0, 4);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i & 3]);
    }
    return f.toByteArray();
  }

  /**
   * Reads the next binary or continuation data up to one complete message; answers nothing (a probe
   * does not stay long enough to need pings). Control frames are skipped; a close frame ends with
   * EOFException naming its status.
   */
  static byte[] readMessage(InputStream in, int cap) throws IOException, MalformedPduException {
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    for (int frames = 0; frames < 64; frames++) {
      int b0 = readByte(in);
      int b1 = readByte(in);
      int opcode = b0 & 0x0F;
      long len = b1 & 0x7F;
      if (len == 126) {
        len = (readByte(in) << 8) | readByte(in);
      } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = (len << 8) | readByte(in);
        }
      }
      if (len < 0 || len > cap || msg.size() + len > cap) {
        throw new MalformedPduException("WebSocket frame of " + len + " bytes exceeds " + cap, 1);
      }
      byte[] mask = (b1 & 0x80) != 0 ? readN(in, 4) : null;
      byte[] data = readN(in, (int) len);
      if (mask != null) {
        for (int i = 0; i < data.length; i++) {
          data[i] ^= mask[i & 3];
        }
      }
      if (opcode == 0x8) {
        int code = data.length >= 2 ? ((data[0] & 0xFF) << 8) | (data[1] & 0xFF) : 0;
        throw new EOFException("the gateway closed the WebSocket (status " + code + ")");
      }
      if (opcode >= 0x8) {
        continue; // ping/pong
      }
      msg.write(data, 0, data.length);
      if ((b0 & 0x80) != 0) {
        return msg.toByteArray();
      }
    }
    throw new MalformedPduException("more than 64 WebSocket frames in one message", 0);
  }

  private static int readByte(InputStream in) throws IOException {
    int c = in.read();
    if (c < 0) {
      throw new EOFException("the gateway closed the connection");
    }
    return c;
  }

  private static byte[] readN(InputStream in, int n) throws IOException {
    byte[] b = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(b, got, n - got);
      if (r < 0) {
        throw new EOFException(
            "the gateway closed the connection after " + got + " of " + n + " bytes");
      }
      got += r;
    }
    return b;
  }
}

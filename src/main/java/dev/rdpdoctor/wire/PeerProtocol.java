package dev.rdpdoctor.wire;

import java.nio.charset.StandardCharsets;

/**
 * Guesses what speaks on a port from the first bytes it sends, so "not RDP" can say what it is
 * instead. Only the opening bytes are looked at; nothing is decoded further.
 */
public final class PeerProtocol {
  private PeerProtocol() {}

  public static String identify(byte[] b, int len) {
    if (len <= 0) {
      return "nothing";
    }
    int b0 = b[0] & 0xFF;
    if (len >= 2 && b0 == 0x16 && b[1] == 0x03) {
      return "TLS handshake (a plain TLS service, not RDP)";
    }
    if (len >= 2 && b0 == 0x15 && (b[1] == 0x03 || b[1] == 0x02)) {
      return "TLS alert (a plain TLS service, not RDP)";
    }
    String text = new String(b, 0, Math.min(len, 16), StandardCharsets.ISO_8859_1);
    if (text.startsWith("HTTP/")) {
      return "HTTP";
    }
    if (text.startsWith("SSH-")) {
      return "SSH";
    }
    if (text.startsWith("RFB ")) {
      return "VNC";
    }
    if (text.startsWith("220")) {
      return "FTP or SMTP banner";
    }
    if (text.startsWith("+OK") || text.startsWith("* OK")) {
      return "mail server banner (POP3/IMAP)";
    }
    if (text.startsWith("<") || text.startsWith("{")) {
      return "text (HTML, XML or JSON)";
    }
    return "unrecognised bytes";
  }
}

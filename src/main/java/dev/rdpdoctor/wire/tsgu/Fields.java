package dev.rdpdoctor.wire.tsgu;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;
import java.nio.charset.StandardCharsets;

/**
 * The two variable-length field shapes of the transport: HTTP_UNICODE_STRING (2.2.10.22) and
 * HTTP_BYTE_BLOB (2.2.10.1), both a u16 byte count followed by that many bytes.
 */
final class Fields {
  /** A client or resource name longer than this many bytes is refused (DNS names are 255). */
  static final int MAX_STRING_BYTES = 4096;

  private Fields() {}

  static byte[] blob(ByteReader r, String what) throws MalformedPduException {
    int n = r.u16le(what + " length");
    return r.bytes(n, what);
  }

  static String unicode(ByteReader r, String what) throws MalformedPduException {
    int at = r.position();
    int n = r.u16le(what + " length");
    if (n > MAX_STRING_BYTES || (n & 1) != 0) {
      throw new MalformedPduException(
          what + " length " + n + " is odd or above " + MAX_STRING_BYTES, at);
    }
    return fromUtf16z(r.bytes(n, what));
  }

  static void unicode(Le.Writer w, String s) {
    byte[] z = utf16z(s);
    w.u16(z.length).bytes(z);
  }

  /** A Unicode string as the transport carries it: UTF-16LE with its terminating NUL. */
  static byte[] utf16z(String s) {
    byte[] text = s.getBytes(StandardCharsets.UTF_16LE);
    byte[] z = new byte[text.length + 2];
    System.arraycopy(text, 0, z, 0, text.length);
    return z;
  }

  /** Decodes UTF-16LE, dropping a terminating NUL and anything after it. */
  static String fromUtf16z(byte[] b) {
    String s = new String(b, 0, b.length & ~1, StandardCharsets.UTF_16LE);
    int nul = s.indexOf('\0');
    return nul < 0 ? s : s.substring(0, nul);
  }
}

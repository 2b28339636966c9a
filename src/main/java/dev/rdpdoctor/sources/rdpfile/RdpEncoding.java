package dev.rdpdoctor.sources.rdpfile;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How an .rdp file is stored on disk. mstsc writes UTF-16LE with a BOM; hand-edited and generated
 * files turn up as UTF-8 (with or without BOM) and as ANSI (windows-1252). The corrected copy is
 * written back in the same encoding so the client reads it the same way.
 */
public enum RdpEncoding {
  UTF16LE_BOM(
      "UTF-16LE with BOM", StandardCharsets.UTF_16LE, new byte[] {(byte) 0xFF, (byte) 0xFE}),
  /** No BOM, but every other byte zero: a file saved by a tool that dropped the BOM. */
  UTF16LE("UTF-16LE without BOM", StandardCharsets.UTF_16LE, new byte[0]),
  UTF8_BOM(
      "UTF-8 with BOM", StandardCharsets.UTF_8, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}),
  UTF8("UTF-8", StandardCharsets.UTF_8, new byte[0]),
  WINDOWS_1252("ANSI (windows-1252)", Charset.forName("windows-1252"), new byte[0]);

  private final String label;
  private final Charset charset;
  private final byte[] bom;

  RdpEncoding(String label, Charset charset, byte[] bom) {
    this.label = label;
    this.charset = charset;
    this.bom = bom;
  }

  public String label() {
    return label;
  }

  public Charset charset() {
    return charset;
  }

  public byte[] bom() {
    return bom.clone();
  }

  /**
   * Picks the encoding from the bytes: a BOM decides; without one, zero bytes at odd offsets mean
   * UTF-16LE, valid UTF-8 means UTF-8, and anything else is ANSI, which decodes every byte.
   */
  public static RdpEncoding detect(byte[] b) {
    if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
      return UTF16LE_BOM;
    }
    if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
      return UTF8_BOM;
    }
    if (looksUtf16Le(b)) {
      return UTF16LE;
    }
    return validUtf8(b) ? UTF8 : WINDOWS_1252;
  }

  /** Text decoded without the BOM; malformed input is replaced, never thrown. */
  String decode(byte[] b) {
    int skip = bom.length;
    int len = b.length - skip;
    if (charset.equals(StandardCharsets.UTF_16LE) && (len & 1) == 1) {
      len--; // a dangling half character; the parser reports it as a problem
    }
    return new String(b, skip, Math.max(0, len), charset);
  }

  byte[] encode(String text) {
    byte[] body = text.getBytes(charset);
    byte[] out = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, out, 0, bom.length);
    System.arraycopy(body, 0, out, bom.length, body.length);
    return out;
  }

  /** Whether the text survives a trip through this encoding (ANSI cannot hold every name). */
  boolean canEncode(String text) {
    return charset.newEncoder().canEncode(text);
  }

  private static boolean looksUtf16Le(byte[] b) {
    int pairs = Math.min(b.length / 2, 256);
    if (pairs < 2) {
      return false;
    }
    for (int i = 0; i < pairs; i++) {
      if (b[2 * i + 1] != 0 || b[2 * i] == 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean validUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}

package dev.rdpdoctor.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * NEGOTIATE_MESSAGE ([MS-NLMP] 2.2.1.1): the client's opening, flags only (no domain or workstation
 * is supplied, as CredSSP clients do).
 *
 * <pre>
 *  0                8             12             16               24                32        40
 * +----------------+-------------+--------------+----------------+-----------------+---------+
 * | "NTLMSSP\0"    | type = 1    | flags (LE)   | DomainNameFlds | WorkstationFlds | Version |
 * +----------------+-------------+--------------+----------------+-----------------+---------+
 *   *Flds = len u16, maxLen u16, offset u32
 * </pre>
 */
public record NtlmNegotiate(int flags, NtlmVersion version) {
  static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);
  public static final int TYPE = 1;
  static final int HEADER = 40;

  /**
   * What a Windows CredSSP client asks for: 56/128-bit keys, key exchange, version, target info,
   * extended session security, always-sign, NTLM, seal, sign, request target, Unicode.
   */
  public static final int CLIENT_FLAGS = 0xE2888235;

  public byte[] encode() {
    byte[] b = new byte[HEADER];
    System.arraycopy(SIGNATURE, 0, b, 0, 8);
    putU32(b, 8, TYPE);
    putU32(b, 12, flags);
    // domain and workstation fields stay empty; their offsets point at the end of the header
    putU32(b, 20, HEADER);
    putU32(b, 28, HEADER);
    System.arraycopy(version.encode(), 0, b, 32, NtlmVersion.LENGTH);
    return b;
  }

  public static NtlmNegotiate decode(byte[] b) throws MalformedPduException {
    ByteReader r = new ByteReader(b);
    checkHeader(r, TYPE);
    int flags = r.u32le("negotiate flags");
    r.skip(16, "domain and workstation fields");
    NtlmVersion v = (flags & NtlmFlags.VERSION) != 0 ? NtlmVersion.read(r) : null;
    return new NtlmNegotiate(flags, v);
  }

  static void checkHeader(ByteReader r, int type) throws MalformedPduException {
    byte[] sig = r.bytes(8, "NTLMSSP signature");
    if (!Arrays.equals(sig, SIGNATURE)) {
      throw new MalformedPduException(
          "not an NTLMSSP message (signature " + Hex.of(sig, 0, 8) + ")", 0);
    }
    int t = r.u32le("message type");
    if (t != type) {
      throw new MalformedPduException("NTLM message type " + t + ", expected " + type, 8);
    }
  }

  static void putU32(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  static void putU16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }
}

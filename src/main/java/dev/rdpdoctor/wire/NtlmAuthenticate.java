package dev.rdpdoctor.wire;

import java.nio.charset.StandardCharsets;

/**
 * AUTHENTICATE_MESSAGE ([MS-NLMP] 2.2.1.3): the client's proof.
 *
 * <pre>
 *  0             8          12          20          28           36         44
 * +-------------+----------+-----------+-----------+------------+----------+
 * | "NTLMSSP\0" | type = 3 | LmRespFld | NtRespFld | DomainFld  | UserFld  |
 * +-------------+----------+-----------+-----------+------------+----------+
 *  44             52                60         64        72         88
 * +--------------+------------------+----------+---------+----------+---------+
 * | WorkstnFld   | EncRandSessKeyFld| flags    | Version | MIC (16) | payload |
 * +--------------+------------------+----------+---------+----------+---------+
 * </pre>
 *
 * Strings are UTF-16LE (NTLMSSP_NEGOTIATE_UNICODE). {@link #MIC_OFFSET} is where the MIC goes once
 * it has been computed over all three messages with this field zeroed.
 */
public record NtlmAuthenticate(
    byte[] lmResponse,
    byte[] ntResponse,
    String domain,
    String user,
    String workstation,
    byte[] encryptedSessionKey,
    int flags,
    NtlmVersion version,
    byte[] mic) {
  public static final int TYPE = 3;
  public static final int MIC_OFFSET = 72;
  static final int HEADER = 88;

  public byte[] encode() {
    byte[][] fields = {
      lmResponse, ntResponse, utf16(domain), utf16(user), utf16(workstation), encryptedSessionKey
    };
    int total = HEADER;
    for (byte[] f : fields) {
      total += f.length;
    }
    byte[] b = new byte[total];
    System.arraycopy(NtlmNegotiate.SIGNATURE, 0, b, 0, 8);
    NtlmNegotiate.putU32(b, 8, TYPE);
    int off = HEADER;
    for (int i = 0; i < fields.length; i++) {
      int at = 12 + 8 * i;
      NtlmNegotiate.putU16(b, at, fields[i].length);
      NtlmNegotiate.putU16(b, at + 2, fields[i].length);
      NtlmNegotiate.putU32(b, at + 4, off);
      System.arraycopy(fields[i], 0, b, off, fields[i].length);
      off += fields[i].length;
    }
    NtlmNegotiate.putU32(b, 60, flags);
    System.arraycopy(version.encode(), 0, b, 64, NtlmVersion.LENGTH);
    System.arraycopy(mic, 0, b, MIC_OFFSET, 16);
    return b;
  }

  public static NtlmAuthenticate decode(byte[] b) throws MalformedPduException {
    ByteReader r = new ByteReader(b);
    NtlmNegotiate.checkHeader(r, TYPE);
    byte[][] fields = new byte[6][];
    String[] names = {
      "LmChallengeResponse",
      "NtChallengeResponse",
      "DomainName",
      "UserName",
      "Workstation",
      "EncryptedRandomSessionKey"
    };
    int[][] spans = new int[6][];
    for (int i = 0; i < 6; i++) {
      int len = r.u16le(names[i] + "Len");
      r.u16le(names[i] + "MaxLen");
      spans[i] = new int[] {r.u32le(names[i] + "BufferOffset"), len};
    }
    int flags = r.u32le("negotiate flags");
    NtlmVersion v = NtlmVersion.read(r);
    byte[] mic = r.bytes(16, "MIC");
    for (int i = 0; i < 6; i++) {
      int off = spans[i][0];
      int len = spans[i][1];
      if (off < 0 || off > b.length || len > b.length - off) {
        throw new MalformedPduException(names[i] + " lies outside the message", 12 + 8 * i);
      }
      fields[i] = java.util.Arrays.copyOfRange(b, off, off + len);
    }
    return new NtlmAuthenticate(
        fields[0],
        fields[1],
        text(fields[2]),
        text(fields[3]),
        text(fields[4]),
        fields[5],
        flags,
        v,
        mic);
  }

  private static byte[] utf16(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_16LE);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_16LE);
  }
}

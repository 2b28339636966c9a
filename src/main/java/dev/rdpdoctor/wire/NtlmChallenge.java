package dev.rdpdoctor.wire;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CHALLENGE_MESSAGE ([MS-NLMP] 2.2.1.2): the server's challenge and, in its target info, who the
 * server says it is and what time it thinks it is.
 *
 * <pre>
 *  0             8          12               20         24                32         40
 * +-------------+----------+----------------+----------+-----------------+----------+
 * | "NTLMSSP\0" | type = 2 | TargetNameFlds | flags    | ServerChallenge | Reserved |
 * +-------------+----------+----------------+----------+-----------------+----------+
 *  40               48          56
 * +----------------+-----------+---------------------------------------------+
 * | TargetInfoFlds | Version   | payload: TargetName, TargetInfo (AV_PAIRs)  |
 * +----------------+-----------+---------------------------------------------+
 *   AV_PAIR ([MS-NLMP] 2.2.2.1) = AvId u16 LE, AvLen u16 LE, value; list ends with MsvAvEOL.
 * </pre>
 *
 * @param targetInfo the raw AV_PAIR list, echoed into the NTLMv2 response
 * @param version null when the server did not set NTLMSSP_NEGOTIATE_VERSION
 */
public record NtlmChallenge(
    int flags,
    byte[] serverChallenge,
    String targetName,
    byte[] targetInfo,
    List<AvPair> avPairs,
    NtlmVersion version) {
  public static final int TYPE = 2;
  static final int HEADER = 48;

  /** A target info list bigger than this is not an NTLM server's. */
  static final int MAX_AV_PAIRS = 64;

  public static final int AV_EOL = 0;
  public static final int AV_NB_COMPUTER = 1;
  public static final int AV_NB_DOMAIN = 2;
  public static final int AV_DNS_COMPUTER = 3;
  public static final int AV_DNS_DOMAIN = 4;
  public static final int AV_DNS_TREE = 5;
  public static final int AV_FLAGS = 6;
  public static final int AV_TIMESTAMP = 7;
  public static final int AV_TARGET_NAME = 9;

  /** One attribute of the target info. */
  public record AvPair(int id, byte[] value) {
    /** UTF-16LE text for the name attributes. */
    public String text() {
      return new String(value, StandardCharsets.UTF_16LE);
    }
  }

  public static NtlmChallenge decode(byte[] b) throws MalformedPduException {
    ByteReader r = new ByteReader(b);
    NtlmNegotiate.checkHeader(r, TYPE);
    int nameLen = r.u16le("TargetNameLen");
    r.u16le("TargetNameMaxLen");
    int nameOff = r.u32le("TargetNameBufferOffset");
    int flags = r.u32le("negotiate flags");
    byte[] challenge = r.bytes(8, "ServerChallenge");
    r.skip(8, "Reserved");
    int infoLen = r.u16le("TargetInfoLen");
    r.u16le("TargetInfoMaxLen");
    int infoOff = r.u32le("TargetInfoBufferOffset");
    NtlmVersion version = null;
    if ((flags & NtlmFlags.VERSION) != 0) {
      version = NtlmVersion.read(r);
    }
    byte[] name = payload(b, nameOff, nameLen, "TargetName");
    byte[] info = payload(b, infoOff, infoLen, "TargetInfo");
    String targetName =
        name.length == 0
            ? null
            : new String(
                name,
                (flags & NtlmFlags.UNICODE) != 0
                    ? StandardCharsets.UTF_16LE
                    : StandardCharsets.US_ASCII);
    return new NtlmChallenge(flags, challenge, targetName, info, avPairs(info, infoOff), version);
  }

  private static byte[] payload(byte[] b, int off, int len, String what)
      throws MalformedPduException {
    if (len == 0) {
      return new byte[0];
    }
    if (off < 0 || off > b.length || len > b.length - off) {
      throw new MalformedPduException(
          what
              + " ("
              + len
              + " bytes at "
              + Integer.toUnsignedString(off)
              + ") lies outside the "
              + b.length
              + "-byte message",
          0);
    }
    return java.util.Arrays.copyOfRange(b, off, off + len);
  }

  /** Parses the AV_PAIR list; a list without MsvAvEOL is malformed. */
  static List<AvPair> avPairs(byte[] info, int base) throws MalformedPduException {
    List<AvPair> out = new ArrayList<>();
    if (info.length == 0) {
      return out;
    }
    ByteReader r = new ByteReader(info);
    while (true) {
      if (out.size() >= MAX_AV_PAIRS) {
        throw new MalformedPduException(
            "more than " + MAX_AV_PAIRS + " AV pairs", base + r.position());
      }
      int id = r.u16le("AvId");
      int len = r.u16le("AvLen");
      if (id == AV_EOL) {
        return out;
      }
      out.add(new AvPair(id, r.bytes(len, "AV pair " + id + " value")));
    }
  }

  public String av(int id) {
    return avPairs.stream().filter(p -> p.id() == id).findFirst().map(AvPair::text).orElse(null);
  }

  /** MsvAvTimestamp: the server's clock, a FILETIME (100 ns ticks since 1601), or null. */
  public Instant timestamp() {
    return avPairs.stream()
        .filter(p -> p.id() == AV_TIMESTAMP && p.value().length == 8)
        .findFirst()
        .map(p -> fileTime(p.value()))
        .orElse(null);
  }

  static Instant fileTime(byte[] v) {
    long ticks = 0;
    for (int i = 7; i >= 0; i--) {
      ticks = (ticks << 8) | (v[i] & 0xFF);
    }
    // a FILETIME is unsigned: all ones is the far future, not one tick before 1601
    // (11644473600 s between 1601-01-01 and 1970-01-01)
    return Instant.ofEpochSecond(
        Long.divideUnsigned(ticks, 10_000_000L) - 11_644_473_600L,
        Long.remainderUnsigned(ticks, 10_000_000L) * 100);
  }

  /** Builds a CHALLENGE (tests and the scripted fake server). */
  public static byte[] encode(
      int flags,
      byte[] serverChallenge,
      String targetName,
      byte[] targetInfo,
      NtlmVersion version) {
    byte[] name = targetName == null ? new byte[0] : targetName.getBytes(StandardCharsets.UTF_16LE);
    byte[] b = new byte[HEADER + 8 + name.length + targetInfo.length];
    System.arraycopy(NtlmNegotiate.SIGNATURE, 0, b, 0, 8);
    NtlmNegotiate.putU32(b, 8, TYPE);
    NtlmNegotiate.putU16(b, 12, name.length);
    NtlmNegotiate.putU16(b, 14, name.length);
    NtlmNegotiate.putU32(b, 16, HEADER + 8);
    NtlmNegotiate.putU32(b, 20, flags);
    System.arraycopy(serverChallenge, 0, b, 24, 8);
    NtlmNegotiate.putU16(b, 40, targetInfo.length);
    NtlmNegotiate.putU16(b, 42, targetInfo.length);
    NtlmNegotiate.putU32(b, 44, HEADER + 8 + name.length);
    System.arraycopy(version.encode(), 0, b, 48, 8);
    System.arraycopy(name, 0, b, HEADER + 8, name.length);
    System.arraycopy(targetInfo, 0, b, HEADER + 8 + name.length, targetInfo.length);
    return b;
  }

  /** Encodes an AV_PAIR list with its terminating MsvAvEOL. */
  public static byte[] encodeAvPairs(List<AvPair> pairs) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (AvPair p : pairs) {
      byte[] h = new byte[4];
      NtlmNegotiate.putU16(h, 0, p.id());
      NtlmNegotiate.putU16(h, 2, p.value().length);
      out.writeBytes(h);
      out.writeBytes(p.value());
    }
    out.writeBytes(new byte[4]);
    return out.toByteArray();
  }

  public static AvPair text(int id, String s) {
    return new AvPair(id, s.getBytes(StandardCharsets.UTF_16LE));
  }
}

package dev.rdpdoctor.wire.ntlm;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * The three NTLM messages ([MS-NLMP] 2.2.1.1-2.2.1.3) and the NTLMv2 response (3.3.2), as far as
 * an HTTP client needs them to authenticate to an RD Gateway (`Authorization: NTLM <base64>`).
 * No signing or sealing: HTTP authentication uses neither. The password is only ever held as
 * a char array the caller owns; the derived key is wiped after use.
 */
public final class GatewayNtlm {
  static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);
  // NegotiateFlags, [MS-NLMP] 2.2.2.5
  public static final int NEGOTIATE_UNICODE = 0x00000001;
  public static final int REQUEST_TARGET = 0x00000004;
  public static final int NEGOTIATE_NTLM = 0x00000200;
  public static final int NEGOTIATE_ALWAYS_SIGN = 0x00008000;
  public static final int NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000;
  public static final int NEGOTIATE_TARGET_INFO = 0x00800000;
  public static final int NEGOTIATE_128 = 0x20000000;
  public static final int CLIENT_FLAGS = NEGOTIATE_UNICODE | REQUEST_TARGET | NEGOTIATE_NTLM
      | NEGOTIATE_ALWAYS_SIGN | NEGOTIATE_EXTENDED_SESSIONSECURITY | NEGOTIATE_128;
  /** A CHALLENGE larger than this is refused; real ones are a few hundred bytes. */
  public static final int MAX_MESSAGE = 8 * 1024;
  static final int AV_EOL = 0;
  static final int AV_NB_COMPUTER = 1;
  static final int AV_NB_DOMAIN = 2;
  static final int AV_DNS_COMPUTER = 3;
  static final int AV_DNS_DOMAIN = 4;
  static final int AV_TIMESTAMP = 7;

  private GatewayNtlm() {}

  /**
   * NEGOTIATE_MESSAGE with no domain or workstation supplied.
   *
   * <pre>
   * Signature "NTLMSSP\0" (8) | MessageType 1 (4) | NegotiateFlags (4)
   * DomainNameFields (8: len, maxLen, offset) | WorkstationFields (8)
   * </pre>
   */
  public static byte[] negotiate() {
    Le w = new Le();
    w.bytes(SIGNATURE).u32(1).u32(CLIENT_FLAGS).fields(0, 32).fields(0, 32);
    return w.toByteArray();
  }

  /**
   * CHALLENGE_MESSAGE facts.
   *
   * @param targetInfo the raw AV_PAIR list, echoed inside the NTLMv2 response
   */
  public record Challenge(int flags, byte[] serverChallenge, String targetName,
      byte[] targetInfo, String nbDomain, String nbComputer, String dnsComputer,
      String dnsDomain, Long timestamp) {}

  /**
   * Parses a CHALLENGE_MESSAGE.
   *
   * <pre>
   * Signature (8) | MessageType 2 (4) | TargetNameFields (8) | NegotiateFlags (4)
   * ServerChallenge (8) | Reserved (8) | TargetInfoFields (8) | [Version (8)] | Payload
   * </pre>
   */
  public static Challenge parseChallenge(byte[] b) throws MalformedPduException {
    if (b.length > MAX_MESSAGE) {
      throw new MalformedPduException("CHALLENGE longer than " + MAX_MESSAGE, 0);
    }
    ByteReader r = new ByteReader(b);
    byte[] sig = r.bytes(8, "signature");
    if (!Arrays.equals(sig, SIGNATURE)) {
      throw new MalformedPduException("not an NTLMSSP message", 0);
    }
    int type = r.u32le("MessageType");
    if (type != 2) {
      throw new MalformedPduException("NTLM message type " + type + ", expected 2", 8);
    }
    byte[] name = field(b, r, "TargetName");
    int flags = r.u32le("NegotiateFlags");
    byte[] challenge = r.bytes(8, "ServerChallenge");
    r.skip(8, "Reserved");
    byte[] info = r.remaining() >= 8 ? field(b, r, "TargetInfo") : new byte[0];
    boolean unicode = (flags & NEGOTIATE_UNICODE) != 0;
    String target = new String(name, unicode ? StandardCharsets.UTF_16LE
        : StandardCharsets.ISO_8859_1);
    String nbDomain = null;
    String nbComputer = null;
    String dnsComputer = null;
    String dnsDomain = null;
    Long timestamp = null;
    ByteReader av = new ByteReader(info);
    // AV_PAIR list, 2.2.2.1: AvId u16, AvLen u16, Value; ends at MsvAvEOL
    while (av.remaining() >= 4) {
      int id = av.u16le("AvId");
      int len = av.u16le("AvLen");
      byte[] v = av.bytes(len, "AV value");
      switch (id) {
        case AV_EOL -> av.skip(av.remaining(), "after EOL");
        case AV_NB_COMPUTER -> nbComputer = utf16(v);
        case AV_NB_DOMAIN -> nbDomain = utf16(v);
        case AV_DNS_COMPUTER -> dnsComputer = utf16(v);
        case AV_DNS_DOMAIN -> dnsDomain = utf16(v);
        case AV_TIMESTAMP -> {
          if (len == 8) {
            timestamp = new ByteReader(v).u32le("lo") & 0xFFFFFFFFL
                | ((long) new ByteReader(v, 4, 4).u32le("hi") << 32);
          }
        }
        default -> { }
      }
    }
    return new Challenge(flags, challenge, target, info, nbDomain, nbComputer, dnsComputer,
        dnsDomain, timestamp);
  }

  private static byte[] field(byte[] b, ByteReader r, String what) throws MalformedPduException {
    int at = r.position();
    int len = r.u16le(what + " Len");
    r.u16le(what + " MaxLen");
    int off = r.u32le(what + " BufferOffset");
    if (off < 0 || len > b.length || off > b.length - len) {
      throw new MalformedPduException(what + " (" + len + " bytes at " + off
          + ") lies outside the " + b.length + "-byte message", at);
    }
    return Arrays.copyOfRange(b, off, off + len);
  }

  private static String utf16(byte[] v) {
    return new String(v, 0, v.length & ~1, StandardCharsets.UTF_16LE);
  }

  /**
   * AUTHENTICATE_MESSAGE with an NTLMv2 response (no MIC, no session key exchange).
   *
   * <pre>
   * Signature (8) | MessageType 3 (4) | LmChallengeResponseFields (8)
   * NtChallengeResponseFields (8) | DomainNameFields (8) | UserNameFields (8)
   * WorkstationFields (8) | EncryptedRandomSessionKeyFields (8) | NegotiateFlags (4)
   * Payload (from offset 64)
   * </pre>
   *
   * @param time Windows FILETIME for the response; the server's own timestamp when it sent one
   */
  public static byte[] authenticate(Challenge c, String domain, String user, char[] password,
      String workstation, byte[] clientChallenge, long time) {
    byte[] key = responseKeyNt(user, domain, password);
    try {
      byte[] temp = temp(time, clientChallenge, c.targetInfo());
      byte[] proof = hmacMd5(key, concat(c.serverChallenge(), temp));
      byte[] nt = concat(proof, temp);
      // With a server timestamp the LM response is zeros (3.1.5.1.2); else LMv2
      byte[] lm = c.timestamp() != null ? new byte[24]
          : concat(hmacMd5(key, concat(c.serverChallenge(), clientChallenge)), clientChallenge);
      byte[] dom = domain.getBytes(StandardCharsets.UTF_16LE);
      byte[] usr = user.getBytes(StandardCharsets.UTF_16LE);
      byte[] ws = workstation.getBytes(StandardCharsets.UTF_16LE);
      int off = 64;
      Le w = new Le();
      w.bytes(SIGNATURE).u32(3);
      w.fields(lm.length, off);
      off += lm.length;
      w.fields(nt.length, off);
      off += nt.length;
      w.fields(dom.length, off);
      off += dom.length;
      w.fields(usr.length, off);
      off += usr.length;
      w.fields(ws.length, off);
      off += ws.length;
      w.fields(0, off);
      w.u32(CLIENT_FLAGS & c.flags() | NEGOTIATE_UNICODE);
      w.bytes(lm).bytes(nt).bytes(dom).bytes(usr).bytes(ws);
      return w.toByteArray();
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** NTOWFv2 ([MS-NLMP] 3.3.2): HMAC_MD5(MD4(UNICODE(password)), UNICODE(UPPER(user) + domain)). */
  static byte[] responseKeyNt(String user, String domain, char[] password) {
    byte[] pw = new byte[password.length * 2];
    for (int i = 0; i < password.length; i++) {
      pw[2 * i] = (byte) password[i];
      pw[2 * i + 1] = (byte) (password[i] >>> 8);
    }
    byte[] md4 = new byte[16];
    MD4Digest d = new MD4Digest();
    d.update(pw, 0, pw.length);
    d.doFinal(md4, 0);
    Arrays.fill(pw, (byte) 0);
    try {
      return hmacMd5(md4, (user.toUpperCase(Locale.ROOT) + domain)
          .getBytes(StandardCharsets.UTF_16LE));
    } finally {
      Arrays.fill(md4, (byte) 0);
    }
  }

  /** The NTLMv2_CLIENT_CHALLENGE ("temp"), 2.2.2.7. */
  static byte[] temp(long time, byte[] clientChallenge, byte[] targetInfo) {
    Le w = new Le();
    w.u8(1).u8(1).bytes(new byte[6]).u32((int) time).u32((int) (time >>> 32))
        .bytes(clientChallenge).bytes(new byte[4]).bytes(targetInfo).bytes(new byte[4]);
    return w.toByteArray();
  }

  /** NTProofStr for given inputs, exposed for the spec test vector and the test gateway. */
  public static byte[] ntProof(String user, String domain, char[] password,
      byte[] serverChallenge, byte[] temp) {
    byte[] key = responseKeyNt(user, domain, password);
    try {
      return hmacMd5(key, concat(serverChallenge, temp));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  static byte[] hmacMd5(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacMD5");
      mac.init(new SecretKeySpec(key, "HmacMD5"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacMD5 is part of every JDK", e);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] o = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, o, a.length, b.length);
    return o;
  }

  /** FILETIME (100 ns since 1601-01-01) for a Java epoch millisecond value. */
  public static long fileTime(long epochMillis) {
    return (epochMillis + 11_644_473_600_000L) * 10_000L;
  }

  private static final class Le {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Le u8(int v) {
      out.write(v);
      return this;
    }

    Le u16(int v) {
      out.write(v);
      out.write(v >>> 8);
      return this;
    }

    Le u32(int v) {
      return u16(v & 0xFFFF).u16(v >>> 16);
    }

    Le fields(int len, int offset) {
      return u16(len).u16(len).u32(offset);
    }

    Le bytes(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}

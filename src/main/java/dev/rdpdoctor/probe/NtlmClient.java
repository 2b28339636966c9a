package dev.rdpdoctor.probe;

import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.NtlmAuthenticate;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.NtlmChallenge.AvPair;
import dev.rdpdoctor.wire.NtlmFlags;
import dev.rdpdoctor.wire.NtlmNegotiate;
import dev.rdpdoctor.wire.NtlmVersion;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.bouncycastle.crypto.engines.RC4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The client side of NTLMv2 with extended session security ([MS-NLMP] 3.1.5, 3.3.2, 3.4), in the
 * two uses this tool has. CredSSP ({@link #NtlmClient()}): NEGOTIATE, AUTHENTICATE with a MIC and
 * key exchange, then SEAL/UNSEAL with the derived keys. HTTP ({@link #forHttp}, the RD Gateway's
 * {@code Authorization: NTLM} logon): the same messages as Base64 tokens, without signing or
 * sealing, because nothing on an HTTP connection is signed or sealed after the logon. One instance
 * per connection. The password is used once, in {@link #authenticate}, and the NT hash derived from
 * it is wiped there; only session keys live on.
 */
final class NtlmClient {
  /** What we say we are: Windows 10 build 19041 with the current NTLM revision. */
  static final NtlmVersion OUR_VERSION = new NtlmVersion(10, 0, 19041, NtlmVersion.REVISION_W2K3);

  /**
   * HTTP asks for no signing, sealing or key exchange: with neither SIGN nor SEAL negotiated both
   * sides take ExportedSessionKey = KeyExchangeKey ([MS-NLMP] 3.2.5.2.2), so a KEY_EXCH alone would
   * only send a key the server ignores (and a MIC it could not check).
   */
  static final int HTTP_FLAGS =
      NtlmNegotiate.CLIENT_FLAGS
          & ~(NtlmFlags.SIGN | NtlmFlags.SEAL | NtlmFlags.KEY_EXCH | NtlmFlags.NEGOTIATE_56);

  private static final byte[] CLIENT_SIGN = magic("session key to client-to-server signing key");
  private static final byte[] SERVER_SIGN = magic("session key to server-to-client signing key");
  private static final byte[] CLIENT_SEAL = magic("session key to client-to-server sealing key");
  private static final byte[] SERVER_SEAL = magic("session key to server-to-client sealing key");

  /** MsvAvFlags bit: the AUTHENTICATE carries a MIC. */
  static final int AV_FLAG_MIC = 0x2;

  /** 100 ns ticks between 1601-01-01 (FILETIME) and 1970-01-01. */
  private static final long FILETIME_UNIX_EPOCH = 116_444_736_000_000_000L;

  private final int flags;
  private final String workstation;
  private final byte[] negotiate;
  private RC4Engine sealOut;
  private RC4Engine sealIn;
  private byte[] signOut;
  private byte[] signIn;
  private int seqOut;
  private int seqIn;

  /** For CredSSP: what a Windows CredSSP client asks for, no workstation name. */
  NtlmClient() {
    this(NtlmNegotiate.CLIENT_FLAGS, "");
  }

  private NtlmClient(int flags, String workstation) {
    this.flags = flags;
    this.workstation = workstation;
    this.negotiate = new NtlmNegotiate(flags, OUR_VERSION).encode();
  }

  /** For an HTTP logon ({@code Authorization: NTLM}): no signing, sealing or key exchange. */
  static NtlmClient forHttp(String workstation) {
    return new NtlmClient(HTTP_FLAGS, workstation);
  }

  byte[] negotiateMessage() {
    return negotiate.clone();
  }

  /** The NEGOTIATE as the token of an {@code Authorization: NTLM <token>} header. */
  String negotiateToken() {
    return Base64.getEncoder().encodeToString(negotiate);
  }

  /**
   * The AUTHENTICATE token answering the CHALLENGE token of a {@code WWW-Authenticate: NTLM}
   * header.
   *
   * @throws MalformedPduException when the token is not Base64 or not a CHALLENGE
   */
  String authenticateToken(String challengeToken, Credentials creds) throws MalformedPduException {
    byte[] challenge;
    try {
      challenge = Base64.getDecoder().decode(challengeToken.strip());
    } catch (IllegalArgumentException e) {
      throw new MalformedPduException("the NTLM challenge token is not Base64", 0);
    }
    NtlmChallenge ch = NtlmChallenge.decode(challenge);
    return Base64.getEncoder().encodeToString(authenticate(challenge, ch, creds, Randoms.fresh()));
  }

  /**
   * The inputs of an AUTHENTICATE that are not in the CHALLENGE; fixed in tests to reproduce the
   * spec's vectors.
   *
   * @param clock the local time as a FILETIME, used only when the server sends no MsvAvTimestamp
   */
  record Randoms(byte[] clientChallenge, byte[] exportedSessionKey, long clock) {
    Randoms(byte[] clientChallenge, byte[] exportedSessionKey) {
      this(clientChallenge, exportedSessionKey, fileTime(System.currentTimeMillis()));
    }

    static Randoms fresh() {
      java.security.SecureRandom rnd = new java.security.SecureRandom();
      byte[] c = new byte[8];
      byte[] k = new byte[16];
      rnd.nextBytes(c);
      rnd.nextBytes(k);
      return new Randoms(c, k);
    }
  }

  /**
   * Builds the AUTHENTICATE ([MS-NLMP] 3.1.5.1.2) and, when sealing was negotiated, keys this
   * context for it.
   *
   * <p>A MIC goes in when the CHALLENGE carries MsvAvTimestamp, as the spec says a client SHOULD;
   * MsvAvFlags bit 0x2 in the echoed target info tells the server to check it. That holds over HTTP
   * too: the MIC is keyed by the exported session key, which without key exchange is the session
   * base key both sides derive from the password, so an HTTP server can check it without any
   * signing or sealing. A server with no timestamp predates the MIC: it gets the target info
   * untouched, no MIC and an LMv2 response, as 3.3.2 prescribes.
   */
  byte[] authenticate(byte[] challengeBytes, NtlmChallenge ch, Credentials creds, Randoms rnd) {
    char[] pw = creds.password();
    byte[] ntowf = null;
    byte[] sessionBaseKey = null;
    try {
      ntowf = ntowfv2(pw, creds.user(), creds.domain());
      byte[] stamp = serverTimestamp(ch);
      boolean mic = stamp != null;
      byte[] time = mic ? stamp : le64(rnd.clock());
      byte[] targetInfo = mic ? withMicFlag(ch.avPairs()) : ch.targetInfo();
      byte[] temp = temp(time, rnd.clientChallenge(), targetInfo);
      byte[] proof = hmacMd5(ntowf, concat(ch.serverChallenge(), temp));
      byte[] ntResponse = concat(proof, temp);
      // With MsvAvTimestamp present the LM response is 24 zero bytes ([MS-NLMP] 3.1.5.1.2);
      // without it, LMv2: HMAC_MD5(ResponseKeyLM, server + client challenge) + client challenge
      byte[] lmResponse =
          mic
              ? new byte[24]
              : concat(
                  hmacMd5(ntowf, concat(ch.serverChallenge(), rnd.clientChallenge())),
                  rnd.clientChallenge());
      sessionBaseKey = hmacMd5(ntowf, proof);
      int negotiated = flags & ch.flags() | NtlmFlags.VERSION;
      boolean signOrSeal = (negotiated & (NtlmFlags.SIGN | NtlmFlags.SEAL)) != 0;
      // The server decrypts EncryptedRandomSessionKey only with KEY_EXCH and SIGN or SEAL
      // (3.2.5.2.2); otherwise ExportedSessionKey = KeyExchangeKey = SessionBaseKey for
      // NTLMv2 (3.4.5.1), and a key sent anyway would key our MIC differently from its check.
      boolean exchange = signOrSeal && (negotiated & NtlmFlags.KEY_EXCH) != 0;
      byte[] exported = exchange ? rnd.exportedSessionKey() : sessionBaseKey;
      byte[] encryptedKey = exchange ? rc4(sessionBaseKey, exported) : new byte[0];
      NtlmAuthenticate auth =
          new NtlmAuthenticate(
              lmResponse,
              ntResponse,
              creds.domain(),
              creds.user(),
              workstation,
              encryptedKey,
              negotiated,
              OUR_VERSION,
              new byte[16]);
      byte[] msg = auth.encode();
      if (mic) {
        byte[] code = hmacMd5(exported, concat(concat(negotiate, challengeBytes), msg));
        System.arraycopy(code, 0, msg, NtlmAuthenticate.MIC_OFFSET, 16);
      }
      if (signOrSeal) {
        keys(exported);
      }
      return msg;
    } finally {
      Arrays.fill(pw, '\0');
      if (ntowf != null) {
        Arrays.fill(ntowf, (byte) 0);
      }
      if (sessionBaseKey != null) {
        Arrays.fill(sessionBaseKey, (byte) 0);
      }
    }
  }

  /** Derives the sign and seal keys from the exported session key ([MS-NLMP] 3.4.5). */
  void keys(byte[] exported) {
    signOut = md5(concat(exported, CLIENT_SIGN));
    signIn = md5(concat(exported, SERVER_SIGN));
    sealOut = rc4Engine(md5(concat(exported, CLIENT_SEAL)));
    sealIn = rc4Engine(md5(concat(exported, SERVER_SEAL)));
    seqOut = 0;
    seqIn = 0;
  }

  /** The acceptor's view of the same keys (directions swapped), for a scripted CredSSP peer. */
  void keysAsServer(byte[] exported) {
    keys(exported);
    byte[] sign = signOut;
    signOut = signIn;
    signIn = sign;
    RC4Engine seal = sealOut;
    sealOut = sealIn;
    sealIn = seal;
  }

  /**
   * SEAL ([MS-NLMP] 3.4.3 with extended session security and key exchange): the 16-byte signature
   * (version 1, RC4'd checksum, sequence number) followed by the encrypted message, the layout
   * CredSSP puts in pubKeyAuth and authInfo.
   */
  byte[] seal(byte[] message) {
    requireKeys();
    byte[] sealed = process(sealOut, message);
    byte[] sig = signature(signOut, sealOut, seqOut, message);
    seqOut++;
    return concat(sig, sealed);
  }

  /** UNSEAL: decrypts and checks the server's signature; null when the signature is wrong. */
  byte[] unseal(byte[] data) {
    requireKeys();
    if (data.length < 16) {
      return null;
    }
    byte[] plain = process(sealIn, Arrays.copyOfRange(data, 16, data.length));
    byte[] expect = signature(signIn, sealIn, seqIn, plain);
    seqIn++;
    return MessageDigest.isEqual(expect, Arrays.copyOf(data, 16)) ? plain : null;
  }

  private void requireKeys() {
    if (sealIn == null) {
      throw new IllegalStateException(
          "no sealing keys: this NTLM context negotiated no "
              + "signing or sealing, or has not authenticated yet");
    }
  }

  private static byte[] signature(byte[] signKey, RC4Engine handle, int seq, byte[] message) {
    byte[] seqBytes = le32(seq);
    byte[] checksum = Arrays.copyOf(hmacMd5(signKey, concat(seqBytes, message)), 8);
    byte[] sig = new byte[16];
    sig[0] = 1;
    System.arraycopy(process(handle, checksum), 0, sig, 4, 8);
    System.arraycopy(seqBytes, 0, sig, 12, 4);
    return sig;
  }

  /** NTOWFv2 = HMAC_MD5(MD4(UNICODE(password)), UNICODE(UPPER(user) + domain)). */
  static byte[] ntowfv2(char[] password, String user, String domain) {
    byte[] pw = utf16(password);
    try {
      MD4Digest md4 = new MD4Digest();
      md4.update(pw, 0, pw.length);
      byte[] hash = new byte[16];
      md4.doFinal(hash, 0);
      byte[] who = (user.toUpperCase(Locale.ROOT) + domain).getBytes(StandardCharsets.UTF_16LE);
      byte[] out = hmacMd5(hash, who);
      Arrays.fill(hash, (byte) 0);
      return out;
    } finally {
      Arrays.fill(pw, (byte) 0);
    }
  }

  /** The NTLMv2_CLIENT_CHALLENGE ([MS-NLMP] 2.2.2.7) called temp in 3.3.2. */
  static byte[] temp(byte[] time, byte[] clientChallenge, byte[] targetInfo) {
    byte[] head = {1, 1, 0, 0, 0, 0, 0, 0};
    return concat(
        concat(concat(head, time), concat(clientChallenge, new byte[4])),
        concat(targetInfo, new byte[4]));
  }

  /** The server's target info with MsvAvFlags saying a MIC follows (added or OR-ed in). */
  static byte[] withMicFlag(List<AvPair> pairs) {
    List<AvPair> out = new ArrayList<>();
    boolean had = false;
    for (AvPair p : pairs) {
      if (p.id() == NtlmChallenge.AV_FLAGS && p.value().length == 4) {
        int v =
            (p.value()[0] & 0xFF)
                | (p.value()[1] & 0xFF) << 8
                | (p.value()[2] & 0xFF) << 16
                | (p.value()[3] & 0xFF) << 24;
        out.add(new AvPair(p.id(), le32(v | AV_FLAG_MIC)));
        had = true;
      } else {
        out.add(p);
      }
    }
    if (!had) {
      out.add(new AvPair(NtlmChallenge.AV_FLAGS, le32(AV_FLAG_MIC)));
    }
    return NtlmChallenge.encodeAvPairs(out);
  }

  /** The CHALLENGE's MsvAvTimestamp value (a FILETIME, 8 bytes), or null. */
  private static byte[] serverTimestamp(NtlmChallenge ch) {
    return ch.avPairs().stream()
        .filter(p -> p.id() == NtlmChallenge.AV_TIMESTAMP && p.value().length == 8)
        .findFirst()
        .map(AvPair::value)
        .orElse(null);
  }

  /** FILETIME (100 ns ticks since 1601-01-01) for a Java epoch millisecond value. */
  static long fileTime(long epochMillis) {
    return epochMillis * 10_000L + FILETIME_UNIX_EPOCH;
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

  static byte[] md5(byte[] data) {
    try {
      return MessageDigest.getInstance("MD5").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is part of every JDK", e);
    }
  }

  static byte[] rc4(byte[] key, byte[] data) {
    return process(rc4Engine(key), data);
  }

  private static RC4Engine rc4Engine(byte[] key) {
    RC4Engine e = new RC4Engine();
    e.init(true, new KeyParameter(key));
    return e;
  }

  private static byte[] process(RC4Engine e, byte[] in) {
    byte[] out = new byte[in.length];
    e.processBytes(in, 0, in.length, out, 0);
    return out;
  }

  static byte[] utf16(char[] chars) {
    byte[] b = new byte[chars.length * 2];
    for (int i = 0; i < chars.length; i++) {
      b[2 * i] = (byte) chars[i];
      b[2 * i + 1] = (byte) (chars[i] >>> 8);
    }
    return b;
  }

  static byte[] le32(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }

  static byte[] le64(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (8 * i));
    }
    return b;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] magic(String s) {
    return (s + " magic constant\0").getBytes(StandardCharsets.US_ASCII);
  }
}

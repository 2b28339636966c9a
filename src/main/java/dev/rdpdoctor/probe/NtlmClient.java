package dev.rdpdoctor.probe;

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
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.bouncycastle.crypto.engines.RC4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The client side of NTLMv2 with extended session security ([MS-NLMP] 3.1.5, 3.3.2, 3.4), as
 * CredSSP uses it: NEGOTIATE, then AUTHENTICATE with a MIC, then SEAL/UNSEAL with the derived
 * keys. One instance per connection. The password is used once, in {@link #authenticate}, and
 * the NT hash derived from it is wiped there; only session keys live on.
 */
final class NtlmClient {
  /** What we say we are: Windows 10 build 19041 with the current NTLM revision. */
  static final NtlmVersion OUR_VERSION = new NtlmVersion(10, 0, 19041, NtlmVersion.REVISION_W2K3);
  private static final byte[] CLIENT_SIGN = magic("session key to client-to-server signing key");
  private static final byte[] SERVER_SIGN = magic("session key to server-to-client signing key");
  private static final byte[] CLIENT_SEAL = magic("session key to client-to-server sealing key");
  private static final byte[] SERVER_SEAL = magic("session key to server-to-client sealing key");
  /** MsvAvFlags bit: the AUTHENTICATE carries a MIC. */
  static final int AV_FLAG_MIC = 0x2;

  private final byte[] negotiate;
  private RC4Engine sealOut;
  private RC4Engine sealIn;
  private byte[] signOut;
  private byte[] signIn;
  private int seqOut;
  private int seqIn;

  NtlmClient() {
    this.negotiate = new NtlmNegotiate(NtlmNegotiate.CLIENT_FLAGS, OUR_VERSION).encode();
  }

  byte[] negotiateMessage() {
    return negotiate.clone();
  }

  /** The random parts of an AUTHENTICATE; fixed in tests to reproduce the spec's vectors. */
  record Randoms(byte[] clientChallenge, byte[] exportedSessionKey) {
    static Randoms fresh() {
      java.security.SecureRandom rnd = new java.security.SecureRandom();
      byte[] c = new byte[8];
      byte[] k = new byte[16];
      rnd.nextBytes(c);
      rnd.nextBytes(k);
      return new Randoms(c, k);
    }
  }

  /** Builds the AUTHENTICATE (MIC included) and keys this context for sealing. */
  byte[] authenticate(byte[] challengeBytes, NtlmChallenge ch, Credentials creds, Randoms rnd) {
    char[] pw = creds.password();
    byte[] ntowf = null;
    try {
      ntowf = ntowfv2(pw, creds.user(), creds.domain());
      byte[] time = timestampOrNow(ch);
      byte[] targetInfo = withMicFlag(ch.avPairs());
      byte[] temp = temp(time, rnd.clientChallenge(), targetInfo);
      byte[] proof = hmacMd5(ntowf, concat(ch.serverChallenge(), temp));
      byte[] ntResponse = concat(proof, temp);
      // With MsvAvTimestamp present the LM response is 24 zero bytes ([MS-NLMP] 3.1.5.1.2).
      byte[] lmResponse = new byte[24];
      byte[] sessionBaseKey = hmacMd5(ntowf, proof);
      byte[] exported = rnd.exportedSessionKey();
      byte[] encryptedKey = rc4(sessionBaseKey, exported);
      int flags = NtlmNegotiate.CLIENT_FLAGS & ch.flags() | NtlmFlags.VERSION;
      NtlmAuthenticate auth = new NtlmAuthenticate(lmResponse, ntResponse, creds.domain(),
          creds.user(), "", encryptedKey, flags, OUR_VERSION, new byte[16]);
      byte[] msg = auth.encode();
      byte[] mic = hmacMd5(exported, concat(concat(negotiate, challengeBytes), msg));
      System.arraycopy(mic, 0, msg, NtlmAuthenticate.MIC_OFFSET, 16);
      keys(exported);
      return msg;
    } finally {
      Arrays.fill(pw, '\0');
      if (ntowf != null) {
        Arrays.fill(ntowf, (byte) 0);
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
   * SEAL ([MS-NLMP] 3.4.3 with extended session security and key exchange): the 16-byte
   * signature (version 1, RC4'd checksum, sequence number) followed by the encrypted message,
   * the layout CredSSP puts in pubKeyAuth and authInfo.
   */
  byte[] seal(byte[] message) {
    byte[] sealed = process(sealOut, message);
    byte[] sig = signature(signOut, sealOut, seqOut, message);
    seqOut++;
    return concat(sig, sealed);
  }

  /** UNSEAL: decrypts and checks the server's signature; null when the signature is wrong. */
  byte[] unseal(byte[] data) {
    if (data.length < 16) {
      return null;
    }
    byte[] plain = process(sealIn, Arrays.copyOfRange(data, 16, data.length));
    byte[] expect = signature(signIn, sealIn, seqIn, plain);
    seqIn++;
    return MessageDigest.isEqual(expect, Arrays.copyOf(data, 16)) ? plain : null;
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
    return concat(concat(concat(head, time), concat(clientChallenge, new byte[4])),
        concat(targetInfo, new byte[4]));
  }

  /** The server's target info with MsvAvFlags saying a MIC follows (added or OR-ed in). */
  static byte[] withMicFlag(List<AvPair> pairs) {
    List<AvPair> out = new ArrayList<>();
    boolean had = false;
    for (AvPair p : pairs) {
      if (p.id() == NtlmChallenge.AV_FLAGS && p.value().length == 4) {
        int v = (p.value()[0] & 0xFF) | (p.value()[1] & 0xFF) << 8
            | (p.value()[2] & 0xFF) << 16 | (p.value()[3] & 0xFF) << 24;
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

  private static byte[] timestampOrNow(NtlmChallenge ch) {
    return ch.avPairs().stream().filter(p -> p.id() == NtlmChallenge.AV_TIMESTAMP
        && p.value().length == 8).findFirst().map(AvPair::value).orElseGet(() -> {
          long ticks = System.currentTimeMillis() * 10_000L + 116_444_736_000_000_000L;
          byte[] b = new byte[8];
          for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ticks >>> (8 * i));
          }
          return b;
        });
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

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] magic(String s) {
    return (s + " magic constant\0").getBytes(StandardCharsets.US_ASCII);
  }
}

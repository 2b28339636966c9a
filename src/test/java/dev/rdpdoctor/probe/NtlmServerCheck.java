package dev.rdpdoctor.probe;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.NtlmAuthenticate;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.NtlmFlags;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The acceptor's check of an NTLMv2 AUTHENTICATE, for scripted servers outside this package (the
 * fake RD Gateway). Follows the server's pseudo code ([MS-NLMP] 3.2.5.1.2, 3.2.5.2.2), not the
 * client's, so that a client that keys its MIC wrongly fails here; it shares only the primitives
 * (NTOWFv2, HMAC-MD5, RC4), which NtlmClientTest pins to the 4.2.4 vectors.
 */
public final class NtlmServerCheck {
  /** NTProofStr (16) + the fixed head of NTLMv2_CLIENT_CHALLENGE (28) before its AV pairs. */
  static final int MIN_NT_RESPONSE = 16 + 28;

  /** More AV pairs than any server sends: the list is ours to bound. */
  static final int MAX_AV_PAIRS = 64;

  /** What the check found; {@code micChecked} tells a MIC-less logon from a verified one. */
  public record Result(boolean ok, boolean micChecked, String why) {}

  private NtlmServerCheck() {}

  /**
   * Checks the AUTHENTICATE against the password the server knows for {@code user}.
   *
   * @param negotiate the NEGOTIATE the client sent on this connection (for the MIC)
   * @param challenge the CHALLENGE the server answered with
   */
  public static Result verify(
      byte[] negotiate, byte[] challenge, byte[] authenticate, String user, char[] password)
      throws MalformedPduException {
    NtlmAuthenticate a = NtlmAuthenticate.decode(authenticate);
    if (!a.user().equalsIgnoreCase(user)) {
      return new Result(false, false, "unknown user");
    }
    byte[] nt = a.ntResponse();
    if (nt.length < MIN_NT_RESPONSE) {
      return new Result(false, false, "not an NTLMv2 response");
    }
    byte[] serverChallenge = NtlmChallenge.decode(challenge).serverChallenge();
    byte[] temp = Arrays.copyOfRange(nt, 16, nt.length);
    byte[] key = NtlmClient.ntowfv2(password, a.user(), a.domain());
    try {
      byte[] proof = NtlmClient.hmacMd5(key, NtlmClient.concat(serverChallenge, temp));
      if (!MessageDigest.isEqual(proof, Arrays.copyOf(nt, 16))) {
        return new Result(false, false, "bad NTProofStr");
      }
      if (!micFlagged(temp)) {
        return new Result(true, false, null);
      }
      byte[] keyExchangeKey = NtlmClient.hmacMd5(key, proof);
      int negFlg = a.flags();
      boolean exchange =
          (negFlg & NtlmFlags.KEY_EXCH) != 0 && (negFlg & (NtlmFlags.SIGN | NtlmFlags.SEAL)) != 0;
      byte[] exported =
          exchange ? NtlmClient.rc4(keyExchangeKey, a.encryptedSessionKey()) : keyExchangeKey;
      byte[] zeroed = authenticate.clone();
      Arrays.fill(zeroed, NtlmAuthenticate.MIC_OFFSET, NtlmAuthenticate.MIC_OFFSET + 16, (byte) 0);
      byte[] mic =
          NtlmClient.hmacMd5(
              exported, NtlmClient.concat(NtlmClient.concat(negotiate, challenge), zeroed));
      return MessageDigest.isEqual(mic, a.mic())
          ? new Result(true, true, null)
          : new Result(false, true, "bad MIC");
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** MsvAvFlags with bit 0x2 in the AV pairs the client echoed (temp from offset 28). */
  static boolean micFlagged(byte[] temp) throws MalformedPduException {
    ByteReader r = new ByteReader(temp, 28, temp.length - 28);
    for (int i = 0; i < MAX_AV_PAIRS && r.remaining() >= 4; i++) {
      int id = r.u16le("AvId");
      int len = r.u16le("AvLen");
      if (id == NtlmChallenge.AV_EOL) {
        return false;
      }
      byte[] v = r.bytes(len, "AV value");
      if (id == NtlmChallenge.AV_FLAGS && len == 4 && (v[0] & NtlmClient.AV_FLAG_MIC) != 0) {
        return true;
      }
    }
    return false;
  }
}

package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.NtlmAuthenticate;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.NtlmFlags;
import dev.rdpdoctor.wire.NtlmNegotiate;
import dev.rdpdoctor.wire.NtlmVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NTLMv2 computations against the worked example of [MS-NLMP] 4.2.4. */
class NtlmClientTest {
  static final HexFormat HEX = HexFormat.of();
  static final byte[] SERVER_CHALLENGE = HEX.parseHex("0123456789abcdef");
  static final byte[] CLIENT_CHALLENGE = HEX.parseHex("aaaaaaaaaaaaaaaa");
  static final byte[] RANDOM_SESSION_KEY = HEX.parseHex("55555555555555555555555555555555");

  /**
   * 4.2.4: the CHALLENGE's target info, MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server".
   */
  static final byte[] TARGET_INFO =
      NtlmChallenge.encodeAvPairs(
          List.of(
              NtlmChallenge.text(NtlmChallenge.AV_NB_DOMAIN, "Domain"),
              NtlmChallenge.text(NtlmChallenge.AV_NB_COMPUTER, "Server")));

  @Test
  void ntowfv2MatchesTheSpec() {
    assertThat(hex(NtlmClient.ntowfv2("Password".toCharArray(), "User", "Domain")))
        .isEqualTo("0c868a403bfd7a93a3001ef22ef02e3f");
  }

  @Test
  void ntProofStrSessionKeyAndEncryptedKeyMatchTheSpec() {
    byte[] key = NtlmClient.ntowfv2("Password".toCharArray(), "User", "Domain");
    byte[] temp = NtlmClient.temp(new byte[8], CLIENT_CHALLENGE, TARGET_INFO);
    byte[] proof = NtlmClient.hmacMd5(key, NtlmClient.concat(SERVER_CHALLENGE, temp));
    assertThat(hex(proof)).isEqualTo("68cd0ab851e51c96aabc927bebef6a1c");
    byte[] base = NtlmClient.hmacMd5(key, proof);
    assertThat(hex(base)).isEqualTo("8de40ccadbc14a82f15cb0ad0de95ca3");
    assertThat(hex(NtlmClient.rc4(base, RANDOM_SESSION_KEY)))
        .isEqualTo("c5dad2544fc9799094ce1ce90bc9d03e");
    // LMv2, for completeness of the example (we send zeros when the server sends a timestamp)
    byte[] lm = NtlmClient.hmacMd5(key, NtlmClient.concat(SERVER_CHALLENGE, CLIENT_CHALLENGE));
    assertThat(hex(lm)).isEqualTo("86c35097ac9cec102554764a57cccc19");
  }

  @Test
  void sealMatchesTheSpecsWrapExample() {
    NtlmClient c = new NtlmClient();
    c.keys(RANDOM_SESSION_KEY);
    byte[] out = c.seal("Plaintext".getBytes(StandardCharsets.UTF_16LE));
    assertThat(hex(Arrays.copyOf(out, 16))).isEqualTo("010000007fb38ec5c55d497600000000");
    assertThat(hex(Arrays.copyOfRange(out, 16, out.length)))
        .isEqualTo("54e50165bf1936dc996020c1811b0f06fb5f");
  }

  @Test
  void unsealRejectsWhatTheServerDidNotSign() {
    NtlmClient c = new NtlmClient();
    c.keys(RANDOM_SESSION_KEY);
    byte[] junk = new byte[40];
    assertThat(c.unseal(junk)).isNull();
    assertThat(c.unseal(new byte[3])).isNull();
  }

  @Test
  void authenticateCarriesTheResponsesAndAVerifiableMic() throws Exception {
    byte[] info =
        NtlmChallenge.encodeAvPairs(
            List.of(
                NtlmChallenge.text(NtlmChallenge.AV_NB_DOMAIN, "Domain"),
                NtlmChallenge.text(NtlmChallenge.AV_NB_COMPUTER, "Server"),
                new NtlmChallenge.AvPair(NtlmChallenge.AV_TIMESTAMP, new byte[8])));
    byte[] chBytes =
        NtlmChallenge.encode(
            0xE28A8235, SERVER_CHALLENGE, "Domain", info, new NtlmVersion(6, 0, 6000, 15));
    NtlmChallenge ch = NtlmChallenge.decode(chBytes);
    NtlmClient c = new NtlmClient();
    Credentials creds = new Credentials("Domain", "User", "Password".toCharArray());
    byte[] msg =
        c.authenticate(
            chBytes, ch, creds, new NtlmClient.Randoms(CLIENT_CHALLENGE, RANDOM_SESSION_KEY));
    NtlmAuthenticate a = NtlmAuthenticate.decode(msg);
    assertThat(a.user()).isEqualTo("User");
    assertThat(a.domain()).isEqualTo("Domain");
    assertThat(a.lmResponse()).isEqualTo(new byte[24]);
    // the response echoes the target info with MsvAvFlags = MIC present
    byte[] temp = Arrays.copyOfRange(a.ntResponse(), 16, a.ntResponse().length);
    assertThat(hex(temp)).contains("0600040002000000");
    byte[] key = NtlmClient.ntowfv2("Password".toCharArray(), "User", "Domain");
    byte[] proof = NtlmClient.hmacMd5(key, NtlmClient.concat(SERVER_CHALLENGE, temp));
    assertThat(Arrays.copyOf(a.ntResponse(), 16)).isEqualTo(proof);
    assertThat(NtlmClient.rc4(NtlmClient.hmacMd5(key, proof), a.encryptedSessionKey()))
        .isEqualTo(RANDOM_SESSION_KEY);
    byte[] zeroed = msg.clone();
    Arrays.fill(zeroed, NtlmAuthenticate.MIC_OFFSET, NtlmAuthenticate.MIC_OFFSET + 16, (byte) 0);
    byte[] mic =
        NtlmClient.hmacMd5(
            RANDOM_SESSION_KEY,
            NtlmClient.concat(NtlmClient.concat(c.negotiateMessage(), chBytes), zeroed));
    assertThat(a.mic()).isEqualTo(mic);
    // the password is not in the message, in any encoding
    assertThat(new String(msg, StandardCharsets.UTF_16LE)).doesNotContain("Password");
    assertThat(new String(msg, StandardCharsets.ISO_8859_1)).doesNotContain("Password");
  }

  // ------------------------------------------------------------------ HTTP (RD Gateway) use

  /** The flags of 4.2.4's CHALLENGE: key exchange, sign, seal, 56/128, version, target info. */
  static final int SPEC_CHALLENGE_FLAGS = 0xE28A8233;

  @Test
  void httpNegotiateAsksForNoSigningSealingOrKeyExchange() throws Exception {
    NtlmClient c = NtlmClient.forHttp("RDPDOCTOR");
    byte[] raw = Base64.getDecoder().decode(c.negotiateToken());
    assertThat(raw).isEqualTo(c.negotiateMessage());
    NtlmNegotiate n = NtlmNegotiate.decode(raw);
    assertThat(n.flags() & (NtlmFlags.SIGN | NtlmFlags.SEAL | NtlmFlags.KEY_EXCH)).isZero();
    assertThat(n.flags()).isEqualTo(NtlmClient.HTTP_FLAGS);
    int wanted =
        NtlmFlags.UNICODE
            | NtlmFlags.NTLM
            | NtlmFlags.EXTENDED_SESSIONSECURITY
            | NtlmFlags.NEGOTIATE_128
            | NtlmFlags.VERSION;
    assertThat(n.flags() & wanted).isEqualTo(wanted);
    assertThat(n.version()).isEqualTo(NtlmClient.OUR_VERSION);
  }

  /**
   * 4.2.4 end to end through the HTTP entry: its CHALLENGE has no MsvAvTimestamp, so the
   * AUTHENTICATE echoes the target info untouched (no MIC flag), uses the spec's Time 0, and
   * carries exactly the spec's NTProofStr and LMv2 response.
   */
  @Test
  void httpAuthenticateWithoutServerClockReproducesTheSpecsResponses() throws Exception {
    byte[] chBytes =
        NtlmChallenge.encode(
            SPEC_CHALLENGE_FLAGS,
            SERVER_CHALLENGE,
            "Domain",
            TARGET_INFO,
            new NtlmVersion(6, 0, 6000, 15));
    NtlmClient c = NtlmClient.forHttp("COMPUTER");
    byte[] msg =
        c.authenticate(
            chBytes,
            NtlmChallenge.decode(chBytes),
            new Credentials("Domain", "User", "Password".toCharArray()),
            new NtlmClient.Randoms(CLIENT_CHALLENGE, RANDOM_SESSION_KEY, 0));
    NtlmAuthenticate a = NtlmAuthenticate.decode(msg);
    assertThat(hex(Arrays.copyOf(a.ntResponse(), 16)))
        .isEqualTo("68cd0ab851e51c96aabc927bebef6a1c");
    assertThat(Arrays.copyOfRange(a.ntResponse(), 16, a.ntResponse().length))
        .isEqualTo(NtlmClient.temp(new byte[8], CLIENT_CHALLENGE, TARGET_INFO));
    assertThat(hex(a.lmResponse())).isEqualTo("86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa");
    assertThat(a.workstation()).isEqualTo("COMPUTER");
    assertThat(a.user()).isEqualTo("User");
    assertThat(a.domain()).isEqualTo("Domain");
    // the server offered key exchange, sign and seal; we asked for none, so none is used
    assertThat(a.flags() & (NtlmFlags.SIGN | NtlmFlags.SEAL | NtlmFlags.KEY_EXCH)).isZero();
    assertThat(a.encryptedSessionKey()).isEmpty();
    assertThat(a.mic()).isEqualTo(new byte[16]);
    assertThat(new String(msg, StandardCharsets.UTF_16LE)).doesNotContain("Password");
    assertThat(new String(msg, StandardCharsets.ISO_8859_1)).doesNotContain("Password");
    // nothing is sealed over HTTP: asking to is a programming error, not a silent NPE
    assertThatThrownBy(() -> c.seal(new byte[4])).isInstanceOf(IllegalStateException.class);
  }

  /**
   * With the server's clock in the CHALLENGE, the HTTP logon carries a MIC keyed by the session
   * base key (no key exchange), which a server following 3.2.5.2.2 accepts; one flipped bit in it
   * is refused.
   */
  @Test
  void httpAuthenticateWithServerClockHasAMicTheServerAccepts() throws Exception {
    byte[] info =
        NtlmChallenge.encodeAvPairs(
            List.of(
                NtlmChallenge.text(NtlmChallenge.AV_NB_DOMAIN, "Domain"),
                NtlmChallenge.text(NtlmChallenge.AV_NB_COMPUTER, "Server"),
                new NtlmChallenge.AvPair(
                    NtlmChallenge.AV_TIMESTAMP, HEX.parseHex("0090d336b734c301"))));
    byte[] chBytes =
        NtlmChallenge.encode(
            SPEC_CHALLENGE_FLAGS,
            SERVER_CHALLENGE,
            "Domain",
            info,
            new NtlmVersion(6, 0, 6000, 15));
    NtlmClient c = NtlmClient.forHttp("COMPUTER");
    String token =
        c.authenticateToken(
            Base64.getEncoder().encodeToString(chBytes),
            new Credentials("Domain", "User", "Password".toCharArray()));
    byte[] msg = Base64.getDecoder().decode(token);
    NtlmAuthenticate a = NtlmAuthenticate.decode(msg);
    assertThat(a.lmResponse()).isEqualTo(new byte[24]);
    byte[] temp = Arrays.copyOfRange(a.ntResponse(), 16, a.ntResponse().length);
    assertThat(hex(temp)).contains("0090d336b734c301").contains("0600040002000000");
    byte[] key = NtlmClient.ntowfv2("Password".toCharArray(), "User", "Domain");
    byte[] base = NtlmClient.hmacMd5(key, Arrays.copyOf(a.ntResponse(), 16));
    byte[] zeroed = msg.clone();
    Arrays.fill(zeroed, NtlmAuthenticate.MIC_OFFSET, NtlmAuthenticate.MIC_OFFSET + 16, (byte) 0);
    assertThat(a.mic())
        .isEqualTo(
            NtlmClient.hmacMd5(
                base, NtlmClient.concat(NtlmClient.concat(c.negotiateMessage(), chBytes), zeroed)));
    char[] pw = "Password".toCharArray();
    assertThat(NtlmServerCheck.verify(c.negotiateMessage(), chBytes, msg, "user", pw))
        .isEqualTo(new NtlmServerCheck.Result(true, true, null));
    byte[] tampered = msg.clone();
    tampered[NtlmAuthenticate.MIC_OFFSET] ^= 1;
    assertThat(NtlmServerCheck.verify(c.negotiateMessage(), chBytes, tampered, "user", pw))
        .isEqualTo(new NtlmServerCheck.Result(false, true, "bad MIC"));
    assertThat(
            NtlmServerCheck.verify(
                    c.negotiateMessage(), chBytes, msg, "user", "Passwort".toCharArray())
                .why())
        .isEqualTo("bad NTProofStr");
  }

  /** The CredSSP logon (key exchange negotiated) passes the same server-side check. */
  @Test
  void credSspMicIsKeyedByTheExchangedKey() throws Exception {
    byte[] info =
        NtlmChallenge.encodeAvPairs(
            List.of(
                NtlmChallenge.text(NtlmChallenge.AV_NB_DOMAIN, "Domain"),
                new NtlmChallenge.AvPair(NtlmChallenge.AV_TIMESTAMP, new byte[8])));
    byte[] chBytes =
        NtlmChallenge.encode(
            SPEC_CHALLENGE_FLAGS,
            SERVER_CHALLENGE,
            "Domain",
            info,
            new NtlmVersion(6, 0, 6000, 15));
    NtlmClient c = new NtlmClient();
    byte[] msg =
        c.authenticate(
            chBytes,
            NtlmChallenge.decode(chBytes),
            new Credentials("Domain", "User", "Password".toCharArray()),
            new NtlmClient.Randoms(CLIENT_CHALLENGE, RANDOM_SESSION_KEY));
    assertThat(NtlmAuthenticate.decode(msg).encryptedSessionKey()).hasSize(16);
    assertThat(
            NtlmServerCheck.verify(
                c.negotiateMessage(), chBytes, msg, "User", "Password".toCharArray()))
        .isEqualTo(new NtlmServerCheck.Result(true, true, null));
  }

  @Test
  void challengeTokenThatIsNotBase64OrNotAChallengeIsMalformed() {
    NtlmClient c = NtlmClient.forHttp("RDPDOCTOR");
    Credentials creds = new Credentials("", "u", "p".toCharArray());
    assertThatThrownBy(() -> c.authenticateToken("not*base64!", creds))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("Base64");
    String negotiateBack = c.negotiateToken();
    assertThatThrownBy(() -> c.authenticateToken(negotiateBack, creds))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("type");
    assertThatThrownBy(
            () -> c.authenticateToken(Base64.getEncoder().encodeToString(new byte[40]), creds))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("signature");
  }

  private static String hex(byte[] b) {
    return HEX.formatHex(b);
  }
}

package dev.rdpdoctor.wire.ntlm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.MalformedPduException;
import org.junit.jupiter.api.Test;

/** NTLMv2 against the [MS-NLMP] 4.2.4 test vectors, and the message parsers' bounds. */
class GatewayNtlmTest {
  // [MS-NLMP] 4.2.4: User "User", UserDom "Domain", Passwd "Password", ServerChallenge
  // 0123456789abcdef, ClientChallenge aa*8, Time 0, AV pairs NbDomain "Domain",
  // NbComputer "Server", EOL.
  static final byte[] AV = Hex.parse("02000c0044006f006d00610069006e00"
      + "01000c005300650072007600650072000000 0000".replace(" ", ""));

  @Test
  void responseKeyMatchesSpecVector() {
    assertThat(Hex.of(GatewayNtlm.responseKeyNt("User", "Domain", "Password".toCharArray())))
        .isEqualToIgnoringCase("0c868a403bfd7a93a3001ef22ef02e3f");
  }

  @Test
  void ntProofStrMatchesSpecVector() {
    byte[] temp = GatewayNtlm.temp(0, Hex.parse("aaaaaaaaaaaaaaaa"), AV);
    byte[] proof = GatewayNtlm.ntProof("User", "Domain", "Password".toCharArray(),
        Hex.parse("0123456789abcdef"), temp);
    assertThat(Hex.of(proof)).isEqualToIgnoringCase("68cd0ab851e51c96aabc927bebef6a1c");
  }

  @Test
  void challengeParsesAndAuthenticateEmbedsTheResponse() throws Exception {
    byte[] name = "Domain".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
    byte[] msg = challenge(name, AV);
    GatewayNtlm.Challenge c = GatewayNtlm.parseChallenge(msg);
    assertThat(c.targetName()).isEqualTo("Domain");
    assertThat(c.nbComputer()).isEqualTo("Server");
    assertThat(Hex.of(c.serverChallenge())).isEqualToIgnoringCase("0123456789abcdef");
    byte[] auth = GatewayNtlm.authenticate(c, "Domain", "User", "Password".toCharArray(),
        "WS", Hex.parse("aaaaaaaaaaaaaaaa"), 0);
    assertThat(Hex.of(auth)).containsIgnoringCase("68cd0ab851e51c96aabc927bebef6a1c");
    assertThat(new String(auth, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("Password");
  }

  @Test
  void challengeWithTargetInfoOutsideMessageIsMalformed() {
    byte[] msg = challenge(new byte[0], AV);
    msg[44] = (byte) 0xF0;  // TargetInfo offset far beyond the end
    assertThatThrownBy(() -> GatewayNtlm.parseChallenge(msg))
        .isInstanceOf(MalformedPduException.class).hasMessageContaining("outside");
  }

  @Test
  void notNtlmIsMalformed() {
    assertThatThrownBy(() -> GatewayNtlm.parseChallenge(new byte[40]))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void negotiateHasSignatureTypeAndFlags() {
    byte[] n = GatewayNtlm.negotiate();
    assertThat(n).hasSize(32);
    assertThat(new String(n, 0, 7, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("NTLMSSP");
    assertThat(n[8]).isEqualTo((byte) 1);
  }

  /** A CHALLENGE_MESSAGE laid out per 2.2.1.2, payload at offset 48. */
  static byte[] challenge(byte[] name, byte[] info) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(48 + name.length + info.length)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("NTLMSSP\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2);
    b.putShort((short) name.length).putShort((short) name.length).putInt(48);
    b.putInt(GatewayNtlm.NEGOTIATE_UNICODE | GatewayNtlm.NEGOTIATE_NTLM
        | GatewayNtlm.NEGOTIATE_TARGET_INFO);
    b.put(Hex.parse("0123456789abcdef")).put(new byte[8]);
    b.putShort((short) info.length).putShort((short) info.length).putInt(48 + name.length);
    b.put(name).put(info);
    return b.array();
  }
}

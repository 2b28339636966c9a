package dev.rdpdoctor.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TSRequest and NTLM codecs, from bytes captured off FreeRDP's shadow server, with twins. */
class CredSspCodecTest {
  static final HexFormat HEX = HexFormat.of();

  /** freerdp-shadow-cli 2.x (lab scenario nla-logon): TSRequest v6 carrying its CHALLENGE. */
  static final byte[] SHADOW_CHALLENGE_TSREQUEST =
      HEX.parseHex(
          "30819fa003020106a17430723070a06e046c4e544c4d53535000020000000400040038000000358288e2c174c5a63f55e6770000000000000000300030003c0000000601b11d0000000f56004d000200040056004d000100040056004d000400040076006d000300040076006d000700080080f8ab7ef979dd0100000000a5220420826b1e2b50e299015f9f0cfc0dc3ad0b6b0d19ec3da22262d092e59141f2766b");

  @Test
  void capturedChallengeDecodes() throws Exception {
    TsRequest r = TsRequest.decode(SHADOW_CHALLENGE_TSREQUEST);
    assertThat(r.version()).isEqualTo(6);
    assertThat(r.errorCode()).isNull();
    assertThat(r.clientNonce()).hasSize(32);
    NtlmChallenge ch = NtlmChallenge.decode(r.negoToken());
    assertThat(ch.targetName()).isEqualTo("VM");
    assertThat(ch.av(NtlmChallenge.AV_NB_COMPUTER)).isEqualTo("VM");
    assertThat(ch.av(NtlmChallenge.AV_NB_DOMAIN)).isEqualTo("VM");
    assertThat(ch.av(NtlmChallenge.AV_DNS_COMPUTER)).isEqualTo("vm");
    assertThat(ch.av(NtlmChallenge.AV_DNS_DOMAIN)).isEqualTo("vm");
    assertThat(ch.av(NtlmChallenge.AV_DNS_TREE)).isNull();
    assertThat(ch.version().product()).isEqualTo("6.1.7601");
    assertThat(ch.version().ntlmRevision()).isEqualTo(15);
    assertThat(ch.flags()).isEqualTo(0xE2888235);
    assertThat(HEX.formatHex(ch.serverChallenge())).isEqualTo("c174c5a63f55e677");
    assertThat(ch.timestamp())
        .isAfter(Instant.parse("2026-01-01T00:00:00Z"))
        .isBefore(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 5, 6})
  void everyVersionRoundTrips(int version) throws Exception {
    byte[] nonce = version >= 5 ? new byte[32] : null;
    TsRequest r =
        new TsRequest(
            version,
            new byte[] {1, 2, 3},
            new byte[] {4},
            new byte[] {5, 6},
            version >= 3 ? 0xC000006D : null,
            nonce);
    TsRequest back = TsRequest.decode(r.encode());
    assertThat(back.version()).isEqualTo(version);
    assertThat(back.negoToken()).containsExactly(1, 2, 3);
    assertThat(back.authInfo()).containsExactly(4);
    assertThat(back.pubKeyAuth()).containsExactly(5, 6);
    assertThat(back.errorCode()).isEqualTo(version >= 3 ? 0xC000006D : null);
    assertThat(back.clientNonce()).isEqualTo(nonce);
  }

  @Test
  void errorCodeIsTheSignedIntegerOfTheSpec() throws Exception {
    // [MS-CSSP] errorCode is an ASN.1 INTEGER: STATUS_LOGON_FAILURE is 02 04 c0 00 00 6d
    byte[] b = new TsRequest(6, null, null, null, 0xC000006D, null).encode();
    assertThat(HEX.formatHex(b)).isEqualTo("300da003020106a4060204c000006d");
    assertThat(TsRequest.decode(b).errorCode()).isEqualTo(0xC000006D);
  }

  @Test
  void readFromTakesExactlyOneMessage() throws Exception {
    byte[] two = Arrays.copyOf(SHADOW_CHALLENGE_TSREQUEST, SHADOW_CHALLENGE_TSREQUEST.length + 3);
    ByteArrayInputStream in = new ByteArrayInputStream(two);
    assertThat(TsRequest.readFrom(in)).isEqualTo(SHADOW_CHALLENGE_TSREQUEST);
    assertThat(in.available()).isEqualTo(3);
  }

  // ------------------------------------------------------------ malformed twins

  @Test
  void truncatedTsRequestIsMalformedOrEof() {
    byte[] cut = Arrays.copyOf(SHADOW_CHALLENGE_TSREQUEST, 100);
    assertThatThrownBy(() -> TsRequest.decode(cut)).isInstanceOf(MalformedPduException.class);
    assertThatThrownBy(() -> TsRequest.readFrom(new ByteArrayInputStream(cut)))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void hostileLengthClaimsAreRefusedBeforeReading() {
    byte[] huge = {0x30, (byte) 0x83, 0x7F, (byte) 0xFF, (byte) 0xFF};
    assertThatThrownBy(() -> TsRequest.readFrom(new ByteArrayInputStream(huge)))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("cap");
    byte[] indefinite = {0x30, (byte) 0x80, 0, 0};
    assertThatThrownBy(() -> TsRequest.readFrom(new ByteArrayInputStream(indefinite)))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("indefinite");
    byte[] notSequence = {0x16, 0x03, 0x01};
    assertThatThrownBy(() -> TsRequest.readFrom(new ByteArrayInputStream(notSequence)))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("0x16");
  }

  @Test
  void tsRequestWithoutVersionOrWithWrongTypesIsMalformed() {
    assertThatThrownBy(() -> TsRequest.decode(HEX.parseHex("3000")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("version");
    // version [0] carrying an OCTET STRING instead of an INTEGER
    assertThatThrownBy(() -> TsRequest.decode(HEX.parseHex("3005a003040106")))
        .isInstanceOf(MalformedPduException.class);
    // a negative version
    assertThatThrownBy(() -> TsRequest.decode(HEX.parseHex("3005a0030201ff")))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void challengeWithTargetInfoOutsideTheMessageIsMalformed() throws Exception {
    byte[] ch = TsRequest.decode(SHADOW_CHALLENGE_TSREQUEST).negoToken();
    byte[] bad = ch.clone();
    bad[44] = (byte) 0xF0; // TargetInfoBufferOffset far past the end
    assertThatThrownBy(() -> NtlmChallenge.decode(bad))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("TargetInfo");
  }

  @Test
  void challengeWithoutEolOrWithWrongSignatureIsMalformed() throws Exception {
    byte[] ch = TsRequest.decode(SHADOW_CHALLENGE_TSREQUEST).negoToken();
    byte[] noEol = Arrays.copyOf(ch, ch.length - 4);
    NtlmNegotiate.putU16(noEol, 40, 44); // shorten TargetInfoLen by the EOL's 4 bytes
    assertThatThrownBy(() -> NtlmChallenge.decode(noEol)).isInstanceOf(MalformedPduException.class);
    byte[] sig = ch.clone();
    sig[0] = 'X';
    assertThatThrownBy(() -> NtlmChallenge.decode(sig))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("signature");
    byte[] type = ch.clone();
    type[8] = 3;
    assertThatThrownBy(() -> NtlmChallenge.decode(type))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("type");
  }

  @Test
  void negotiateRoundTripsAndItsTwinIsMalformed() throws Exception {
    NtlmNegotiate n =
        new NtlmNegotiate(NtlmNegotiate.CLIENT_FLAGS, new NtlmVersion(10, 0, 19041, 15));
    byte[] b = n.encode();
    assertThat(HEX.formatHex(b, 0, 16)).isEqualTo("4e544c4d5353500001000000358288e2");
    assertThat(NtlmNegotiate.decode(b)).isEqualTo(n);
    assertThatThrownBy(() -> NtlmNegotiate.decode(Arrays.copyOf(b, 20)))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void authenticateRoundTripsAndItsTwinIsMalformed() throws Exception {
    NtlmAuthenticate a =
        new NtlmAuthenticate(
            new byte[24],
            new byte[] {9, 9},
            "DOM",
            "user",
            "",
            new byte[16],
            NtlmNegotiate.CLIENT_FLAGS,
            new NtlmVersion(10, 0, 1, 15),
            new byte[16]);
    byte[] b = a.encode();
    NtlmAuthenticate back = NtlmAuthenticate.decode(b);
    assertThat(back.user()).isEqualTo("user");
    assertThat(back.domain()).isEqualTo("DOM");
    assertThat(back.ntResponse()).containsExactly(9, 9);
    byte[] bad = b.clone();
    bad[20] = (byte) 0xFF; // NtChallengeResponse offset beyond the message
    bad[21] = (byte) 0xFF;
    assertThatThrownBy(() -> NtlmAuthenticate.decode(bad))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void avPairListIsCappedAndFileTimeConverts() {
    byte[] many =
        NtlmChallenge.encodeAvPairs(
            java.util.Collections.nCopies(
                70, new NtlmChallenge.AvPair(NtlmChallenge.AV_FLAGS, new byte[4])));
    assertThatThrownBy(() -> NtlmChallenge.avPairs(many, 0))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("AV pairs");
    // 1970-01-01 is 116444736000000000 ticks after 1601-01-01
    long ticks = 116_444_736_000_000_000L;
    byte[] ft = new byte[8];
    for (int i = 0; i < 8; i++) {
      ft[i] = (byte) (ticks >>> (8 * i));
    }
    assertThat(NtlmChallenge.fileTime(ft)).isEqualTo(Instant.EPOCH);
  }
}

package dev.rdpdoctor.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.testing.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** MCS Connect Initial / Connect Response from captured xrdp bytes, each with malformed twins. */
class McsConnectTest {
  static byte[] fixture(String name) throws IOException {
    try (InputStream in = McsConnectTest.class.getResourceAsStream("/mcs/" + name)) {
      return Hex.parse(
          new String(in.readAllBytes(), StandardCharsets.US_ASCII)
              .replaceAll("#[^\n]*", "")
              .replaceAll("\\s", ""));
    }
  }

  @Test
  void decodesXrdpConnectResponseAtLowLevel() throws Exception {
    McsConnectResponse r = McsConnectResponse.decode(fixture("xrdp-connect-response-rdp-low.hex"));
    assertThat(r.result()).isZero();
    assertThat(r.resultName()).isEqualTo("rt-successful");
    assertThat(r.core().version()).isEqualTo(0x00080004);
    assertThat(r.core().clientRequestedProtocols()).isZero();
    assertThat(r.security().encryptionMethod())
        .isEqualTo(McsConnectInitial.ENCRYPTION_METHOD_40BIT);
    assertThat(r.security().encryptionLevel()).isEqualTo(1);
    assertThat(r.security().serverRandomLength()).isEqualTo(32);
    ServerCertificate c = r.security().certificate();
    assertThat(c.kind()).isEqualTo("proprietary");
    assertThat(c.modulusBits()).isEqualTo(2048);
    assertThat(c.exponent()).isEqualTo(65537L);
    assertThat(c.modulusHex()).hasSize(512);
    assertThat(r.network().ioChannelId()).isEqualTo(1003);
    assertThat(r.network().channelIds()).isEmpty();
    assertThat(r.multitransportFlags()).isNull();
  }

  @Test
  void truncatedResponseIsMalformedAtEveryLength() throws Exception {
    byte[] pdu = fixture("xrdp-connect-response-rdp-low.hex");
    for (int n = 0; n < pdu.length; n += 7) {
      byte[] cut = Arrays.copyOf(pdu, n);
      assertThatThrownBy(() -> McsConnectResponse.decode(cut))
          .isInstanceOf(MalformedPduException.class);
    }
  }

  @Test
  void hostileCertificateLengthIsRefusedBeforeReading() throws Exception {
    byte[] pdu = fixture("xrdp-connect-response-rdp-low.hex");
    int sec = Bytes.indexOf(pdu, new byte[] {0x02, 0x0C});
    // encryptionMethod, encryptionLevel, serverRandomLen, then serverCertLen
    int certLen = sec + 4 + 12;
    byte[] twin = pdu.clone();
    twin[certLen] = (byte) 0xFF;
    twin[certLen + 1] = (byte) 0xFF;
    twin[certLen + 2] = (byte) 0xFF;
    twin[certLen + 3] = (byte) 0x7F;
    assertThatThrownBy(() -> McsConnectResponse.decode(twin))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("serverCertLen");
  }

  @Test
  void hostileRsaKeyLengthIsRefused() throws Exception {
    byte[] pdu = fixture("xrdp-connect-response-rdp-low.hex");
    int rsa = Bytes.indexOf(pdu, "RSA1".getBytes(StandardCharsets.US_ASCII));
    byte[] twin = pdu.clone();
    twin[rsa + 4] = (byte) 0xFF;
    twin[rsa + 5] = (byte) 0xFF;
    assertThatThrownBy(() -> McsConnectResponse.decode(twin))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("keylen");
  }

  @Test
  void wrongApplicationTagIsNotAConnectResponse() throws Exception {
    byte[] twin = fixture("xrdp-connect-response-rdp-low.hex");
    twin[8] = 0x65; // 7F 65 is the client's Connect Initial
    assertThatThrownBy(() -> McsConnectResponse.decode(twin))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("Connect-Response");
  }

  @Test
  void blockShorterThanItsHeaderIsMalformed() throws Exception {
    byte[] pdu = fixture("xrdp-connect-response-rdp-low.hex");
    int core = Bytes.indexOf(pdu, new byte[] {0x01, 0x0C, 0x0C, 0x00});
    byte[] twin = pdu.clone();
    twin[core + 2] = 2;
    assertThatThrownBy(() -> McsConnectResponse.decode(twin))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("shorter than its header");
  }

  @Test
  void connectInitialCarriesTheSettingsAProbeDependsOn() throws Exception {
    byte[] ci =
        new McsConnectInitial(
                McsConnectInitial.ENCRYPTION_METHOD_40BIT,
                0,
                McsConnectInitial.RNS_UD_CS_SUPPORT_ERRINFO_PDU,
                0x105)
            .encode();
    assertThat(ci).isEqualTo(fixture("rdpdoctor-connect-initial-40bit.hex"));
    byte[] mcs = X224Data.payload(ci);
    assertThat(mcs[0] & 0xFF).isEqualTo(0x7F);
    assertThat(mcs[1] & 0xFF).isEqualTo(0x65);
    int core = Bytes.indexOf(ci, new byte[] {0x01, (byte) 0xC0, (byte) 0xD8, 0x00});
    assertThat(core).isPositive();
    ByteReader r = new ByteReader(ci, core + 4, 212);
    assertThat(r.u32le("version")).isEqualTo(0x00080004);
    r.skip(136, "to earlyCapabilityFlags");
    assertThat(r.u16le("early")).isEqualTo(McsConnectInitial.RNS_UD_CS_SUPPORT_ERRINFO_PDU);
    r.skip(66, "to serverSelectedProtocol");
    assertThat(r.u32le("serverSelectedProtocol")).isZero();
    // blocks follow each other: CS_SECURITY, CS_NET, CS_MULTITRANSPORT, and nothing after
    ByteReader blocks = new ByteReader(ci, core + 216, ci.length - core - 216);
    assertThat(blocks.u16le("type")).isEqualTo(McsConnectInitial.CS_SECURITY);
    assertThat(blocks.u16le("length")).isEqualTo(12);
    assertThat(blocks.u32le("methods")).isEqualTo(1);
    blocks.skip(4, "ext");
    assertThat(blocks.u16le("type")).isEqualTo(McsConnectInitial.CS_NET);
    blocks.skip(6, "CS_NET");
    assertThat(blocks.u16le("type")).isEqualTo(McsConnectInitial.CS_MULTITRANSPORT);
    blocks.skip(2, "length");
    assertThat(blocks.u32le("flags")).isEqualTo(0x105);
    assertThat(blocks.remaining()).isZero();
  }

  @Test
  void noMultitransportBlockWhenNothingIsOffered() {
    byte[] ci = new McsConnectInitial(2, 1, 1, 0).encode();
    assertThat(Bytes.indexOf(ci, new byte[] {0x0A, (byte) 0xC0, 0x08, 0x00})).isNegative();
  }

  @Test
  void disconnectUltimatumRoundTrips() throws Exception {
    byte[] b = new McsDisconnectProviderUltimatum(3).encode();
    assertThat(Hex.of(b)).isEqualTo("0300000902f0802180");
    assertThat(McsDisconnectProviderUltimatum.decode(b).reasonName())
        .isEqualTo("rn-user-requested");
  }

  @Test
  void x509ChainCountIsCapped() {
    byte[] cert = {2, 0, 0, (byte) 0x80, (byte) 0xFF, (byte) 0xFF, 0, 0};
    assertThatThrownBy(() -> ServerCertificate.decode(cert))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("NumCertBlobs");
  }

  @Test
  void x509ChainIsRead() throws Exception {
    byte[] cert = {2, 0, 0, (byte) 0x80, 1, 0, 0, 0, 3, 0, 0, 0, 0x30, 0x01, 0x00};
    ServerCertificate c = ServerCertificate.decode(cert);
    assertThat(c.kind()).isEqualTo("x509");
    assertThat(c.temporary()).isTrue();
    assertThat(c.x509()).hasSize(1);
  }

  @Test
  void serverRandomAndTheProprietaryKeyAreKeptForTheSecurityExchange() throws Exception {
    byte[] pdu = fixture("xrdp-connect-response-rdp-low.hex");
    McsConnectResponse r = McsConnectResponse.decode(pdu);
    byte[] random = r.security().serverRandom();
    assertThat(random).hasSize(32);
    // the random sits right after serverRandomLen=32 and serverCertLen in the captured bytes
    int at = Bytes.indexOf(pdu, random);
    assertThat(at).isPositive();
    assertThat(java.util.Arrays.copyOfRange(pdu, at - 8, at - 4)).containsExactly(32, 0, 0, 0);
    ServerCertificate.RsaKey k = r.security().certificate().rsaKey().orElseThrow();
    assertThat(k.bits()).isEqualTo(2048);
    assertThat(k.exponent()).isEqualTo(65537L);
    assertThat(k.modulus().toString(16)).isEqualTo(r.security().certificate().modulusHex());
  }

  @Test
  void x509ChainKeyIsTheLastCertificates() throws Exception {
    var issuer = dev.rdpdoctor.testing.TestCertificates.selfSigned("issuer.example.test");
    var leaf =
        dev.rdpdoctor.testing.TestCertificates.builder("CN=srv.example.test")
            .key("RSA", 1024)
            .issuedBy(issuer)
            .build();
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(new byte[] {2, 0, 0, 0, 2, 0, 0, 0});
    for (byte[] der : new byte[][] {issuer.der(), leaf.der()}) {
      b.writeBytes(new byte[] {(byte) der.length, (byte) (der.length >> 8), 0, 0});
      b.writeBytes(der);
    }
    ServerCertificate.RsaKey k = ServerCertificate.decode(b.toByteArray()).rsaKey().orElseThrow();
    java.security.interfaces.RSAPublicKey want =
        (java.security.interfaces.RSAPublicKey) leaf.certificate().getPublicKey();
    assertThat(k.modulus()).isEqualTo(want.getModulus());
    assertThat(k.bits()).isEqualTo(1024);
  }

  @Test
  void x509ChainThatDoesNotParseHasNoKey() throws Exception {
    byte[] cert = {2, 0, 0, (byte) 0x80, 1, 0, 0, 0, 3, 0, 0, 0, 0x30, 0x01, 0x00};
    assertThat(ServerCertificate.decode(cert).rsaKey()).isEmpty();
  }
}

package dev.rdpdoctor.wire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.testing.Bytes;
import dev.rdpdoctor.testing.XrdpLabKey;
import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsConnectResponse;
import dev.rdpdoctor.wire.ServerCertificate;
import dev.rdpdoctor.wire.session.ClientInfoPdu;
import dev.rdpdoctor.wire.session.DemandActivePdu;
import dev.rdpdoctor.wire.session.McsSendData;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers from a real peer: one Standard RDP Security connection per xrdp level, captured
 * with {@code --trace} in the lab, plus the lab xrdp's own RSA key pair ({@link XrdpLabKey}). With
 * the server's private key this test opens the Security Exchange the way xrdp did, derives the
 * session keys with our code, and checks both directions against bytes the other side produced or
 * accepted: xrdp's encrypted Demand Active must decrypt and pass its MAC under our keys (xrdp's own
 * RC4, 3DES and MAC code made it), and re-encrypting the Client Info must give byte for byte what
 * xrdp accepted before it sent that Demand Active.
 */
class XrdpCaptureTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({"low-40bit,   1,  1, false", "high-128bit, 2,  3, true", "fips,        16, 4, true"})
  void keysFromTheCaptureOpenXrdpsPdusAndRemakeOurs(
      String tag, int method, int level, boolean serverEncrypts) throws Exception {
    XrdpLabKey lab = XrdpLabKey.load();
    BigInteger n = lab.modulus();

    McsConnectResponse cr =
        McsConnectResponse.decode(fixture("xrdp-" + tag + "-connect-response.hex"));
    McsConnectResponse.ServerSecurity sec = cr.security();
    assertThat(sec.encryptionMethod()).isEqualTo(method);
    assertThat(sec.encryptionLevel()).isEqualTo(level);
    ServerCertificate.RsaKey key = sec.certificate().rsaKey().orElseThrow();
    assertThat(key.modulus()).as("the capture's certificate carries the lab key").isEqualTo(n);
    assertThat(key.exponent()).isEqualTo(65537);

    SecurityExchangePdu exchange =
        SecurityExchangePdu.decode(
            McsSendData.decode(fixture("rdpdoctor-" + tag + "-security-exchange.hex")).data());
    assertThat(exchange.flags()).isEqualTo(SecurityExchangePdu.FLAGS);
    byte[] enc = exchange.encryptedClientRandom();
    int len = (n.bitLength() + 7) / 8;
    assertThat(enc).hasSize(len + RdpRsa.PADDING);
    assertThat(Arrays.copyOfRange(enc, len, enc.length)).containsOnly(0);
    byte[] opened = lab.open(enc);
    // a 32-byte random in a 256-byte modulus: a wrong byte order or exponent would leave
    // noise in the high bytes, the right one leaves zeros
    assertThat(Arrays.copyOfRange(opened, RdpSecurity.RANDOM_LENGTH, opened.length))
        .containsOnly(0);
    byte[] clientRandom = Arrays.copyOf(opened, RdpSecurity.RANDOM_LENGTH);

    RdpSecurity session = RdpSecurity.establish(method, level, clientRandom, sec.serverRandom());
    byte[] info = McsSendData.decode(fixture("rdpdoctor-" + tag + "-client-info.hex")).data();
    assertThat(session.wrap(SecurityFlags.SEC_INFO_PKT, ClientInfoPdu.probe().infoPacket()))
        .as("the Client Info xrdp accepted, remade from the recovered random")
        .isEqualTo(info);
    assertThat(Bytes.indexOf(info, "mstscax.dll".getBytes(StandardCharsets.UTF_16LE))).isNegative();

    byte[] demand = McsSendData.decode(fixture("xrdp-" + tag + "-demand-active.hex")).data();
    RdpSecurity.Unwrapped u = session.unwrap(demand);
    assertThat(u.decrypted()).isEqualTo(serverEncrypts);
    assertThat(DemandActivePdu.decode(u.data()).capabilityTypes()).hasSize(10);
    if (serverEncrypts) {
      assertThat(u.data()).isEqualTo(fixture("xrdp-" + tag + "-demand-active-plain.hex"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"high-128bit, 2, 3", "fips, 16, 4"})
  void aFlippedByteOfXrdpsDemandActiveFailsItsMac(String tag, int method, int level)
      throws Exception {
    byte[] demand = McsSendData.decode(fixture("xrdp-" + tag + "-demand-active.hex")).data();
    for (int at :
        new int[] {demand.length - 1, 8 + (method == RdpSecurity.METHOD_FIPS ? 4 : 0), 20}) {
      byte[] twin = demand.clone();
      twin[at] ^= 0x01;
      RdpSecurity session = sessionFor(tag, method, level);
      assertThatThrownBy(() -> session.unwrap(twin))
          .as("flip at %d", at)
          .isInstanceOf(MalformedPduException.class)
          .hasMessageContaining("mismatch");
    }
    RdpSecurity session = sessionFor(tag, method, level);
    assertThatThrownBy(() -> session.unwrap(Arrays.copyOf(demand, 10)))
        .isInstanceOf(MalformedPduException.class);
  }

  private static RdpSecurity sessionFor(String tag, int method, int level) throws Exception {
    McsConnectResponse cr =
        McsConnectResponse.decode(fixture("xrdp-" + tag + "-connect-response.hex"));
    byte[] enc =
        SecurityExchangePdu.decode(
                McsSendData.decode(fixture("rdpdoctor-" + tag + "-security-exchange.hex")).data())
            .encryptedClientRandom();
    byte[] random = Arrays.copyOf(XrdpLabKey.load().open(enc), RdpSecurity.RANDOM_LENGTH);
    return RdpSecurity.establish(method, level, random, cr.security().serverRandom());
  }

  static byte[] fixture(String name) throws IOException {
    return Hex.parse(text(name).replaceAll("#[^\n]*", "").replaceAll("\\s", ""));
  }

  private static String text(String name) throws IOException {
    try (InputStream in = XrdpCaptureTest.class.getResourceAsStream("/security/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}

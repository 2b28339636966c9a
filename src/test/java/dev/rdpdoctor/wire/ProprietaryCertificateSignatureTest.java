package dev.rdpdoctor.wire;

import static dev.rdpdoctor.testing.Bytes.indexOf;
import static dev.rdpdoctor.wire.McsConnectTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The Terminal Services signature of proprietary certificates ([MS-RDPBCGR] 5.3.3.1): the spec's
 * own example (4.1.4) and a real xrdp key verify; twins with one byte changed do not.
 */
class ProprietaryCertificateSignatureTest {
  static final String SPEC = "spec-4.1.4-connect-response.hex";
  static final String XRDP = "xrdp-connect-response-rdp-low.hex";

  /** 5.3.3.1.1 private exponent d, little-endian as the spec gives it: only to re-sign twins. */
  static final BigInteger TS_PRIVATE =
      ProprietaryCertificateSignature.littleEndian(
          Hex.parse(
              "87a71932da11875558001616256568f8243ee6fae9674994cf92cc3399e80860"
                  + "179a129f24ddb12499c73ab80a7b0ddd350779170b519bb3c7100113e73ff35f"),
          64);

  /** dwVersion 1, dwSigAlgId 1, dwKeyAlgId 1, wPublicKeyBlobType 6: where a certificate starts. */
  static final byte[] CERT_START = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 6, 0};

  /** The serverCertificate bytes of a Connect Response (to its end: nothing follows it). */
  static byte[] certificate(byte[] pdu) {
    int at = indexOf(pdu, CERT_START);
    assertThat(at).isPositive();
    int blobLen = u16(pdu, at + 14);
    int sigLen = u16(pdu, at + 16 + blobLen + 2);
    return Arrays.copyOfRange(pdu, at, at + 16 + blobLen + 4 + sigLen);
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  @Test
  void specExampleVerifies() throws Exception {
    McsConnectResponse r = McsConnectResponse.decode(fixture(SPEC));
    ServerCertificate c = r.security().certificate();
    assertThat(c.kind()).isEqualTo("proprietary");
    assertThat(c.modulusBits()).isEqualTo(512);
    assertThat(c.exponent()).isEqualTo(65537L);
    assertThat(c.signatureLength()).isEqualTo(72);
    assertThat(c.signature().valid()).as(c.signature().detail()).isTrue();
    assertThat(c.signature().detail()).isEqualTo("verified");
  }

  @Test
  void xrdpTwoThousandFortyEightBitKeyVerifies() throws Exception {
    ServerCertificate c = McsConnectResponse.decode(fixture(XRDP)).security().certificate();
    assertThat(c.modulusBits()).isEqualTo(2048);
    assertThat(c.signature().valid()).as(c.signature().detail()).isTrue();
  }

  @Test
  void oneModulusByteFlippedDoesNotVerify() throws Exception {
    byte[] pdu = fixture(SPEC);
    int rsa = indexOf(pdu, "RSA1".getBytes(StandardCharsets.US_ASCII));
    pdu[rsa + 20 + 10] ^= 0x01; // a byte inside the modulus: a substituted key
    ServerCertificate c = McsConnectResponse.decode(pdu).security().certificate();
    assertThat(c.signature().valid()).isFalse();
    assertThat(c.signature().detail()).contains("MD5");
  }

  @Test
  void xrdpKeyWithOneModulusByteFlippedDoesNotVerify() throws Exception {
    byte[] pdu = fixture(XRDP);
    int rsa = indexOf(pdu, "RSA1".getBytes(StandardCharsets.US_ASCII));
    pdu[rsa + 20 + 200] ^= (byte) 0x80;
    assertThat(McsConnectResponse.decode(pdu).security().certificate().signature().valid())
        .isFalse();
  }

  @Test
  void changedExponentOrHeaderDoesNotVerify() throws Exception {
    byte[] cert = certificate(fixture(SPEC));
    byte[] exp = cert.clone();
    exp[16 + 16] ^= 0x02; // RSA1 pubExp: 65537 becomes 65539
    assertThat(ServerCertificate.decode(exp).signature().valid()).isFalse();
    byte[] head = cert.clone();
    head[4] = 2; // dwSigAlgId: dwVersion through the blob is signed, the header too
    assertThat(ServerCertificate.decode(head).signature().valid()).isFalse();
  }

  @Test
  void oneSignatureByteFlippedDoesNotVerify() throws Exception {
    byte[] cert = certificate(fixture(SPEC));
    cert[cert.length - 8 - 30] ^= 0x40;
    assertThat(ServerCertificate.decode(cert).signature().valid()).isFalse();
  }

  @Test
  void theUnsignedZeroPaddingDoesNotDecide() throws Exception {
    byte[] cert = certificate(fixture(SPEC));
    cert[cert.length - 1] = 0x5A; // 8 bytes of padding follow the 64 signed ones
    assertThat(ServerCertificate.decode(cert).signature().valid()).isTrue();
  }

  @Test
  void aSubstitutedKeyResignedWithTheTerminalServicesKeyVerifies() throws Exception {
    // the signing key is public: whoever re-signs a new key passes, which is why the finding
    // says "may" and the fix is TLS. This also proves the check computes, not recognises.
    byte[] cert = certificate(fixture(SPEC));
    int blobLen = u16(cert, 14);
    cert[16 + 20 + 5] ^= 0x11;
    byte[] signed = Arrays.copyOf(cert, 16 + blobLen);
    byte[] block = ProprietaryCertificateSignature.signedBlock(signed);
    BigInteger s =
        ProprietaryCertificateSignature.littleEndian(block, 64)
            .modPow(TS_PRIVATE, ProprietaryCertificateSignature.TS_MODULUS);
    byte[] sig = ProprietaryCertificateSignature.toLittleEndian(s, 64);
    System.arraycopy(sig, 0, cert, 16 + blobLen + 4, 64);
    assertThat(ServerCertificate.decode(cert).signature().valid()).isTrue();
  }

  @Test
  void wrongLengthSignatureIsInvalidNotMalformed() throws Exception {
    byte[] cert = certificate(fixture(SPEC));
    int blobLen = u16(cert, 14);
    // the same 64 signature bytes without the padding: wSignatureBlobLen 64
    byte[] shortSig = Arrays.copyOf(cert, cert.length - 8);
    shortSig[16 + blobLen + 2] = 64;
    ProprietaryCertificateSignature.Check check = ServerCertificate.decode(shortSig).signature();
    assertThat(check.valid()).isFalse();
    assertThat(check.detail()).isEqualTo("signature blob is 64 bytes, expected 72");
    byte[] none = Arrays.copyOf(cert, 16 + blobLen + 4);
    none[16 + blobLen + 2] = 0;
    assertThat(ServerCertificate.decode(none).signature().detail()).contains("0 bytes");
  }

  @Test
  void signatureAboveTheModulusIsInvalid() {
    byte[] sig = new byte[72];
    Arrays.fill(sig, 0, 64, (byte) 0xFF);
    ProprietaryCertificateSignature.Check check =
        ProprietaryCertificateSignature.verify(new byte[108], sig);
    assertThat(check.valid()).isFalse();
    assertThat(check.detail()).contains("modulus");
  }

  @Test
  void hostileSignatureLengthIsMalformedBeforeReading() throws Exception {
    byte[] cert = certificate(fixture(SPEC));
    int blobLen = u16(cert, 14);
    cert[16 + blobLen + 2] = (byte) 0xFF;
    cert[16 + blobLen + 3] = (byte) 0xFF;
    assertThatThrownBy(() -> ServerCertificate.decode(cert))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("signature blob");
  }

  @Test
  void truncatedCertificateIsMalformedAtEveryLength() throws Exception {
    byte[] cert = certificate(fixture(SPEC));
    for (int n = 0; n < cert.length; n++) {
      byte[] cut = Arrays.copyOf(cert, n);
      assertThatThrownBy(() -> ServerCertificate.decode(cut))
          .as("cut at %d", n)
          .isInstanceOf(MalformedPduException.class);
    }
  }

  @Test
  void x509ChainHasNoProprietarySignature() throws Exception {
    byte[] cert = {2, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0x30, 0x01, 0x00};
    assertThat(ServerCertificate.decode(cert).signature()).isNull();
  }
}

package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.testing.TestCertificates;
import dev.rdpdoctor.testing.TestCertificates.Issued;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CertificateInspectorTest {

  private static CertificateInfo inspect(Issued c, String host) {
    CertificateInspector.Inspection ins = CertificateInspector.inspect(c.der(), host);
    assertThat(ins.error()).isNull();
    assertThat(ins.ok()).isTrue();
    return ins.info();
  }

  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
    "rdp.example.test, rdp.example.test, true",
    "RDP.Example.TEST, rdp.example.test, true",
    "rdp.example.test., rdp.example.test, true",
    "rdp.example.test, rdp.example.test., true",
    "*.example.test, rdp.example.test, true",
    "*.EXAMPLE.test, RDP.example.test, true",
    "*.example.test, example.test, false",
    "*.example.test, a.rdp.example.test, false",
    "*.test, example.test, false",
    "rdp*.example.test, rdp1.example.test, false",
    "r*p.example.test, rdp.example.test, false",
    "rdp.*.test, rdp.example.test, false",
    "*.*.test, rdp.example.test, false",
    "*, rdp, false",
    "other.example.test, rdp.example.test, false",
    "example.test, rdp.example.test, false",
  })
  void dnsPatterns(String pattern, String host, boolean expected) {
    assertThat(CertificateInspector.nameMatches(host, null, List.of("DNS:" + pattern)))
        .isEqualTo(expected);
  }

  @Test
  void cnIsConsultedOnlyWithoutDnsSans() {
    assertThat(CertificateInspector.nameMatches("rdp.example.test", "rdp.example.test", List.of()))
        .isTrue();
    assertThat(CertificateInspector.nameMatches("rdp.example.test", "*.example.test", List.of()))
        .isTrue();
    // a DNS SAN exists, so the matching CN is ignored (RFC 6125 6.4.4)
    assertThat(
            CertificateInspector.nameMatches(
                "rdp.example.test", "rdp.example.test", List.of("DNS:other.example.test")))
        .isFalse();
    // an IP SAN alone does not hide the CN for a name
    assertThat(
            CertificateInspector.nameMatches(
                "rdp.example.test", "rdp.example.test", List.of("IP:192.0.2.7")))
        .isTrue();
    assertThat(CertificateInspector.nameMatches("rdp.example.test", null, List.of())).isFalse();
  }

  @Test
  void ipLiteralsMatchIpSansOnly() {
    assertThat(CertificateInspector.nameMatches("192.0.2.7", null, List.of("IP:192.0.2.7")))
        .isTrue();
    assertThat(CertificateInspector.nameMatches("192.0.2.7", null, List.of("IP:192.0.2.8")))
        .isFalse();
    // a CN or DNS SAN holding the address is not a claim for it
    assertThat(CertificateInspector.nameMatches("192.0.2.7", "192.0.2.7", List.of())).isFalse();
    assertThat(CertificateInspector.nameMatches("192.0.2.7", null, List.of("DNS:192.0.2.7")))
        .isFalse();
    // IPv6 compares as an address, not as text; brackets as typed in mstsc are tolerated
    assertThat(
            CertificateInspector.nameMatches(
                "[2001:db8::7]", null, List.of("IP:2001:db8:0:0:0:0:0:7")))
        .isTrue();
    assertThat(
            CertificateInspector.nameMatches(
                "2001:DB8::7", null, List.of("IP:2001:db8:0:0:0:0:0:7")))
        .isTrue();
  }

  @Test
  void leafFactsFromASelfSignedRsaCertificate() throws Exception {
    Instant from = Instant.parse("2025-03-01T10:00:00Z");
    Instant to = Instant.parse("2025-09-01T10:00:00Z");
    Issued c =
        TestCertificates.builder("CN=DESKTOP-7Q3K.corp.example,O=Example Corp")
            .san("DNS:desktop-7q3k.corp.example")
            .san("DNS:*.rdp.example.test")
            .san("IP:192.0.2.7")
            .san("IP:2001:db8::7")
            .validity(from, to)
            .serial(new BigInteger("0A1B2C", 16))
            .eku(KeyPurposeId.id_kp_serverAuth)
            .build();

    CertificateInfo info = inspect(c, "host1.rdp.example.test");

    assertThat(info.subject()).isEqualTo("CN=DESKTOP-7Q3K.corp.example,O=Example Corp");
    assertThat(info.issuer()).isEqualTo(info.subject());
    assertThat(info.commonName()).isEqualTo("DESKTOP-7Q3K.corp.example");
    assertThat(info.subjectAltNames())
        .containsExactly(
            "DNS:desktop-7q3k.corp.example",
            "DNS:*.rdp.example.test",
            "IP:192.0.2.7",
            "IP:2001:db8:0:0:0:0:0:7");
    assertThat(info.serial()).isEqualTo("0A1B2C");
    assertThat(info.notBefore()).isEqualTo(from);
    assertThat(info.notAfter()).isEqualTo(to);
    assertThat(info.keyAlgorithm()).isEqualTo("RSA");
    assertThat(info.keyBits()).isEqualTo(2048);
    assertThat(info.signatureAlgorithm()).isEqualTo("SHA256withRSA");
    assertThat(info.serverAuthEku()).isTrue();
    assertThat(info.selfSigned()).isTrue();
    assertThat(info.nameMatches()).isTrue();
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.der());
    assertThat(info.sha256())
        .hasSize(32 * 3 - 1)
        .isEqualTo(HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest))
        .matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
  }

  @Test
  void nameCheckIsSkippedForCaCertificates() {
    CertificateInfo info = inspect(TestCertificates.selfSigned("rdp.example.test"), null);
    assertThat(info.nameMatches()).isNull();
  }

  @Test
  void ekuPresentWithoutServerAuthIsFalseAndAbsentIsNull() {
    Issued clientOnly =
        TestCertificates.builder("CN=rdp.example.test").eku(KeyPurposeId.id_kp_clientAuth).build();
    Issued any =
        TestCertificates.builder("CN=rdp.example.test")
            .eku(KeyPurposeId.anyExtendedKeyUsage)
            .build();
    Issued none = TestCertificates.builder("CN=rdp.example.test").build();

    assertThat(inspect(clientOnly, null).serverAuthEku()).isFalse();
    assertThat(inspect(any, null).serverAuthEku()).isTrue();
    assertThat(inspect(none, null).serverAuthEku()).isNull();
  }

  @Test
  void selfSignedNeedsSameNamesAndOwnSignature() {
    Issued ca = TestCertificates.builder("CN=Example Root CA").ca().build();
    Issued leaf =
        TestCertificates.builder("CN=rdp.example.test")
            .issuedBy(ca)
            .keyPair(TestCertificates.otherKeyPair("RSA", 2048))
            .build();
    // issuer and subject are the same name, but another key signed it: an impostor root
    Issued sameNameOtherKey =
        TestCertificates.builder("CN=Example Root CA")
            .issuedBy(ca)
            .keyPair(TestCertificates.otherKeyPair("RSA", 2048))
            .build();

    assertThat(inspect(ca, null).selfSigned()).isTrue();
    assertThat(inspect(leaf, null).selfSigned()).isFalse();
    assertThat(inspect(leaf, null).issuer()).isEqualTo("CN=Example Root CA");
    assertThat(inspect(sameNameOtherKey, null).selfSigned()).isFalse();
  }

  @Test
  void keySizesAndSignatureNames() {
    Issued rsa1024 =
        TestCertificates.builder("CN=old")
            .key("RSA", 1024)
            .signatureAlgorithm("SHA1withRSA")
            .build();
    Issued p256 = TestCertificates.builder("CN=ec").key("EC", 256).build();
    Issued p384 =
        TestCertificates.builder("CN=ec384")
            .key("EC", 384)
            .signatureAlgorithm("SHA384withECDSA")
            .build();

    assertThat(inspect(rsa1024, null))
        .extracting(
            CertificateInfo::keyAlgorithm,
            CertificateInfo::keyBits,
            CertificateInfo::signatureAlgorithm)
        .containsExactly("RSA", 1024, "SHA1withRSA");
    assertThat(inspect(p256, null))
        .extracting(
            CertificateInfo::keyAlgorithm,
            CertificateInfo::keyBits,
            CertificateInfo::signatureAlgorithm)
        .containsExactly("EC", 256, "SHA256withECDSA");
    assertThat(inspect(p384, null))
        .extracting(CertificateInfo::keyBits, CertificateInfo::signatureAlgorithm)
        .containsExactly(384, "SHA384withECDSA");
  }

  @Test
  void tamperedSignatureIsNoLongerSelfSigned() {
    byte[] der = TestCertificates.selfSigned("rdp.example.test").der();
    der[der.length - 1] ^= 0x01;

    CertificateInspector.Inspection ins = CertificateInspector.inspect(der, "rdp.example.test");

    assertThat(ins.error()).isNull();
    assertThat(ins.info().selfSigned()).isFalse();
    assertThat(ins.info().nameMatches()).isTrue();
  }

  @Test
  void truncatedDerIsAnErrorNotAnException() {
    byte[] der = TestCertificates.selfSigned("rdp.example.test").der();
    byte[] cut = Arrays.copyOf(der, der.length / 2);

    CertificateInspector.Inspection ins = CertificateInspector.inspect(cut, "rdp.example.test");

    assertThat(ins.ok()).isFalse();
    assertThat(ins.info()).isNull();
    assertThat(ins.error())
        .startsWith("the JDK cannot parse the certificate")
        .contains("not DER X.509 either");
  }

  @Test
  void unparseableSanKeepsEveryOtherFact() {
    // a 5-byte IP address in the SAN: valid DER, invalid X.509
    Issued odd =
        TestCertificates.builder("CN=rdp.example.test,O=Example")
            .san(new GeneralName(GeneralName.iPAddress, new DEROctetString(new byte[5])))
            .validity(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2034-01-01T00:00:00Z"))
            .build();

    CertificateInspector.Inspection ins = CertificateInspector.inspect(odd.der(), "x");

    assertThat(ins.ok()).isFalse();
    assertThat(ins.error())
        .isEqualTo("the subjectAltName extension does not parse: Invalid IPAddressName");
    CertificateInfo info = ins.info();
    assertThat(info.subject()).isEqualTo("CN=rdp.example.test,O=Example");
    assertThat(info.commonName()).isEqualTo("rdp.example.test");
    assertThat(info.notAfter()).isEqualTo(Instant.parse("2034-01-01T00:00:00Z"));
    assertThat(info.subjectAltNames()).isEmpty();
    assertThat(info.signatureAlgorithm()).isEqualTo("SHA256withRSA");
    assertThat(info.keyBits()).isEqualTo(2048);
    assertThat(info.selfSigned()).isTrue();
    assertThat(info.sha256()).isEqualTo(CertificateInspector.fingerprint(odd.der()));
    assertThat(info.nameMatches()).as("SANs unreadable: no claim either way").isNull();
  }

  @Test
  void certificateTheJdkRefusesIsStillDescribedByBouncyCastle() throws Exception {
    // a critical keyUsage whose value is NULL instead of a BIT STRING: the JDK refuses the
    // whole certificate, BouncyCastle reads the structure without interpreting extensions
    byte[] odd =
        TestCertificates.builder("CN=rdp.example.test,O=Example")
            .rawExtension(Extension.keyUsage, true, DERNull.INSTANCE.getEncoded())
            .validity(Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2034-01-01T00:00:00Z"))
            .serial(BigInteger.valueOf(0x77))
            .buildDer();

    CertificateInspector.Inspection ins = CertificateInspector.inspect(odd, "x");

    assertThat(ins.ok()).isFalse();
    assertThat(ins.error()).startsWith("the JDK cannot parse the certificate");
    CertificateInfo info = ins.info();
    assertThat(info.subject()).isEqualTo("CN=rdp.example.test,O=Example");
    assertThat(info.issuer()).isEqualTo("CN=rdp.example.test,O=Example");
    assertThat(info.commonName()).isEqualTo("rdp.example.test");
    assertThat(info.serial()).isEqualTo("77");
    assertThat(info.notAfter()).isEqualTo(Instant.parse("2034-01-01T00:00:00Z"));
    assertThat(info.keyAlgorithm()).isEqualTo("RSA");
    assertThat(info.signatureAlgorithm()).isEqualTo("SHA256WITHRSA");
    assertThat(info.sha256()).isEqualTo(CertificateInspector.fingerprint(odd));
    assertThat(info.nameMatches()).isNull();
  }

  @Test
  void garbageAndEmptyInputAreErrors() {
    byte[] garbage = "HTTP/1.1 400 Bad Request\r\n".getBytes(StandardCharsets.US_ASCII);
    assertThat(CertificateInspector.inspect(garbage, null).error()).isNotBlank();
    assertThat(CertificateInspector.inspect(garbage, null).info()).isNull();
    assertThat(CertificateInspector.inspect(new byte[0], null).error())
        .isEqualTo("empty certificate");
    assertThat(CertificateInspector.inspect(null, null).error()).isEqualTo("empty certificate");
  }

  @Test
  void fingerprintAndSerialFormats() {
    assertThat(CertificateInspector.serialHex(BigInteger.valueOf(0xABC))).isEqualTo("0ABC");
    assertThat(CertificateInspector.serialHex(BigInteger.ONE)).isEqualTo("01");
    assertThat(CertificateInspector.fingerprint(new byte[0]))
        .isEqualTo(
            "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:"
                + "27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55");
  }
}

package dev.rdpdoctor.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * X.509 chains as real Windows servers send them in SC_SECURITY and in the licensing
 * LICENSE_REQUEST: a licence-server-issued certificate named CN=ncalrpc:..., a serialNumber
 * attribute with CR/LF in it, and the RSA key under OIW's shaWithRSASignature instead of
 * rsaEncryption. The JDK's CertificateFactory gives no RSA key for it; the key must still be read.
 * Built with BouncyCastle's encoder.
 */
public class ServerCertificateX509Test {
  static final int LICENCE_KEY_BITS = 1024;

  /** A key pair for the licence server, made once per test run. */
  public static KeyPair licenceKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(LICENCE_KEY_BITS);
    return g.generateKeyPair();
  }

  /** A certificate shaped as a Windows licence server issues it. */
  public static byte[] licenceServerCertificate(KeyPair kp) throws Exception {
    X500Name name =
        new X500Name(
            new RDN[] {
              new RDN(new AttributeTypeAndValue(BCStyle.CN, new DERBMPString("ncalrpc:WIN2008"))),
              new RDN(
                  new AttributeTypeAndValue(
                      BCStyle.SERIALNUMBER, new DERPrintableString("1\r\n2", false)))
            });
    byte[] key =
        SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded()).getPublicKeyData().getBytes();
    SubjectPublicKeyInfo oiw =
        new SubjectPublicKeyInfo(
            new AlgorithmIdentifier(new ASN1ObjectIdentifier("1.3.14.3.2.15"), DERNull.INSTANCE),
            key);
    return new X509v3CertificateBuilder(
            name, BigInteger.ONE, new Date(0), new Date(4_102_444_800_000L), name, oiw)
        .build(new JcaContentSignerBuilder("SHA1withRSA").build(kp.getPrivate()))
        .getEncoded();
  }

  /** A serverCertificate blob ([MS-RDPBCGR] 2.2.1.4.3.1) with an X.509 chain, leaf last. */
  public static byte[] chainBlob(byte[]... certs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Le.u32(out, 0x80000000 | ServerCertificate.CERT_CHAIN_VERSION_2);
    Le.u32(out, certs.length);
    for (byte[] c : certs) {
      Le.u32(out, c.length);
      out.writeBytes(c);
    }
    out.writeBytes(new byte[8]); // padding, as Windows sends
    return out.toByteArray();
  }

  @Test
  void aLicenceServerCertificateGivesItsRsaKeyWhereTheJdkGivesNone() throws Exception {
    KeyPair kp = licenceKeys();
    byte[] der = licenceServerCertificate(kp);
    Object jdkKey =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der))
            .getPublicKey();
    assertThat(jdkKey)
        .as("the shape the old JDK parse failed on")
        .isNotInstanceOf(RSAPublicKey.class);
    ServerCertificate c = ServerCertificate.decode(chainBlob(der, der));
    assertThat(c.kind()).isEqualTo("x509");
    ServerCertificate.RsaKey k = c.rsaKey().orElseThrow();
    assertThat(k.modulus()).isEqualTo(((RSAPublicKey) kp.getPublic()).getModulus());
    assertThat(k.exponent()).isEqualTo(65537);
  }

  @Test
  void itsMalformedTwinHasNoKey() throws Exception {
    byte[] der = licenceServerCertificate(licenceKeys());
    byte[] cut = Arrays.copyOf(der, der.length / 2);
    assertThat(ServerCertificate.decode(chainBlob(cut)).rsaKey()).isEmpty();
  }
}

package dev.rdpdoctor.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made in-test with BouncyCastle's builder and the JDK's key generators (no provider
 * registration, no global state). Key pairs are cached per algorithm and size because RSA key
 * generation dominates test time otherwise.
 */
public final class TestCertificates {
  private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();

  private TestCertificates() {}

  /** A key pair and the certificate for it; {@code der()} is what a server sends. */
  public record Issued(KeyPair keyPair, X509Certificate certificate) {
    public byte[] der() {
      try {
        return certificate.getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static Builder builder(String subjectDn) {
    return new Builder(subjectDn);
  }

  /** A plain self-signed RSA-2048 server certificate for one name, valid around now. */
  public static Issued selfSigned(String cn) {
    return builder("CN=" + cn).san("DNS:" + cn).build();
  }

  /** One key per (algorithm, size), shared by every certificate that asks for it. */
  public static KeyPair keyPair(String algorithm, int bits) {
    return KEYS.computeIfAbsent(algorithm + bits, k -> generate(algorithm, bits));
  }

  /** A second, distinct key of the same kind (for "same name, different key" cases). */
  public static KeyPair otherKeyPair(String algorithm, int bits) {
    return KEYS.computeIfAbsent(algorithm + bits + "/other", k -> generate(algorithm, bits));
  }

  private static KeyPair generate(String algorithm, int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        g.initialize(new ECGenParameterSpec(bits == 384 ? "secp384r1" : "secp256r1"));
      } else {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static final class Builder {
    private final String subject;
    private final List<GeneralName> sans = new ArrayList<>();
    private Instant notBefore = Instant.now().minus(Duration.ofDays(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(180));
    private String keyAlgorithm = "RSA";
    private int keyBits = 2048;
    private KeyPair keyPair;
    private String signatureAlgorithm;
    private List<KeyPurposeId> eku;
    private Issued issuer;
    private boolean ca;
    private BigInteger serial = BigInteger.valueOf(0x1234ABCDL);
    private final List<Object[]> rawExtensions = new ArrayList<>();

    private Builder(String subject) {
      this.subject = subject;
    }

    /** "DNS:host" or "IP:address". */
    public Builder san(String san) {
      sans.add(generalName(san));
      return this;
    }

    /** Any SAN entry as is, including malformed ones (an IP of the wrong length ...). */
    public Builder san(GeneralName raw) {
      sans.add(raw);
      return this;
    }

    public Builder validity(Instant from, Instant to) {
      this.notBefore = from;
      this.notAfter = to;
      return this;
    }

    /** "RSA" with modulus bits, or "EC" with 256 / 384. */
    public Builder key(String algorithm, int bits) {
      this.keyAlgorithm = algorithm;
      this.keyBits = bits;
      return this;
    }

    public Builder keyPair(KeyPair kp) {
      this.keyPair = kp;
      return this;
    }

    public Builder signatureAlgorithm(String name) {
      this.signatureAlgorithm = name;
      return this;
    }

    /** Adds an EKU extension with exactly these purposes. */
    public Builder eku(KeyPurposeId... purposes) {
      this.eku = List.of(purposes);
      return this;
    }

    /** Signed by this CA instead of by itself. */
    public Builder issuedBy(Issued ca) {
      this.issuer = ca;
      return this;
    }

    /** An extension with these exact value bytes, well-formed or not. */
    public Builder rawExtension(ASN1ObjectIdentifier oid, boolean critical, byte[] value) {
      rawExtensions.add(new Object[] {oid, critical, value.clone()});
      return this;
    }

    public Builder ca() {
      this.ca = true;
      return this;
    }

    public Builder serial(BigInteger s) {
      this.serial = s;
      return this;
    }

    public Issued build() {
      try {
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder());
        return new Issued(keyPairToUse(), cert);
      } catch (Exception e) {
        throw new IllegalStateException("cannot build test certificate " + subject, e);
      }
    }

    /** The DER without a round trip through the JDK, for certificates the JDK refuses. */
    public byte[] buildDer() {
      try {
        return holder().getEncoded();
      } catch (Exception e) {
        throw new IllegalStateException("cannot build test certificate " + subject, e);
      }
    }

    private KeyPair keyPairToUse() {
      return keyPair != null ? keyPair : TestCertificates.keyPair(keyAlgorithm, keyBits);
    }

    private X509CertificateHolder holder() throws Exception {
      KeyPair kp = keyPairToUse();
      // parsed as RFC 2253, so "CN=a,O=b" reads the way certificate viewers print it
      X500Name subjectName = X500Name.getInstance(new X500Principal(subject).getEncoded());
      X500Name issuerName =
          issuer == null
              ? subjectName
              : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
      KeyPair signer = issuer == null ? kp : issuer.keyPair();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuerName,
              serial,
              Date.from(notBefore),
              Date.from(notAfter),
              subjectName,
              kp.getPublic());
      if (!sans.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      if (eku != null) {
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(eku.toArray(KeyPurposeId[]::new)));
      }
      for (Object[] x : rawExtensions) {
        b.addExtension((ASN1ObjectIdentifier) x[0], (Boolean) x[1], (byte[]) x[2]);
      }
      if (ca) {
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      }
      String sigAlg =
          signatureAlgorithm != null
              ? signatureAlgorithm
              : signer.getPrivate().getAlgorithm().equals("EC")
                  ? "SHA256withECDSA"
                  : "SHA256withRSA";
      return b.build(new JcaContentSignerBuilder(sigAlg).build(signer.getPrivate()));
    }
  }

  private static GeneralName generalName(String san) {
    if (san.startsWith("DNS:")) {
      return new GeneralName(GeneralName.dNSName, san.substring(4));
    }
    if (san.startsWith("IP:")) {
      return new GeneralName(GeneralName.iPAddress, san.substring(3));
    }
    throw new IllegalArgumentException("SAN must start with DNS: or IP: " + san);
  }
}

package dev.rdpdoctor.probe;

import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * BouncyCastle's TLS crypto for a client that inspects a server rather than trusts it, with the
 * tool's own CPU bounded. BouncyCastle checks an RSA modulus the first time it meets it: small
 * factors, then Miller-Rabin rounds that prove it composite. The rounds grow with the cube of the
 * size; for a 16384-bit server key they cost about 15 s of our CPU, and a server that sends a new
 * key on every connection makes each connection pay again. Those checks protect a client that
 * relies on the key; this one only reports it. Above {@link #MAX_CHECKED_RSA_BITS} the key is used
 * as sent, and {@link CertificateInspector} says so in the evidence.
 */
final class InspectingCrypto extends BcTlsCrypto {
  /** RSA moduli up to this size get BouncyCastle's full checks (under 0.2 s at 4096 bits). */
  static final int MAX_CHECKED_RSA_BITS = 4096;

  @Override
  public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
    if (type == CertificateType.X509) {
      return new Certificate(this, encoding);
    }
    return super.createCertificate(type, encoding);
  }

  /** The modulus of an RSA SubjectPublicKeyInfo, or null for any other key. */
  static BigInteger rsaModulus(SubjectPublicKeyInfo info) {
    if (!PKCSObjectIdentifiers.rsaEncryption.equals(info.getAlgorithm().getAlgorithm())
        && !PKCSObjectIdentifiers.id_RSASSA_PSS.equals(info.getAlgorithm().getAlgorithm())) {
      return null;
    }
    try {
      return RSAPublicKey.getInstance(info.parsePublicKey()).getModulus();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static final class Certificate extends BcTlsCertificate {
    Certificate(BcTlsCrypto crypto, byte[] encoding) throws IOException {
      super(crypto, encoding);
    }

    @Override
    protected AsymmetricKeyParameter getPublicKey() throws IOException {
      BigInteger n = rsaModulus(keyInfo);
      if (n == null || n.bitLength() <= MAX_CHECKED_RSA_BITS) {
        return super.getPublicKey();
      }
      RSAPublicKey k = RSAPublicKey.getInstance(keyInfo.parsePublicKey());
      // the four-argument constructor with isInternal=true records the modulus as checked
      return new RSAKeyParameters(false, k.getModulus(), k.getPublicExponent(), true);
    }
  }
}

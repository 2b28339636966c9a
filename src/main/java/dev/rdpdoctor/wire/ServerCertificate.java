package dev.rdpdoctor.wire;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The serverCertificate of SC_SECURITY ([MS-RDPBCGR] 2.2.1.4.3.1): a proprietary certificate
 * (2.2.1.4.3.1.1, an RSA1 public key blob, 2.2.1.4.3.1.1.1) or an X.509 chain (dwVersion 2).
 *
 * <pre>
 * dwVersion u32 : bits 0..30 certChainVersion (1 proprietary, 2 X.509), bit 31 t (temporary)
 * proprietary:  dwSigAlgId u32 | dwKeyAlgId u32 | wPublicKeyBlobType u16 (6) |
 *               wPublicKeyBlobLen u16 | RSA1 blob | wSignatureBlobType u16 (8) |
 *               wSignatureBlobLen u16 | signature
 * RSA1 blob:    magic "RSA1" u32 | keylen u32 | bitlen u32 | datalen u32 | pubExp u32 |
 *               modulus (keylen bytes, little-endian, 8 bytes of zero padding)
 * X.509 chain:  NumCertBlobs u32 | { cbCert u32 | abCert } * n | padding
 * </pre>
 *
 * @param version 1 proprietary, 2 X.509, other values as sent
 * @param temporary the t bit: a temporary (X.509) certificate
 * @param modulusBits RSA1 bitlen (proprietary only)
 * @param exponent RSA1 pubExp (proprietary only)
 * @param modulusHex the modulus, big-endian hex (proprietary only)
 * @param signatureLength the signature blob's length (proprietary only)
 * @param x509 the X.509 chain's DER blobs, leaf last as the server sends them (X.509 only)
 * @param signature whether the Terminal Services signature verifies (5.3.3.1; proprietary only)
 */
public record ServerCertificate(
    int version,
    boolean temporary,
    Integer modulusBits,
    Long exponent,
    String modulusHex,
    Integer signatureLength,
    List<byte[]> x509,
    ProprietaryCertificateSignature.Check signature) {
  public static final int CERT_CHAIN_VERSION_1 = 1;
  public static final int CERT_CHAIN_VERSION_2 = 2;
  static final int RSA1_MAGIC = 0x31415352;
  static final int BB_RSA_KEY_BLOB = 6;

  /** Windows keys are 512..4096 bits; far more than that is not a key, it is an attack. */
  static final int MAX_KEY_BYTES = 2048;

  /** A chain of a few certificates; windows sends 2. */
  static final int MAX_X509_CERTS = 16;

  /** The RSA public key a client encrypts its random with (5.3.4). */
  public record RsaKey(BigInteger modulus, long exponent) {
    public int bits() {
      return modulus.bitLength();
    }
  }

  /**
   * The key the Security Exchange encrypts to: the proprietary certificate's RSA1 key, or the RSA
   * key of the last certificate of an X.509 chain (the server's own; the ones before it are its
   * issuers). Empty when there is no RSA key to use.
   */
  public Optional<RsaKey> rsaKey() {
    if (version == CERT_CHAIN_VERSION_1 && modulusHex != null && exponent != null) {
      return Optional.of(new RsaKey(new BigInteger(modulusHex, 16), exponent));
    }
    if (version == CERT_CHAIN_VERSION_2 && !x509.isEmpty()) {
      return x509RsaKey(x509.get(x509.size() - 1));
    }
    return Optional.empty();
  }

  /**
   * The algorithm Windows licence servers name their certificates' RSA keys with: OIW's
   * shaWithRSASignature (1.3.14.3.2.15), a signature algorithm, where rsaEncryption belongs.
   * rdesktop and FreeRDP read the key as RSA all the same; the JDK gives no RSA key for it.
   */
  static final ASN1ObjectIdentifier OIW_SHA_WITH_RSA = new ASN1ObjectIdentifier("1.3.14.3.2.15");

  /**
   * The RSA key of one X.509 certificate, read with BouncyCastle's ASN.1 parser rather than the
   * JDK's CertificateFactory, which refuses or misreads what real Windows servers send
   * (licence-server-issued certificates named CN=ncalrpc:..., a serialNumber attribute with CR/LF
   * in it, the key under {@link #OIW_SHA_WITH_RSA}). Only the key is needed here, not a judgement
   * of the certificate.
   */
  static Optional<RsaKey> x509RsaKey(byte[] der) {
    try {
      SubjectPublicKeyInfo spki = Certificate.getInstance(der).getSubjectPublicKeyInfo();
      ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
      if (!PKCSObjectIdentifiers.rsaEncryption.equals(alg) && !OIW_SHA_WITH_RSA.equals(alg)) {
        return Optional.empty();
      }
      RSAPublicKey k = RSAPublicKey.getInstance(spki.parsePublicKey());
      // a hostile modulus or exponent is the caller's to judge (RdpRsa's caps), not a parse error
      if (k.getPublicExponent().bitLength() < 63) {
        return Optional.of(new RsaKey(k.getModulus(), k.getPublicExponent().longValueExact()));
      }
    } catch (IOException | RuntimeException e) {
      // a chain that does not parse has no usable key; the caller says so
    }
    return Optional.empty();
  }

  public String kind() {
    return switch (version) {
      case CERT_CHAIN_VERSION_1 -> "proprietary";
      case CERT_CHAIN_VERSION_2 -> "x509";
      default -> "unknown(" + version + ")";
    };
  }

  public static ServerCertificate decode(byte[] b) throws MalformedPduException {
    ByteReader r = new ByteReader(b);
    int dw = r.u32le("dwVersion");
    int version = dw & 0x7FFFFFFF;
    boolean temporary = (dw & 0x80000000) != 0;
    if (version == CERT_CHAIN_VERSION_1) {
      r.u32le("dwSigAlgId");
      r.u32le("dwKeyAlgId");
      int blobType = r.u16le("wPublicKeyBlobType");
      if (blobType != BB_RSA_KEY_BLOB) {
        throw new MalformedPduException("public key blob type " + blobType + ", expected 6", 12);
      }
      int blobLen = r.u16le("wPublicKeyBlobLen");
      ByteReader blob = new ByteReader(r.bytes(blobLen, "public key blob"));
      int magic = blob.u32le("RSA1 magic");
      if (magic != RSA1_MAGIC) {
        throw new MalformedPduException("public key blob is not RSA1", 16);
      }
      int keylen = blob.u32le("RSA1 keylen");
      int bitlen = blob.u32le("RSA1 bitlen");
      blob.u32le("RSA1 datalen");
      long exp = blob.u32le("RSA1 pubExp") & 0xFFFFFFFFL;
      if (keylen < 0 || keylen > MAX_KEY_BYTES) {
        throw new MalformedPduException(
            "RSA1 keylen " + Integer.toUnsignedString(keylen) + " beyond cap " + MAX_KEY_BYTES, 20);
      }
      if (bitlen < 0 || bitlen > keylen * 8) {
        throw new MalformedPduException(
            "RSA1 bitlen "
                + Integer.toUnsignedString(bitlen)
                + " longer than the "
                + keylen
                + "-byte modulus",
            24);
      }
      byte[] le = blob.bytes(keylen, "RSA1 modulus");
      byte[] be = new byte[le.length];
      for (int i = 0; i < le.length; i++) {
        be[i] = le[le.length - 1 - i];
      }
      BigInteger mod = new BigInteger(1, be);
      // 5.3.3.1.2: the signature covers dwVersion (offset 0) through the end of PublicKeyBlob
      byte[] signed = Arrays.copyOfRange(b, 0, r.position());
      r.u16le("wSignatureBlobType");
      int sigLen = r.u16le("wSignatureBlobLen");
      byte[] sig = r.bytes(sigLen, "signature blob");
      return new ServerCertificate(
          version,
          temporary,
          bitlen,
          exp,
          mod.toString(16),
          sigLen,
          List.of(),
          ProprietaryCertificateSignature.verify(signed, sig));
    }
    if (version == CERT_CHAIN_VERSION_2) {
      int n = r.u32le("NumCertBlobs");
      if (n < 0 || n > MAX_X509_CERTS) {
        throw new MalformedPduException(
            "NumCertBlobs " + Integer.toUnsignedString(n) + " beyond cap " + MAX_X509_CERTS, 4);
      }
      List<byte[]> certs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int len = r.u32le("cbCert");
        if (len < 0) {
          throw new MalformedPduException("cbCert too large", r.position() - 4);
        }
        certs.add(r.bytes(len, "abCert"));
      }
      return new ServerCertificate(
          version, temporary, null, null, null, null, List.copyOf(certs), null);
    }
    return new ServerCertificate(version, temporary, null, null, null, null, List.of(), null);
  }
}

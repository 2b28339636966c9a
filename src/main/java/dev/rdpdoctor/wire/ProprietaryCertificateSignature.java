package dev.rdpdoctor.wire;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The signature of a proprietary server certificate ([MS-RDPBCGR] 5.3.3.1), checked as a client
 * does: Standard RDP Security has no other server authentication, so a key that does not carry the
 * Terminal Services signature did not come from a stack that holds the (well-known) signing key,
 * for instance a machine in the middle that replaced the server's RSA key with its own.
 *
 * <pre>
 * signed data   : the certificate from dwVersion through the end of PublicKeyBlob
 *                 (dwVersion | dwSigAlgId | dwKeyAlgId | wPublicKeyBlobType | wPublicKeyBlobLen |
 *                  PublicKeyBlob)                                              (5.3.3.1.2)
 * signed block  : 64 bytes, little-endian:
 *                 [0..15] MD5(signed data) | [16] 0x00 | [17..61] 0xFF | [62] 0x01 | [63] 0x00
 * SignatureBlob : block^d mod n, 64 bytes little-endian, then 8 bytes of zero padding
 * verification  : SignatureBlob[0..63]^e mod n must give back the signed block  (5.3.3.1.1)
 * </pre>
 */
public final class ProprietaryCertificateSignature {
  /** [MS-RDPBCGR] 5.3.3.1.1 Terminal Services Signing Key, modulus n, little-endian as given. */
  private static final byte[] TS_MODULUS_LE =
      Hex.parse(
          "3d3a5ebd72433ec94dbbc11e4aba5fcb3e882087eff5c1e2d7b76b9af2524595"
              + "ce63656b583afeef7ce7bffe3df65c7d6c5e06091af561bb2093095f056dea87");

  /** Public exponent e, little-endian as given. */
  private static final byte[] TS_EXPONENT_LE = {0x5b, 0x7b, (byte) 0x88, (byte) 0xc0};

  static final BigInteger TS_MODULUS = littleEndian(TS_MODULUS_LE, TS_MODULUS_LE.length);
  static final BigInteger TS_EXPONENT = littleEndian(TS_EXPONENT_LE, TS_EXPONENT_LE.length);

  /** The key is 512 bits: the signature proper is 64 bytes. */
  public static final int SIGNATURE_BYTES = 64;

  /** 64 bytes of signature and the 8 bytes of zero padding every signer appends. */
  public static final int SIGNATURE_BLOB_BYTES = SIGNATURE_BYTES + 8;

  static final int MD5_BYTES = 16;

  private ProprietaryCertificateSignature() {}

  /**
   * The outcome.
   *
   * @param valid whether the signature verifies with the Terminal Services key
   * @param detail why not, or "verified"
   */
  public record Check(boolean valid, String detail) {}

  /**
   * Checks a signature over the certificate's signed bytes. Never throws: any mismatch in length or
   * content is an invalid signature, because that is what a client would conclude.
   */
  public static Check verify(byte[] signedData, byte[] signatureBlob) {
    if (signatureBlob.length != SIGNATURE_BLOB_BYTES) {
      // the padding is not signed, but a blob of another length was not made with a 512-bit key
      return new Check(
          false,
          "signature blob is " + signatureBlob.length + " bytes, expected " + SIGNATURE_BLOB_BYTES);
    }
    BigInteger s = littleEndian(signatureBlob, SIGNATURE_BYTES);
    if (s.compareTo(TS_MODULUS) >= 0) {
      return new Check(false, "signature is not below the Terminal Services modulus");
    }
    byte[] recovered = toLittleEndian(s.modPow(TS_EXPONENT, TS_MODULUS), SIGNATURE_BYTES);
    if (!MessageDigest.isEqual(recovered, signedBlock(signedData))) {
      return new Check(false, "signature does not match the certificate's MD5 hash");
    }
    return new Check(true, "verified");
  }

  /** The 64-byte block a signer raises to d: the MD5 hash, then the fixed padding. */
  static byte[] signedBlock(byte[] signedData) {
    byte[] block = new byte[SIGNATURE_BYTES];
    System.arraycopy(md5(signedData), 0, block, 0, MD5_BYTES);
    block[MD5_BYTES] = 0x00;
    for (int i = MD5_BYTES + 1; i < SIGNATURE_BYTES - 2; i++) {
      block[i] = (byte) 0xFF;
    }
    block[SIGNATURE_BYTES - 2] = 0x01;
    block[SIGNATURE_BYTES - 1] = 0x00;
    return block;
  }

  private static byte[] md5(byte[] data) {
    try {
      return MessageDigest.getInstance("MD5").digest(data);
    } catch (NoSuchAlgorithmException e) {
      // every Java platform must provide MD5 (MessageDigest's javadoc)
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }

  static BigInteger littleEndian(byte[] le, int length) {
    byte[] be = new byte[length];
    for (int i = 0; i < length; i++) {
      be[i] = le[length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  /** The value as exactly {@code length} little-endian bytes (it is below a 64-byte modulus). */
  static byte[] toLittleEndian(BigInteger v, int length) {
    byte[] be = v.toByteArray();
    byte[] le = new byte[length];
    for (int i = 0; i < length && i < be.length; i++) {
      le[i] = be[be.length - 1 - i];
    }
    return le;
  }
}

package dev.rdpdoctor.wire.security;

import java.math.BigInteger;

/**
 * RDP's raw RSA ([MS-RDPBCGR] 5.3.4.1): no PKCS#1 padding, every number little-endian. Used for the
 * client random of the Security Exchange PDU and the licensing premaster secret ([MS-RDPELE]
 * 5.1.1.1). (The proprietary certificate's signature check, ProprietaryCertificateSignature, does
 * its fixed-size 512-bit arithmetic itself.)
 *
 * <pre>
 * c = m^e mod n       m, n read little-endian
 * out = c little-endian, in modulus-length bytes, + 8 zero bytes   ((bitlen / 8) + 8 bytes)
 * </pre>
 */
public final class RdpRsa {
  /** The 8 zero bytes 5.3.4.1 appends after the modulus-length result. */
  public static final int PADDING = 8;

  /** Largest modulus we accept from a peer: 16384 bits keeps modPow bounded in time. */
  public static final int MAX_MODULUS_BITS = 16_384;

  private RdpRsa() {}

  /**
   * Encrypts {@code data} (read as an unsigned little-endian integer) to the public key (modulus,
   * exponent); returns the little-endian result in modulus-length bytes plus 8 zero bytes. The
   * modulus must be positive and at most {@link #MAX_MODULUS_BITS}; the exponent positive (a
   * server's pubExp is an unsigned 32-bit value, so it arrives as a long).
   */
  public static byte[] encrypt(byte[] data, BigInteger modulus, long exponent) {
    return modPowLe(data, modulus, BigInteger.valueOf(exponent));
  }

  /**
   * The same operation with a big exponent: a test's private-key decryption, or verifying a
   * signature made with a private exponent. Output has no padding beyond the modulus length plus
   * {@link #PADDING}.
   */
  public static byte[] modPowLe(byte[] data, BigInteger modulus, BigInteger exponent) {
    if (modulus == null || modulus.signum() <= 0 || modulus.bitLength() > MAX_MODULUS_BITS) {
      throw new IllegalArgumentException(
          "RSA modulus must be positive and at most " + MAX_MODULUS_BITS + " bits");
    }
    if (exponent == null || exponent.signum() <= 0) {
      throw new IllegalArgumentException("RSA exponent must be positive");
    }
    int len = (modulus.bitLength() + 7) / 8;
    BigInteger m = fromLittleEndian(data);
    byte[] be = m.modPow(exponent, modulus).toByteArray();
    byte[] out = new byte[len + PADDING];
    // toByteArray is big-endian and may carry a leading sign byte: the result is below the
    // modulus, so its low len bytes hold all of it
    for (int i = 0; i < len && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  /** An unsigned little-endian integer, as the proprietary certificate stores its modulus. */
  public static BigInteger fromLittleEndian(byte[] le) {
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be);
  }
}

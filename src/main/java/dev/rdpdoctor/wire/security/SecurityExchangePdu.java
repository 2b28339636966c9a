package dev.rdpdoctor.wire.security;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * Security Exchange PDU Data, TS_SECURITY_PACKET ([MS-RDPBCGR] 2.2.1.10.1): the userData of the MCS
 * Send Data Request of the Client Security Exchange PDU (2.2.1.10), carrying the client random
 * encrypted to the server's key (5.3.4.1).
 *
 * <pre>
 *  0                   1                   2                   3
 * +-------------------------------+-------------------------------+
 * | flags (SEC_EXCHANGE_PKT, ...) | flagsHi                       |  basicSecurityHeader
 * +-------------------------------+-------------------------------+
 * | length (u32 LE): bytes of encryptedClientRandom               |
 * +---------------------------------------------------------------+
 * | encryptedClientRandom: RSA result, modulus-length + 8 zeros   |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@link #of} sets SEC_EXCHANGE_PKT | SEC_LICENSE_ENCRYPT_SC (0x0201), as mstsc does in the
 * specification's own example (4.1.9) and as FreeRDP does: it tells the server the client can read
 * encrypted licensing PDUs, so a server at a level that encrypts licensing behaves as it does with
 * Windows clients. {@link RdpSecurity#unwrap} decrypts those PDUs.
 */
public record SecurityExchangePdu(int flags, byte[] encryptedClientRandom) {
  /** What mstsc sends (spec example 4.1.9). */
  public static final int FLAGS =
      SecurityFlags.SEC_EXCHANGE_PKT | SecurityFlags.SEC_LICENSE_ENCRYPT_SC;

  /** 16384-bit modulus + 8: anything longer is not an RSA result we could have produced. */
  public static final int MAX_ENCRYPTED_LENGTH = RdpRsa.MAX_MODULUS_BITS / 8 + RdpRsa.PADDING;

  /** RSA-512, the smallest key a proprietary certificate carries, + 8. */
  public static final int MIN_ENCRYPTED_LENGTH = 512 / 8 + RdpRsa.PADDING;

  public SecurityExchangePdu {
    Objects.requireNonNull(encryptedClientRandom, "encryptedClientRandom");
    encryptedClientRandom = encryptedClientRandom.clone();
  }

  @Override
  public byte[] encryptedClientRandom() {
    return encryptedClientRandom.clone();
  }

  /**
   * Encrypts the 32-byte client random to the server's proprietary-certificate key (5.3.4.1). The
   * client random itself is never kept in the PDU.
   */
  public static SecurityExchangePdu of(byte[] clientRandom, BigInteger modulus, long exponent) {
    if (clientRandom == null || clientRandom.length != RdpSecurity.RANDOM_LENGTH) {
      throw new IllegalArgumentException("the client random is 32 bytes");
    }
    return new SecurityExchangePdu(FLAGS, RdpRsa.encrypt(clientRandom, modulus, exponent));
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 + encryptedClientRandom.length);
    Le.u16(out, flags);
    Le.u16(out, 0);
    Le.u32(out, encryptedClientRandom.length);
    out.writeBytes(encryptedClientRandom);
    return out.toByteArray();
  }

  /**
   * Reads the userData of a Security Exchange PDU: the header must carry SEC_EXCHANGE_PKT and the
   * length must match what follows (within named bounds), so a broken peer or a fuzzer gets a
   * MalformedPduException naming the field.
   */
  public static SecurityExchangePdu decode(byte[] userData) throws MalformedPduException {
    ByteReader r = new ByteReader(userData);
    int flags = r.u16le("security header flags");
    r.u16le("security header flagsHi");
    if ((flags & SecurityFlags.SEC_EXCHANGE_PKT) == 0) {
      throw new MalformedPduException(
          "security header flags 0x" + Integer.toHexString(flags) + " lack SEC_EXCHANGE_PKT", 0);
    }
    long length = r.u32le("length") & 0xFFFF_FFFFL;
    if (length < MIN_ENCRYPTED_LENGTH || length > MAX_ENCRYPTED_LENGTH) {
      throw new MalformedPduException(
          "encryptedClientRandom length "
              + length
              + " outside "
              + MIN_ENCRYPTED_LENGTH
              + ".."
              + MAX_ENCRYPTED_LENGTH,
          4);
    }
    byte[] enc = r.bytes((int) length, "encryptedClientRandom");
    if (r.remaining() != 0) {
      throw new MalformedPduException(
          r.remaining() + " bytes after encryptedClientRandom", r.position());
    }
    return new SecurityExchangePdu(flags, enc);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecurityExchangePdu p
        && p.flags == flags
        && Arrays.equals(p.encryptedClientRandom, encryptedClientRandom);
  }

  @Override
  public int hashCode() {
    return 31 * flags + Arrays.hashCode(encryptedClientRandom);
  }

  @Override
  public String toString() {
    // the encrypted random is harmless but long; its length is what a trace needs
    return "SecurityExchangePdu[flags="
        + SecurityFlags.describe(flags)
        + ", encrypted="
        + encryptedClientRandom.length
        + " bytes]";
  }
}

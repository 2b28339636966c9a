package dev.rdpdoctor.wire.security;

import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;

/**
 * Session key generation for Standard RDP Security, from the client's side: [MS-RDPBCGR] 5.3.5.1
 * (non-FIPS: RC4 keys and the MAC key, with the 40/56-bit salts) and 5.3.5.2 (FIPS: two 3DES keys
 * and the HMAC-SHA1 key). Keys never leave this package except through tests.
 */
final class KeySchedule {
  /** 5.3.5.1: the first bytes of 40-bit keys (3 bytes) and 56-bit keys (1 byte). */
  static final byte[] SALT = {(byte) 0xD1, (byte) 0x26, (byte) 0x9E};

  static final byte[] PAD1 = filled(40, 0x36);
  static final byte[] PAD2 = filled(48, 0x5C);

  private KeySchedule() {}

  /** Non-FIPS keys as the client uses them: already cut to length and salted. */
  record NonFips(byte[] macKey, byte[] encryptKey, byte[] decryptKey) {}

  /** FIPS keys as the client uses them: 24-byte 3DES keys with parity, 20-byte HMAC key. */
  record Fips(byte[] encryptKey, byte[] decryptKey, byte[] hmacKey) {}

  /**
   * 5.3.5.1. PreMasterSecret = first 24 bytes of each random; MasterSecret and SessionKeyBlob by
   * SaltedHash with 'A','BB','CCC' then 'X','YY','ZZZ'; MACKey128 = first 16 bytes of the blob; the
   * client's decrypt key = FinalHash(second 16) and encrypt key = FinalHash(third 16), mirrored
   * from the server's (its encrypt key is our decrypt key).
   */
  static NonFips nonFips(int method, byte[] clientRandom, byte[] serverRandom) {
    byte[] preMaster = concat(Arrays.copyOf(clientRandom, 24), Arrays.copyOf(serverRandom, 24));
    byte[] master =
        concat(
            saltedHash(preMaster, new byte[] {'A'}, clientRandom, serverRandom),
            saltedHash(preMaster, new byte[] {'B', 'B'}, clientRandom, serverRandom),
            saltedHash(preMaster, new byte[] {'C', 'C', 'C'}, clientRandom, serverRandom));
    byte[] blob =
        concat(
            saltedHash(master, new byte[] {'X'}, clientRandom, serverRandom),
            saltedHash(master, new byte[] {'Y', 'Y'}, clientRandom, serverRandom),
            saltedHash(master, new byte[] {'Z', 'Z', 'Z'}, clientRandom, serverRandom));
    byte[] mac = Arrays.copyOfRange(blob, 0, 16);
    byte[] decrypt = finalHash(Arrays.copyOfRange(blob, 16, 32), clientRandom, serverRandom);
    byte[] encrypt = finalHash(Arrays.copyOfRange(blob, 32, 48), clientRandom, serverRandom);
    return new NonFips(reduce(method, mac), reduce(method, encrypt), reduce(method, decrypt));
  }

  /**
   * 5.3.5.2. ClientEncryptKeyT = SHA1(last 16 of ClientRandom + last 16 of ServerRandom),
   * ClientDecryptKeyT = SHA1(first 16 of each); each 20-byte value plus its own first byte is a
   * 168-bit 3DES key, spread to 24 bytes with a parity bit per byte. HMAC key =
   * SHA1(ClientDecryptKeyT + ClientEncryptKeyT).
   */
  static Fips fips(byte[] clientRandom, byte[] serverRandom) {
    byte[] encT =
        hash(
            new SHA1Digest(),
            Arrays.copyOfRange(clientRandom, 16, 32),
            Arrays.copyOfRange(serverRandom, 16, 32));
    byte[] decT =
        hash(new SHA1Digest(), Arrays.copyOf(clientRandom, 16), Arrays.copyOf(serverRandom, 16));
    byte[] hmacKey = hash(new SHA1Digest(), decT, encT);
    return new Fips(expand168(encT), expand168(decT), hmacKey);
  }

  /**
   * 5.3.7: the key after 4096 uses. SHA1(initial + pad1 + current), then MD5(initial + pad2 +
   * that); the result, RC4-encrypted under itself, salted again for 40/56-bit.
   */
  static byte[] update(int method, byte[] initialKey, byte[] currentKey) {
    int len = initialKey.length;
    byte[] sha = hash(new SHA1Digest(), initialKey, PAD1, currentKey);
    byte[] temp = Arrays.copyOf(hash(new MD5Digest(), initialKey, PAD2, sha), len);
    byte[] next = Rc4.apply(temp, temp);
    return salt(method, next);
  }

  /** First 64 bits salted for 40/56-bit, all 128 bits otherwise. */
  static byte[] reduce(int method, byte[] key128) {
    if (method == RdpSecurity.METHOD_40BIT || method == RdpSecurity.METHOD_56BIT) {
      return salt(method, Arrays.copyOf(key128, 8));
    }
    return key128;
  }

  private static byte[] salt(int method, byte[] key) {
    if (method == RdpSecurity.METHOD_40BIT) {
      System.arraycopy(SALT, 0, key, 0, 3);
    } else if (method == RdpSecurity.METHOD_56BIT) {
      key[0] = SALT[0];
    }
    return key;
  }

  /** SaltedHash(S, I) = MD5(S + SHA1(I + S + ClientRandom + ServerRandom)). */
  private static byte[] saltedHash(byte[] s, byte[] i, byte[] clientRandom, byte[] serverRandom) {
    byte[] sha = hash(new SHA1Digest(), i, s, clientRandom, serverRandom);
    return hash(new MD5Digest(), s, sha);
  }

  /** FinalHash(K) = MD5(K + ClientRandom + ServerRandom). */
  private static byte[] finalHash(byte[] k, byte[] clientRandom, byte[] serverRandom) {
    return hash(new MD5Digest(), k, clientRandom, serverRandom);
  }

  /**
   * The 21 bytes (20 + a copy of the first) read as a stream of 168 bits, least significant bit of
   * each byte first; each 7 bits go to the low 7 bits of one of 24 output bytes, and the low bit is
   * then replaced by odd parity. Overwriting that bit loses one bit of each 7: it is what FreeRDP
   * and xrdp do (fips_expand_key_bits), and they interoperate with Windows FIPS servers, so keys
   * made any other way would not decrypt.
   */
  static byte[] expand168(byte[] keyT) {
    byte[] in = Arrays.copyOf(keyT, 21);
    in[20] = keyT[0];
    byte[] out = new byte[24];
    for (int i = 0; i < 24; i++) {
      int v = 0;
      for (int j = 0; j < 7; j++) {
        int bit = 7 * i + j;
        v |= ((in[bit / 8] >>> (bit % 8)) & 1) << j;
      }
      v &= 0xFE;
      out[i] = (byte) (Integer.bitCount(v) % 2 == 0 ? v | 1 : v);
    }
    return out;
  }

  static byte[] hash(Digest d, byte[]... parts) {
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[d.getDigestSize()];
    d.doFinal(out, 0);
    return out;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }
}

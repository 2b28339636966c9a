package dev.rdpdoctor.wire.security;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * One direction of FIPS Standard RDP Security ([MS-RDPBCGR] 5.3.6.2): 3DES-CBC whose chain runs on
 * across PDUs from the fixed IV below (the cipher is set up once per connection and direction,
 * never reset), with a count of PDUs for the HMAC.
 */
final class Fips3Des {
  /** The IV 5.3.6.2 fixes for both directions. */
  static final byte[] IV = {
    0x12, 0x34, 0x56, 0x78, (byte) 0x90, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF
  };

  static final int BLOCK = 8;

  private final BlockCipher cbc;
  private int count;

  Fips3Des(boolean encrypt, byte[] key24) {
    cbc = CBCBlockCipher.newInstance(new DESedeEngine());
    cbc.init(encrypt, new ParametersWithIV(new KeyParameter(key24), IV));
  }

  /** Whole blocks only: the caller pads (encrypt) or has checked the length (decrypt). */
  byte[] process(byte[] data) {
    if (data.length % BLOCK != 0) {
      throw new IllegalArgumentException("3DES input must be whole 8-byte blocks");
    }
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i += BLOCK) {
      cbc.processBlock(data, i, out, i);
    }
    count++;
    return out;
  }

  /** PDUs processed so far: the HMAC's counter for the next one is this value. */
  int count() {
    return count;
  }
}

package dev.rdpdoctor.wire.security;

import org.bouncycastle.crypto.engines.RC4Engine;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One direction of non-FIPS Standard RDP Security: RC4 under the current key, re-keyed after every
 * 4096 PDUs ([MS-RDPBCGR] 5.3.7), with the two counters the MACs need: uses since the last update
 * (drives the update) and the total (the salted MAC's encryptionCount, 5.3.6.1.1, which an update
 * does not reset).
 */
final class Rc4 {
  /** 5.3.7: a key serves this many PDUs, then the next one re-keys first. */
  static final int KEY_UPDATE_INTERVAL = 4096;

  private final int method;
  private final byte[] initialKey;
  private byte[] currentKey;
  private RC4Engine engine;
  private int uses;
  private long total;

  Rc4(int method, byte[] initialKey) {
    this.method = method;
    this.initialKey = initialKey.clone();
    this.currentKey = initialKey.clone();
    this.engine = engine(currentKey);
  }

  /** Encrypts or decrypts (RC4 is its own inverse) one PDU's data, updating the key first. */
  byte[] process(byte[] data) {
    if (uses >= KEY_UPDATE_INTERVAL) {
      currentKey = KeySchedule.update(method, initialKey, currentKey);
      engine = engine(currentKey);
      uses = 0;
    }
    byte[] out = new byte[data.length];
    engine.processBytes(data, 0, data.length, out, 0);
    uses++;
    total++;
    return out;
  }

  /** PDUs processed so far in this direction, across key updates. */
  long total() {
    return total;
  }

  /** One-shot RC4 (the key update encrypts the new key under itself). */
  static byte[] apply(byte[] key, byte[] data) {
    byte[] out = new byte[data.length];
    engine(key).processBytes(data, 0, data.length, out, 0);
    return out;
  }

  private static RC4Engine engine(byte[] key) {
    RC4Engine e = new RC4Engine();
    e.init(true, new KeyParameter(key));
    return e;
  }
}

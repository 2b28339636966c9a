package dev.rdpdoctor.wire.security;

import dev.rdpdoctor.wire.Le;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.MD5Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** The 8-byte dataSignature of Standard RDP Security PDUs. */
final class RdpMac {
  static final int LENGTH = 8;

  private RdpMac() {}

  /**
   * 5.3.6.1: First64Bits(MD5(MACKey + pad2 + SHA1(MACKey + pad1 + length + data))), length the
   * data's byte count as u32 LE, over the plaintext.
   */
  static byte[] plain(byte[] macKey, byte[] data) {
    byte[] sha =
        KeySchedule.hash(new SHA1Digest(), macKey, KeySchedule.PAD1, Le.u32(data.length), data);
    return first8(KeySchedule.hash(new MD5Digest(), macKey, KeySchedule.PAD2, sha));
  }

  /**
   * 5.3.6.1.1 (SEC_SECURE_CHECKSUM): as {@link #plain} with the count of PDUs this side had already
   * encrypted (or decrypted) appended to the SHA1 input as u32 LE.
   */
  static byte[] salted(byte[] macKey, byte[] data, long count) {
    byte[] sha =
        KeySchedule.hash(
            new SHA1Digest(),
            macKey,
            KeySchedule.PAD1,
            Le.u32(data.length),
            data,
            Le.u32((int) count));
    return first8(KeySchedule.hash(new MD5Digest(), macKey, KeySchedule.PAD2, sha));
  }

  /** 5.3.6.2: First64Bits(HMAC-SHA1(hmacKey, data + count u32 LE)), over unpadded plaintext. */
  static byte[] fips(byte[] hmacKey, byte[] data, int count) {
    HMac h = new HMac(new SHA1Digest());
    h.init(new KeyParameter(hmacKey));
    h.update(data, 0, data.length);
    h.update(Le.u32(count), 0, 4);
    byte[] out = new byte[h.getMacSize()];
    h.doFinal(out, 0);
    return first8(out);
  }

  private static byte[] first8(byte[] b) {
    return Arrays.copyOf(b, LENGTH);
  }
}

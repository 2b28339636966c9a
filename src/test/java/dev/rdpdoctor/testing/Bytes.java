package dev.rdpdoctor.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Byte arrays in tests: find a field or plaintext inside a PDU; mutate captured bytes. */
public final class Bytes {
  private Bytes() {}

  /** Where {@code needle} first starts in {@code hay}, or -1. */
  public static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** One seeded mutation: a byte replaced, a truncation, or 1-8 bytes of trailing junk. */
  public static byte[] mutate(byte[] seed, RandomGenerator rnd) {
    byte[] b = seed.clone();
    return switch (rnd.nextInt(3)) {
      case 0 -> {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        yield b;
      }
      case 1 -> Arrays.copyOf(b, rnd.nextInt(b.length + 1));
      default -> Arrays.copyOf(b, b.length + 1 + rnd.nextInt(8));
    };
  }

  /** SHA-256 over the parts, computed in the test so it holds the spec's recipe itself. */
  public static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return d.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

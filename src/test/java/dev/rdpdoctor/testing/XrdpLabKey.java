package dev.rdpdoctor.testing;

import dev.rdpdoctor.wire.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The RSA key pair of the lab xrdp the Standard RDP Security captures were taken from ({@code
 * src/test/resources/security/xrdp-lab-rsakeys.txt}), with the server's half of 5.3.4.1 done with
 * java.math alone, so a test can open a Security Exchange as xrdp did.
 */
public record XrdpLabKey(BigInteger modulus, long exponent, BigInteger privateExponent) {
  public static final String FILE = "/security/xrdp-lab-rsakeys.txt";

  public static XrdpLabKey load() {
    Map<String, String> v = new HashMap<>();
    try (InputStream in = XrdpLabKey.class.getResourceAsStream(FILE)) {
      if (in == null) {
        throw new IllegalStateException(FILE + " is missing");
      }
      for (String line :
          new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList()) {
        int eq = line.indexOf('=');
        if (!line.startsWith("#") && eq > 0) {
          v.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new XrdpLabKey(
        littleEndian(v.get("pub_mod")),
        littleEndian(v.get("pub_exp")).longValueExact(),
        littleEndian(v.get("pri_exp")));
  }

  /**
   * The server's decryption of an encryptedClientRandom: drop the 8 zero bytes, read the rest
   * little-endian, raise to the private exponent, write back little-endian in modulus length.
   */
  public byte[] open(byte[] encrypted) {
    int len = (modulus.bitLength() + 7) / 8;
    byte[] be = reverse(Arrays.copyOf(encrypted, len));
    byte[] m = new BigInteger(1, be).modPow(privateExponent, modulus).toByteArray();
    byte[] out = new byte[len];
    for (int i = 0; i < len && i < m.length; i++) {
      out[i] = m[m.length - 1 - i];
    }
    return out;
  }

  private static BigInteger littleEndian(String hex) {
    return new BigInteger(1, reverse(Hex.parse(hex)));
  }

  private static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }
}

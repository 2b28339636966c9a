package dev.rdpdoctor.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.wire.security.RdpSecurity;
import dev.rdpdoctor.wire.security.SecurityFlags;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's side of a non-FIPS Standard RDP Security session ([MS-RDPBCGR] 5.3), a second
 * implementation for tests, written from the spec's formulas with the JDK's own primitives only
 * (the code under test uses BouncyCastle): keys (5.3.5.1), MAC (5.3.6.1) and salted MAC
 * (5.3.6.1.1), RC4 with the key update every 4096 PDUs (5.3.7).
 */
public final class StandardSecurityPeer {
  final int method;
  final byte[] macKey;
  final Direction fromClient;
  final Direction toClient;
  final byte[] clientRandom;
  final byte[] serverRandom;

  public StandardSecurityPeer(int method, byte[] clientRandom, byte[] serverRandom)
      throws Exception {
    this.method = method;
    this.clientRandom = clientRandom;
    this.serverRandom = serverRandom;
    byte[] pre = cat(Arrays.copyOf(clientRandom, 24), Arrays.copyOf(serverRandom, 24));
    byte[] master = cat(salted(pre, "A"), salted(pre, "BB"), salted(pre, "CCC"));
    byte[] blob = cat(salted(master, "X"), salted(master, "YY"), salted(master, "ZZZ"));
    byte[] mac128 = Arrays.copyOfRange(blob, 0, 16);
    // the server's view: its decrypt key is FinalHash of the third 16 bytes (the client's
    // encrypt key), its encrypt key FinalHash of the second
    byte[] serverDecrypt = md5(Arrays.copyOfRange(blob, 32, 48), clientRandom, serverRandom);
    byte[] serverEncrypt = md5(Arrays.copyOfRange(blob, 16, 32), clientRandom, serverRandom);
    macKey = cut(mac128);
    fromClient = new Direction(cut(serverDecrypt));
    toClient = new Direction(cut(serverEncrypt));
  }

  public byte[] readFromClient(byte[] wire) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
    int flags = b.getShort() & 0xFFFF;
    assertThat(flags & SecurityFlags.SEC_ENCRYPT).isNotZero();
    b.getShort();
    byte[] sig = new byte[8];
    b.get(sig);
    byte[] c = new byte[b.remaining()];
    b.get(c);
    long count = fromClient.total;
    byte[] plain = fromClient.process(c);
    boolean salted = (flags & SecurityFlags.SEC_SECURE_CHECKSUM) != 0;
    assertThat(sig).isEqualTo(mac(plain, salted ? count : -1));
    return plain;
  }

  public byte[] writeToClient(byte[] plain, boolean salted) throws Exception {
    return writeToClient(plain, salted, 0);
  }

  /** As above, with more security header flags (SEC_REDIRECTION_PKT ...). */
  public byte[] writeToClient(byte[] plain, boolean salted, int flags) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    le16(out, flags | SecurityFlags.SEC_ENCRYPT | (salted ? SecurityFlags.SEC_SECURE_CHECKSUM : 0));
    le16(out, 0);
    out.writeBytes(mac(plain, salted ? toClient.total : -1));
    out.writeBytes(toClient.process(plain));
    return out.toByteArray();
  }

  /** 5.3.6.1; with a count >= 0 the salted form of 5.3.6.1.1. */
  byte[] mac(byte[] data, long count) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-1");
    sha.update(macKey);
    sha.update(fill(40, 0x36));
    sha.update(le32(data.length));
    sha.update(data);
    if (count >= 0) {
      sha.update(le32((int) count));
    }
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    md5.update(macKey);
    md5.update(fill(48, 0x5C));
    md5.update(sha.digest());
    return Arrays.copyOf(md5.digest(), 8);
  }

  public static byte[] fipsMac(byte[] key, byte[] data, int count) throws Exception {
    Mac h = Mac.getInstance("HmacSHA1");
    h.init(new SecretKeySpec(key, "HmacSHA1"));
    h.update(data);
    h.update(le32(count));
    return Arrays.copyOf(h.doFinal(), 8);
  }

  private byte[] salted(byte[] s, String i) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-1");
    sha.update(i.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    sha.update(s);
    sha.update(clientRandom);
    sha.update(serverRandom);
    return md5(s, sha.digest());
  }

  private byte[] cut(byte[] k128) {
    if (method == RdpSecurity.METHOD_128BIT) {
      return k128;
    }
    byte[] k = Arrays.copyOf(k128, 8);
    return salt(k);
  }

  private byte[] salt(byte[] k) {
    if (method == RdpSecurity.METHOD_40BIT) {
      k[0] = (byte) 0xD1;
      k[1] = 0x26;
      k[2] = (byte) 0x9E;
    } else if (method == RdpSecurity.METHOD_56BIT) {
      k[0] = (byte) 0xD1;
    }
    return k;
  }

  /** RC4 on one direction, re-keyed per 5.3.7 after 4096 PDUs. */
  final class Direction {
    final byte[] initial;
    byte[] current;
    Cipher rc4;
    int uses;
    long total;

    Direction(byte[] key) throws Exception {
      initial = key.clone();
      current = key.clone();
      rc4 = rc4(current);
    }

    byte[] process(byte[] data) throws Exception {
      if (uses == 4096) {
        MessageDigest sha = MessageDigest.getInstance("SHA-1");
        sha.update(initial);
        sha.update(fill(40, 0x36));
        sha.update(current);
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(initial);
        md5.update(fill(48, 0x5C));
        md5.update(sha.digest());
        byte[] temp = Arrays.copyOf(md5.digest(), initial.length);
        current = salt(rc4(temp).update(temp));
        rc4 = rc4(current);
        uses = 0;
      }
      uses++;
      total++;
      return rc4.update(data);
    }
  }

  private static Cipher rc4(byte[] key) throws Exception {
    Cipher c = Cipher.getInstance("ARCFOUR");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
    return c;
  }

  private static byte[] md5(byte[]... parts) throws Exception {
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (byte[] p : parts) {
      md5.update(p);
    }
    return md5.digest();
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] fill(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  private static byte[] le32(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }

  private static void le16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write(v >>> 8 & 0xFF);
  }
}

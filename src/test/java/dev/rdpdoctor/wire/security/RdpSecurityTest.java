package dev.rdpdoctor.wire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.testing.StandardSecurityPeer;
import dev.rdpdoctor.wire.MalformedPduException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Standard RDP Security against a second implementation: {@link StandardSecurityPeer} computes
 * [MS-RDPBCGR] 5.3.5.1, 5.3.6.1, 5.3.6.1.1 and 5.3.7 from the spec's formulas with the JDK's own
 * MD5, SHA-1, ARCFOUR, DESede and HmacSHA1 (the code under test uses BouncyCastle), and plays the
 * server: it reads what the client wrapped and wraps what the client must unwrap. {@link
 * XrdpCaptureTest} holds the same code to a real server's bytes; this test covers what one capture
 * cannot: 56-bit, the salted MAC, thousands of PDUs across key updates, and every malformed header.
 */
class RdpSecurityTest {
  static final byte[] CLIENT_RANDOM = seq(32, 0x11);
  static final byte[] SERVER_RANDOM = seq(32, 0xA0);

  @ParameterizedTest(name = "method 0x{0}")
  @ValueSource(
      ints = {RdpSecurity.METHOD_40BIT, RdpSecurity.METHOD_56BIT, RdpSecurity.METHOD_128BIT})
  void rc4SessionMatchesTheSpecFormulasBothWaysAcrossKeyUpdates(int method) throws Exception {
    RdpSecurity client =
        RdpSecurity.establish(method, RdpSecurity.LEVEL_HIGH, CLIENT_RANDOM, SERVER_RANDOM);
    StandardSecurityPeer server = new StandardSecurityPeer(method, CLIENT_RANDOM, SERVER_RANDOM);
    Random rnd = new Random(method);
    // 4096 PDUs use one key; the 4097th and later use the updated one (5.3.7)
    for (int i = 0; i < 4100; i++) {
      byte[] plain = new byte[1 + rnd.nextInt(40)];
      rnd.nextBytes(plain);
      int flags = i % 3 == 0 ? SecurityFlags.SEC_SECURE_CHECKSUM : 0;
      byte[] wire = client.wrap(flags, plain);
      assertThat(server.readFromClient(wire)).as("client PDU %d", i).isEqualTo(plain);
      byte[] back = server.writeToClient(plain, i % 2 == 0);
      RdpSecurity.Unwrapped u = client.unwrap(back);
      assertThat(u.decrypted()).isTrue();
      assertThat(u.data()).as("server PDU %d", i).isEqualTo(plain);
    }
  }

  @Test
  void fortyAndFiftySixBitKeysCarryTheSalt() {
    KeySchedule.NonFips k40 =
        KeySchedule.nonFips(RdpSecurity.METHOD_40BIT, CLIENT_RANDOM, SERVER_RANDOM);
    KeySchedule.NonFips k56 =
        KeySchedule.nonFips(RdpSecurity.METHOD_56BIT, CLIENT_RANDOM, SERVER_RANDOM);
    KeySchedule.NonFips k128 =
        KeySchedule.nonFips(RdpSecurity.METHOD_128BIT, CLIENT_RANDOM, SERVER_RANDOM);
    assertThat(k40.encryptKey()).hasSize(8).startsWith(0xD1, 0x26, 0x9E);
    assertThat(k56.encryptKey()).hasSize(8).startsWith(0xD1);
    assertThat(Arrays.copyOfRange(k56.encryptKey(), 1, 8))
        .isEqualTo(Arrays.copyOfRange(k128.encryptKey(), 1, 8));
    assertThat(k128.encryptKey()).hasSize(16).isNotEqualTo(k128.decryptKey());
  }

  @Test
  void fipsSessionChainsCbcAcrossPdusAndCountsForTheHmac() throws Exception {
    RdpSecurity client =
        RdpSecurity.establish(
            RdpSecurity.METHOD_FIPS, RdpSecurity.LEVEL_FIPS, CLIENT_RANDOM, SERVER_RANDOM);
    KeySchedule.Fips keys = KeySchedule.fips(CLIENT_RANDOM, SERVER_RANDOM);
    Cipher serverIn = des(Cipher.DECRYPT_MODE, keys.encryptKey());
    Cipher serverOut = des(Cipher.ENCRYPT_MODE, keys.decryptKey());
    Random rnd = new Random(16);
    for (int i = 0; i < 50; i++) {
      byte[] plain = new byte[1 + rnd.nextInt(30)];
      rnd.nextBytes(plain);
      byte[] wire = client.wrap(SecurityFlags.SEC_INFO_PKT, plain);
      ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
      assertThat(b.getShort() & 0xFFFF)
          .isEqualTo(SecurityFlags.SEC_INFO_PKT | SecurityFlags.SEC_ENCRYPT);
      assertThat(b.getShort()).isZero();
      assertThat(b.getShort()).isEqualTo((short) 0x10);
      assertThat(b.get()).isEqualTo((byte) 1);
      int pad = b.get();
      byte[] mac = new byte[8];
      b.get(mac);
      byte[] cipher = new byte[b.remaining()];
      b.get(cipher);
      assertThat(cipher.length % 8).isZero();
      assertThat(pad).isEqualTo(cipher.length - plain.length);
      byte[] opened = serverIn.update(cipher);
      assertThat(Arrays.copyOf(opened, plain.length)).as("PDU %d", i).isEqualTo(plain);
      assertThat(mac).isEqualTo(StandardSecurityPeer.fipsMac(keys.hmacKey(), plain, i));

      assertThat(client.unwrap(fipsPdu(keys.hmacKey(), serverOut, plain, i)).data())
          .isEqualTo(plain);
    }
  }

  @Test
  void fipsHeaderTwinsAreMalformed() throws Exception {
    byte[] good = serverFipsPdu(new byte[] {1, 2, 3});
    assertThat(fipsClient().unwrap(good).data()).containsExactly(1, 2, 3);
    byte[] length = good.clone();
    length[4] = 0x0F;
    byte[] pad = good.clone();
    pad[7] = 8;
    byte[] partialBlock = Arrays.copyOf(good, good.length - 1);
    byte[] header = Arrays.copyOf(good, 10);
    byte[] mac = good.clone();
    mac[9] ^= 0x40;
    for (byte[] twin : new byte[][] {length, pad, partialBlock, header, mac}) {
      assertThatThrownBy(() -> fipsClient().unwrap(twin)).isInstanceOf(MalformedPduException.class);
    }
    assertThatThrownBy(() -> fipsClient().unwrap(mac)).hasMessageContaining("HMAC-SHA1 mismatch");
  }

  @Test
  void rc4HeaderTwinsAreMalformed() {
    RdpSecurity client =
        RdpSecurity.establish(
            RdpSecurity.METHOD_128BIT,
            RdpSecurity.LEVEL_CLIENT_COMPATIBLE,
            CLIENT_RANDOM,
            SERVER_RANDOM);
    byte[] encryptedButShort = {0x08, 0x00, 0x00, 0x00, 1, 2, 3};
    assertThatThrownBy(() -> client.unwrap(encryptedButShort))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("dataSignature");
    assertThatThrownBy(() -> client.unwrap(new byte[] {0x08}))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void lowLevelEncryptsOnlyClientToServer() throws Exception {
    RdpSecurity low =
        RdpSecurity.establish(
            RdpSecurity.METHOD_40BIT, RdpSecurity.LEVEL_LOW, CLIENT_RANDOM, SERVER_RANDOM);
    assertThat(low.encryptsClientToServer()).isTrue();
    assertThat(low.encryptsServerToClient()).isFalse();
    assertThat(low.keyBits()).isEqualTo(40);
    // the server's PDUs carry a basic header without SEC_ENCRYPT: passed on, not decrypted
    RdpSecurity.Unwrapped u = low.unwrap(new byte[] {0, 0, 0, 0, 9, 8});
    assertThat(u.decrypted()).isFalse();
    assertThat(u.data()).containsExactly(9, 8);
  }

  @Test
  void levelNoneWrapsWithABasicHeaderOnlyWhenThereAreFlags() throws Exception {
    RdpSecurity none = RdpSecurity.establish(0, 0, null, null);
    assertThat(none.encryptsClientToServer()).isFalse();
    assertThat(none.keyBits()).isZero();
    assertThat(none.wrap(0, new byte[] {5})).containsExactly(5);
    assertThat(none.wrap(SecurityFlags.SEC_INFO_PKT, new byte[] {5}))
        .containsExactly(0x40, 0, 0, 0, 5);
    assertThat(none.unwrap(new byte[] {7, 7}).data()).containsExactly(7, 7);
  }

  @ParameterizedTest(name = "method 0x{0} level {1}")
  @CsvSource({"1, 0", "0, 3", "3, 2", "4, 2", "2, 4", "16, 5", "2, -1", "32, 2"})
  void pairsTheSpecForbidsAreRefusedByName(int method, int level) {
    assertThat(RdpSecurity.check(method, level)).isNotNull();
    assertThatThrownBy(() -> RdpSecurity.establish(method, level, CLIENT_RANDOM, SERVER_RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "method 0x{0} level {1}")
  @CsvSource({"0, 0", "1, 1", "8, 2", "2, 3", "16, 3", "16, 4"})
  void pairsTheSpecAllowsPass(int method, int level) {
    assertThat(RdpSecurity.check(method, level)).isNull();
  }

  @Test
  void randomsMustBe32BytesAndNeverShowInMessages() {
    assertThatThrownBy(
            () -> RdpSecurity.establish(2, 3, Arrays.copyOf(CLIENT_RANDOM, 31), SERVER_RANDOM))
        .hasMessage("client random must be 32 bytes, got 31");
    assertThatThrownBy(() -> RdpSecurity.establish(2, 3, CLIENT_RANDOM, null))
        .hasMessage("server random must be 32 bytes, got none");
    RdpSecurity s = RdpSecurity.establish(2, 3, CLIENT_RANDOM, SERVER_RANDOM);
    assertThat(s.toString()).isEqualTo("RdpSecurity[method=0x2, level=3, keyBits=128]");
    assertThat(new RdpSecurity.Unwrapped(0x48, new byte[] {1, 2}, true).toString())
        .isEqualTo("Unwrapped[flags=SEC_ENCRYPT|SEC_INFO_PKT, 2 bytes, decrypted]");
  }

  @Test
  void securityFlagsKeepUnknownBits() {
    assertThat(SecurityFlags.describe(0x0201)).isEqualTo("SEC_EXCHANGE_PKT|SEC_LICENSE_ENCRYPT");
    assertThat(SecurityFlags.describe(0)).isEqualTo("0");
    assertThat(SecurityFlags.describe(0x10000 | 0x0040)).isEqualTo("SEC_INFO_PKT");
  }

  private static RdpSecurity fipsClient() {
    return RdpSecurity.establish(
        RdpSecurity.METHOD_FIPS, RdpSecurity.LEVEL_FIPS, CLIENT_RANDOM, SERVER_RANDOM);
  }

  /** The server's first FIPS PDU, made with the JDK's DESede and HmacSHA1. */
  private static byte[] serverFipsPdu(byte[] plain) throws Exception {
    KeySchedule.Fips keys = KeySchedule.fips(CLIENT_RANDOM, SERVER_RANDOM);
    return fipsPdu(keys.hmacKey(), des(Cipher.ENCRYPT_MODE, keys.decryptKey()), plain, 0);
  }

  /** A server FIPS PDU (2.2.8.1.1.2.3): header, HMAC of the plaintext, padded ciphertext. */
  private static byte[] fipsPdu(byte[] hmacKey, Cipher serverOut, byte[] plain, int count)
      throws Exception {
    byte[] padded = Arrays.copyOf(plain, (plain.length + 7) / 8 * 8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    le16(out, SecurityFlags.SEC_ENCRYPT);
    le16(out, 0);
    le16(out, 0x10);
    out.write(1);
    out.write(padded.length - plain.length);
    out.writeBytes(StandardSecurityPeer.fipsMac(hmacKey, plain, count));
    out.writeBytes(serverOut.update(padded));
    return out.toByteArray();
  }

  private static Cipher des(int mode, byte[] key24) throws Exception {
    Cipher c = Cipher.getInstance("DESede/CBC/NoPadding");
    c.init(
        mode,
        new SecretKeySpec(key24, "DESede"),
        new IvParameterSpec(
            new byte[] {
              0x12, 0x34, 0x56, 0x78, (byte) 0x90, (byte) 0xAB, (byte) 0xCD, (byte) 0xEF
            }));
    return c;
  }

  static byte[] seq(int n, int start) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (start + i * 7);
    }
    return b;
  }

  static void le16(ByteArrayOutputStream out, int v) {
    out.write(v & 0xFF);
    out.write(v >>> 8 & 0xFF);
  }
}

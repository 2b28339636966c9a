package dev.rdpdoctor.wire.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.wire.MalformedPduException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TS_SECURITY_PACKET ([MS-RDPBCGR] 2.2.1.10.1) and RDP's raw little-endian RSA (5.3.4.1). */
class SecurityExchangePduTest {
  static RSAPublicKey pub;
  static RSAPrivateKey priv;

  @BeforeAll
  static void key() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    var kp = g.generateKeyPair();
    pub = (RSAPublicKey) kp.getPublic();
    priv = (RSAPrivateKey) kp.getPrivate();
  }

  @Test
  void encodesHeaderLengthAndTheRandomAJdkKeyCanOpen() throws Exception {
    byte[] random = RdpSecurityTest.seq(32, 3);
    byte[] pdu =
        SecurityExchangePdu.of(random, pub.getModulus(), pub.getPublicExponent().longValueExact())
            .encode();
    ByteBuffer b = ByteBuffer.wrap(pdu).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getShort()).isEqualTo((short) 0x0201);
    assertThat(b.getShort()).isZero();
    assertThat(b.getInt()).isEqualTo(128 + 8).isEqualTo(b.remaining());
    byte[] enc = new byte[128];
    b.get(enc);
    assertThat(b.remaining()).isEqualTo(8);
    assertThat(b.getLong()).as("the 8 zero bytes after the modulus-length result").isZero();
    // opened with java.math alone, the bytes reversed by hand: little-endian both ways
    byte[] be = new byte[128];
    for (int i = 0; i < 128; i++) {
      be[i] = enc[127 - i];
    }
    BigInteger m = new BigInteger(1, be).modPow(priv.getPrivateExponent(), priv.getModulus());
    byte[] expectedBe = new byte[32];
    for (int i = 0; i < 32; i++) {
      expectedBe[i] = random[31 - i];
    }
    assertThat(m).isEqualTo(new BigInteger(1, expectedBe));
  }

  @Test
  void decodeReadsWhatEncodeWrote() throws Exception {
    SecurityExchangePdu p = SecurityExchangePdu.of(new byte[32], pub.getModulus(), 65537);
    SecurityExchangePdu back = SecurityExchangePdu.decode(p.encode());
    assertThat(back).isEqualTo(p);
    assertThat(back.toString())
        .isEqualTo(
            "SecurityExchangePdu[flags=SEC_EXCHANGE_PKT|SEC_LICENSE_ENCRYPT, encrypted="
                + "136 bytes]");
  }

  @Test
  void malformedTwinsNameTheirField() throws Exception {
    byte[] good = SecurityExchangePdu.of(new byte[32], pub.getModulus(), 65537).encode();
    byte[] noFlag = good.clone();
    noFlag[0] = 0x40;
    byte[] tooShort = good.clone();
    tooShort[4] = 8;
    tooShort[5] = 0;
    byte[] tooLong = good.clone();
    tooLong[6] = 0x7F;
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> SecurityExchangePdu.decode(noFlag))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("SEC_EXCHANGE_PKT");
    assertThatThrownBy(() -> SecurityExchangePdu.decode(tooShort))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("outside 72..");
    assertThatThrownBy(() -> SecurityExchangePdu.decode(tooLong))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("outside");
    assertThatThrownBy(() -> SecurityExchangePdu.decode(truncated))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("encryptedClientRandom");
    assertThatThrownBy(() -> SecurityExchangePdu.decode(trailing))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("1 bytes after");
    assertThatThrownBy(() -> SecurityExchangePdu.decode(new byte[3]))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void keysAndRandomsOutsideTheBoundsAreRefused() {
    assertThatThrownBy(() -> SecurityExchangePdu.of(new byte[31], pub.getModulus(), 65537))
        .isInstanceOf(IllegalArgumentException.class);
    BigInteger huge = BigInteger.ONE.shiftLeft(RdpRsa.MAX_MODULUS_BITS + 1).add(BigInteger.ONE);
    assertThatThrownBy(() -> RdpRsa.encrypt(new byte[32], huge, 65537))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16384");
    assertThatThrownBy(() -> RdpRsa.encrypt(new byte[32], pub.getModulus(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exponent");
    assertThatThrownBy(() -> RdpRsa.encrypt(new byte[32], BigInteger.ZERO, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

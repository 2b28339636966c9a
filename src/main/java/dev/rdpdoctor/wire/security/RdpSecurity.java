package dev.rdpdoctor.wire.security;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.MalformedPduException;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One connection's Standard RDP Security state, client side ([MS-RDPBCGR] 5.3): the keys of 5.3.5.1
 * (RC4, 40/56/128-bit) or 5.3.5.2 (FIPS: 3DES-CBC + HMAC-SHA1), the security headers of
 * 2.2.8.1.1.2.x, the MACs of 5.3.6.1 / 5.3.6.1.1 / 5.3.6.2, the key update every 4096 PDUs of
 * 5.3.7, and the per-direction counters. Not thread-safe: one connection, one reader, one writer,
 * in order (RC4 and CBC state depend on it).
 *
 * <p>Which direction is encrypted (5.3.1, 5.3.2): level NONE (or method NONE) neither; LOW client
 * to server only; CLIENT_COMPATIBLE, HIGH and FIPS both.
 *
 * <pre>
 * Basic (2.2.8.1.1.2.1)     flags u16 | flagsHi u16
 * Non-FIPS (2.2.8.1.1.2.2)  flags u16 | flagsHi u16 | dataSignature 8
 * FIPS (2.2.8.1.1.2.3)      flags u16 | flagsHi u16 | length u16 = 0x10 | version u8 = 1 |
 *                           padlen u8 | dataSignature 8
 * </pre>
 *
 * <p>Keys, randoms and plaintext never appear in toString, exceptions or logs.
 */
public final class RdpSecurity {
  public static final int METHOD_NONE = 0x00;
  public static final int METHOD_40BIT = 0x01;
  public static final int METHOD_128BIT = 0x02;
  public static final int METHOD_56BIT = 0x08;
  public static final int METHOD_FIPS = 0x10;

  public static final int LEVEL_NONE = 0;
  public static final int LEVEL_LOW = 1;
  public static final int LEVEL_CLIENT_COMPATIBLE = 2;
  public static final int LEVEL_HIGH = 3;
  public static final int LEVEL_FIPS = 4;

  /** Client and server randoms are 32 bytes (2.2.1.4.3, 5.3.4). */
  public static final int RANDOM_LENGTH = 32;

  public static final int BASIC_HEADER = 4;
  public static final int NON_FIPS_HEADER = 12;
  public static final int FIPS_HEADER = 16;

  /** 2.2.8.1.1.2.3: the FIPS header's own length field. */
  public static final int FIPS_HEADER_LENGTH_FIELD = 0x10;

  public static final int TSFIPS_VERSION1 = 1;

  /** A slow-path PDU rides in one TPKT (u16 length): no userData can be longer. */
  public static final int MAX_USER_DATA = 0xFFFF;

  private final int method;
  private final int level;
  private final boolean clientToServer;
  private final boolean serverToClient;
  private final byte[] macKey;
  private final Rc4 rc4Out;
  private final Rc4 rc4In;
  private final Fips3Des fipsOut;
  private final Fips3Des fipsIn;

  /** The server's userData after its security header. */
  public record Unwrapped(int flags, byte[] data, boolean decrypted) {
    @Override
    public String toString() {
      // the plaintext may be a logon PDU: a trace gets its size, never its bytes
      return "Unwrapped[flags="
          + SecurityFlags.describe(flags)
          + ", "
          + data.length
          + " bytes"
          + (decrypted ? ", decrypted" : "")
          + "]";
    }
  }

  private RdpSecurity(int method, int level, byte[] clientRandom, byte[] serverRandom) {
    this.method = method;
    this.level = level;
    boolean on = level != LEVEL_NONE && method != METHOD_NONE;
    this.clientToServer = on;
    this.serverToClient = on && level != LEVEL_LOW;
    if (!on) {
      macKey = null;
      rc4Out = rc4In = null;
      fipsOut = fipsIn = null;
    } else if (method == METHOD_FIPS) {
      KeySchedule.Fips k = KeySchedule.fips(clientRandom, serverRandom);
      macKey = k.hmacKey();
      fipsOut = new Fips3Des(true, k.encryptKey());
      fipsIn = new Fips3Des(false, k.decryptKey());
      rc4Out = rc4In = null;
    } else {
      KeySchedule.NonFips k = KeySchedule.nonFips(method, clientRandom, serverRandom);
      macKey = k.macKey();
      rc4Out = new Rc4(method, k.encryptKey());
      rc4In = new Rc4(method, k.decryptKey());
      fipsOut = fipsIn = null;
    }
  }

  /**
   * Derives the session from the server's choice (SC_SECURITY, 2.2.1.4.3) and both randoms. With
   * level NONE and method NONE the randoms are not used and may be null.
   *
   * @throws IllegalArgumentException for a method/level pair 5.3.2 does not allow (level NONE with
   *     a method, level FIPS without FIPS, a method with several or unknown bits, an unknown level)
   *     or a random that is not 32 bytes. The values come from the server, so the caller reports
   *     this as the server's fault; the message names the value, never a random's bytes.
   */
  public static RdpSecurity establish(
      int encryptionMethod, int encryptionLevel, byte[] clientRandom, byte[] serverRandom) {
    String bad = check(encryptionMethod, encryptionLevel);
    if (bad != null) {
      throw new IllegalArgumentException(bad);
    }
    if (encryptionLevel != LEVEL_NONE) {
      requireRandom("client random", clientRandom);
      requireRandom("server random", serverRandom);
    }
    return new RdpSecurity(encryptionMethod, encryptionLevel, clientRandom, serverRandom);
  }

  /** encryptionMethod names as nmap prints them ([MS-RDPBCGR] 2.2.1.4.3). */
  public static String methodName(int m) {
    return switch (m) {
      case METHOD_NONE -> "none";
      case METHOD_40BIT -> "40-bit RC4";
      case METHOD_56BIT -> "56-bit RC4";
      case METHOD_128BIT -> "128-bit RC4";
      case METHOD_FIPS -> "FIPS 140-1";
      default -> String.format("method(0x%x)", m);
    };
  }

  /** encryptionLevel names as nmap prints them ([MS-RDPBCGR] 2.2.1.4.3). */
  public static String levelName(int level) {
    return switch (level) {
      case 0 -> "None";
      case 1 -> "Low";
      case 2 -> "Client Compatible";
      case 3 -> "High";
      case 4 -> "FIPS Compliant";
      default -> "level(" + level + ")";
    };
  }

  /** Null when 5.3.2 allows the pair, else why not (for the caller's evidence). */
  public static String check(int method, int level) {
    boolean knownMethod =
        method == METHOD_NONE
            || method == METHOD_40BIT
            || method == METHOD_56BIT
            || method == METHOD_128BIT
            || method == METHOD_FIPS;
    if (!knownMethod) {
      return String.format("encryptionMethod 0x%08x is not one method", method);
    }
    if (level < LEVEL_NONE || level > LEVEL_FIPS) {
      return String.format("encryptionLevel 0x%08x is unknown", level);
    }
    if ((level == LEVEL_NONE) != (method == METHOD_NONE)) {
      return String.format(
          "encryptionLevel %d with encryptionMethod 0x%x: level NONE goes"
              + " with method NONE only",
          level, method);
    }
    if (level == LEVEL_FIPS && method != METHOD_FIPS) {
      return String.format("encryptionLevel FIPS with encryptionMethod 0x%x", method);
    }
    return null;
  }

  private static void requireRandom(String what, byte[] r) {
    if (r == null || r.length != RANDOM_LENGTH) {
      throw new IllegalArgumentException(
          what + " must be " + RANDOM_LENGTH + " bytes, got " + (r == null ? "none" : r.length));
    }
  }

  public boolean encryptsClientToServer() {
    return clientToServer;
  }

  public boolean encryptsServerToClient() {
    return serverToClient;
  }

  /** 40, 56, 128, 168 (FIPS 3DES) or 0 when nothing is encrypted. */
  public int keyBits() {
    if (!clientToServer) {
      return 0;
    }
    return switch (method) {
      case METHOD_40BIT -> 40;
      case METHOD_56BIT -> 56;
      case METHOD_128BIT -> 128;
      default -> 168;
    };
  }

  public int encryptionMethod() {
    return method;
  }

  public int encryptionLevel() {
    return level;
  }

  /**
   * Client-to-server userData for one slow-path PDU. When this connection encrypts client to
   * server: the non-FIPS or FIPS header with {@code flags | SEC_ENCRYPT}, the MAC of the plaintext
   * (salted when the caller sets SEC_SECURE_CHECKSUM, which needs the server to have offered it),
   * then the ciphertext (FIPS: zero-padded to whole blocks). Otherwise: a basic header with {@code
   * flags} when flags != 0, else the data as it is.
   */
  public byte[] wrap(int flags, byte[] data) {
    if (data.length > MAX_USER_DATA - FIPS_HEADER) {
      throw new IllegalArgumentException("PDU of " + data.length + " bytes does not fit a TPKT");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + FIPS_HEADER + 8);
    if (!clientToServer) {
      if (flags == 0) {
        return data.clone();
      }
      Le.u16(out, flags);
      Le.u16(out, 0);
      out.writeBytes(data);
      return out.toByteArray();
    }
    int f = (flags | SecurityFlags.SEC_ENCRYPT) & 0xFFFF;
    Le.u16(out, f);
    Le.u16(out, 0);
    if (method == METHOD_FIPS) {
      int pad = (Fips3Des.BLOCK - data.length % Fips3Des.BLOCK) % Fips3Des.BLOCK;
      byte[] mac = RdpMac.fips(macKey, data, fipsOut.count());
      byte[] cipher = fipsOut.process(Arrays.copyOf(data, data.length + pad));
      Le.u16(out, FIPS_HEADER_LENGTH_FIELD);
      out.write(TSFIPS_VERSION1);
      out.write(pad);
      out.writeBytes(mac);
      out.writeBytes(cipher);
    } else {
      byte[] mac =
          (f & SecurityFlags.SEC_SECURE_CHECKSUM) != 0
              ? RdpMac.salted(macKey, data, rc4Out.total())
              : RdpMac.plain(macKey, data);
      out.writeBytes(mac);
      out.writeBytes(rc4Out.process(data));
    }
    return out.toByteArray();
  }

  /**
   * Server-to-client userData. With level or method NONE no PDU but a licensing one carries a
   * security header, and the bytes cannot say which it is: this returns the data untouched with
   * flags 0, and the caller, who knows it expects a licensing PDU (it always starts with a basic
   * header, SEC_LICENSE_PKT), reads that header itself.
   *
   * <p>Otherwise every PDU starts with a basic header. Without SEC_ENCRYPT (LOW level, or a
   * licensing PDU the server chose not to encrypt) this returns its flags and the bytes after it,
   * decrypted = false; the caller decides whether plaintext was acceptable there. With SEC_ENCRYPT
   * it reads the non-FIPS or FIPS header, decrypts, and checks the MAC (salted when
   * SEC_SECURE_CHECKSUM is set).
   *
   * @throws MalformedPduException for a truncated header, a FIPS header whose length field, pad
   *     length or ciphertext length is impossible, or a dataSignature that does not match (the
   *     message says "MAC mismatch"). The connection's cipher state is spent by then: a caller
   *     stops the session on any exception.
   */
  public Unwrapped unwrap(byte[] userData) throws MalformedPduException {
    if (!clientToServer) {
      return new Unwrapped(0, userData.clone(), false);
    }
    ByteReader r = new ByteReader(userData);
    int flags = r.u16le("security header flags");
    r.u16le("security header flagsHi");
    if ((flags & SecurityFlags.SEC_ENCRYPT) == 0) {
      return new Unwrapped(flags, r.bytes(r.remaining(), "data"), false);
    }
    if (method == METHOD_FIPS) {
      int length = r.u16le("FIPS header length");
      if (length != FIPS_HEADER_LENGTH_FIELD) {
        throw new MalformedPduException("FIPS header length " + length + ", must be 16", 4);
      }
      r.u8("FIPS header version");
      int pad = r.u8("FIPS padlen");
      byte[] signature = r.bytes(RdpMac.LENGTH, "FIPS dataSignature");
      int n = r.remaining();
      if (n % Fips3Des.BLOCK != 0) {
        throw new MalformedPduException(
            "FIPS ciphertext of " + n + " bytes is not whole 8-byte blocks", r.position());
      }
      if (pad >= Fips3Des.BLOCK || pad > n) {
        throw new MalformedPduException(
            "FIPS padlen " + pad + " impossible for " + n + " bytes of ciphertext", 7);
      }
      int at = r.position();
      byte[] padded = fipsIn.process(r.bytes(n, "FIPS ciphertext"));
      byte[] plain = Arrays.copyOf(padded, n - pad);
      byte[] expected = RdpMac.fips(macKey, plain, fipsIn.count() - 1);
      verify(signature, expected, "FIPS HMAC-SHA1", at);
      return new Unwrapped(flags, plain, true);
    }
    byte[] signature = r.bytes(RdpMac.LENGTH, "dataSignature");
    int at = r.position();
    long before = rc4In.total();
    byte[] plain = rc4In.process(r.bytes(r.remaining(), "encrypted data"));
    byte[] expected =
        (flags & SecurityFlags.SEC_SECURE_CHECKSUM) != 0
            ? RdpMac.salted(macKey, plain, before)
            : RdpMac.plain(macKey, plain);
    verify(
        signature,
        expected,
        (flags & SecurityFlags.SEC_SECURE_CHECKSUM) != 0 ? "salted MAC" : "MAC",
        at);
    return new Unwrapped(flags, plain, true);
  }

  private static void verify(byte[] got, byte[] expected, String what, int offset)
      throws MalformedPduException {
    // constant time, though an RDP MAC protects little: it is still the habit to keep
    if (!MessageDigest.isEqual(got, expected)) {
      throw new MalformedPduException(
          what
              + " mismatch: dataSignature does not match the"
              + " decrypted data (wrong keys, a corrupted PDU or a tampering peer)",
          offset);
    }
  }

  @Override
  public String toString() {
    return "RdpSecurity[method=0x"
        + Integer.toHexString(method)
        + ", level="
        + level
        + ", keyBits="
        + keyBits()
        + "]";
  }
}

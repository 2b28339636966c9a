package dev.rdpdoctor.probe.connect;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * The pubKeyAuth binding of [MS-CSSP] 3.1.5: the proof, inside the NTLM-sealed TSRequest, that the
 * TLS server's public key is the one the credentials are for (what defeats a relay). From version 5
 * on (the CVE-2018-0886 fix) it is SHA-256 over a magic string, a client nonce and the key; before
 * that the key itself, the server's answer with its first byte incremented.
 */
public final class PubKeyAuth {
  /** From this version on, pubKeyAuth is a hash bound to a client nonce. */
  static final int FIRST_HASHED_VERSION = 5;

  static final int NONCE_LENGTH = 32;

  private static final byte[] CLIENT_MAGIC =
      "CredSSP Client-To-Server Binding Hash\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_MAGIC =
      "CredSSP Server-To-Client Binding Hash\0".getBytes(StandardCharsets.US_ASCII);

  private PubKeyAuth() {}

  static boolean hashed(int serverVersion) {
    return serverVersion >= FIRST_HASHED_VERSION;
  }

  /** What the client proves: SHA-256(client magic, nonce, key). */
  public static byte[] client(byte[] nonce, byte[] pubKey) {
    return sha256(CLIENT_MAGIC, nonce, pubKey);
  }

  /** What the server must prove back: SHA-256(server magic, nonce, key). */
  public static byte[] server(byte[] nonce, byte[] pubKey) {
    return sha256(SERVER_MAGIC, nonce, pubKey);
  }

  /** Versions 2-4: the server returns the public key with its first byte incremented. */
  public static byte[] plusOne(byte[] pubKey) {
    byte[] b = pubKey.clone();
    b[0]++;
    return b;
  }

  private static byte[] sha256(byte[] magic, byte[] nonce, byte[] pubKey) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(magic);
      d.update(nonce);
      d.update(pubKey);
      return d.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

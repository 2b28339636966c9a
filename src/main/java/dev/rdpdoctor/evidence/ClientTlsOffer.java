package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * The TLS versions, cipher suites (IANA names) and key exchange groups a client offers by default,
 * with where the list comes from. Data, so a newer client is one more entry.
 */
public record ClientTlsOffer(
    String client, List<String> versions, List<String> suites, List<String> groups, String source) {

  public ClientTlsOffer {
    versions = List.copyOf(versions);
    suites = List.copyOf(suites);
    groups = List.copyOf(groups);
  }

  private static final List<String> TLS13 =
      List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256");

  /** OpenSSL's DEFAULT list as `openssl ciphers -stdname -s DEFAULT` prints it (1.1.1, 3.0). */
  private static final List<String> OPENSSL_DEFAULT =
      List.of(
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
          "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
          "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
          "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
          "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
          "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
          "TLS_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_RSA_WITH_AES_256_CBC_SHA256",
          "TLS_RSA_WITH_AES_128_CBC_SHA256",
          "TLS_RSA_WITH_AES_256_CBC_SHA",
          "TLS_RSA_WITH_AES_128_CBC_SHA");

  /**
   * Schannel on Windows 11 (mstsc uses the system list): TLS 1.2 and 1.3 on by default, TLS 1.0/1.1
   * off since 2023 previews; NULL suites are left out because mstsc never asks for them.
   */
  public static final ClientTlsOffer WINDOWS =
      new ClientTlsOffer(
          "Windows 11 mstsc (Schannel)",
          List.of("TLSv1.2", "TLSv1.3"),
          List.of(
              "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
              "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
              "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
              "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
              "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
              "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
              "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
              "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
              "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256",
              "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256",
              "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"),
          List.of("x25519", "secp256r1", "secp384r1"),
          "learn.microsoft.com 'TLS Cipher Suites in Windows 11' (default priority order) and"
              + " 'TLS Elliptic Curves in Windows' (curve25519, NistP256, NistP384)");

  /**
   * FreeRDP 2 leaves the cipher list to OpenSSL 1.1.1 (DEFAULT) and sets security level 1, which
   * still allows TLS 1.0 and 1.1.
   */
  public static final ClientTlsOffer FREERDP2 =
      new ClientTlsOffer(
          "FreeRDP 2 (OpenSSL 1.1.1, SECLEVEL 1)",
          List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
          concat(TLS13, OPENSSL_DEFAULT),
          List.of("x25519", "secp256r1", "x448", "secp521r1", "secp384r1"),
          "OpenSSL 1.1.1 DEFAULT cipher list and default groups; FreeRDP 2 libfreerdp/crypto/tls.c"
              + " (no cipher list of its own, TlsSecLevel 1)");

  /**
   * FreeRDP 3 on OpenSSL 3 at security level 2: the same DEFAULT list, TLS 1.2 or newer (OpenSSL 3
   * allows TLS 1.0/1.1 only at level 0), and the finite-field groups for TLS 1.3.
   */
  public static final ClientTlsOffer FREERDP3 =
      new ClientTlsOffer(
          "FreeRDP 3 (OpenSSL 3, SECLEVEL 2)",
          List.of("TLSv1.2", "TLSv1.3"),
          concat(TLS13, OPENSSL_DEFAULT),
          List.of(
              "x25519",
              "secp256r1",
              "x448",
              "secp521r1",
              "secp384r1",
              "ffdhe2048",
              "ffdhe3072",
              "ffdhe4096"),
          "OpenSSL 3.0 DEFAULT cipher list (`openssl ciphers -stdname -s 'DEFAULT:@SECLEVEL=2'`),"
              + " its default groups, and its rule that TLS 1.0/1.1 need SECLEVEL 0");

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  /** TLS 1.3 suites go with TLS 1.3 only; the others with TLS 1.0-1.2. */
  public static boolean isTls13Suite(String suite) {
    return TLS13.contains(suite) || (!suite.contains("_WITH_") && suite.startsWith("TLS_AES"));
  }

  public boolean offers(String version, String suite) {
    return versions.contains(version)
        && suites.contains(suite)
        && ("TLSv1.3".equals(version) == isTls13Suite(suite));
  }
}

package dev.rdpdoctor.probe;

import java.util.Map;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;

/**
 * IANA names for the TLS values evidence carries (IANA "TLS Parameters" registry), so output reads
 * like openssl and Schannel logs rather than like library constants.
 */
final class TlsNames {
  private TlsNames() {}

  /** The suites an RDP server is likely to pick; anything else prints as hex. */
  private static final Map<Integer, String> SUITES =
      Map.ofEntries(
          Map.entry(CipherSuite.TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256"),
          Map.entry(CipherSuite.TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384"),
          Map.entry(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256"),
          suite(
              CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
              "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
          suite(
              CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
              "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
          suite(
              CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
              "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
          suite(
              CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
              "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
          suite(
              CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
              "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
          suite(
              CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
              "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
          suite(
              CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
              "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
          suite(
              CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
              "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
          suite(
              CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
              "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
          suite(
              CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
              "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
          suite(
              CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
              "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
          suite(
              CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
          suite(
              CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
          suite(
              CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
              "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
          suite(
              CipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,
              "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
          suite(
              CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
              "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
          suite(
              CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
              "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
          suite(
              CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
              "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"),
          suite(
              CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
              "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"),
          suite(CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"),
          suite(CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
          suite(CipherSuite.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
          suite(CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
          suite(CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
          suite(CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256, "TLS_RSA_WITH_AES_256_CBC_SHA256"),
          suite(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, "TLS_RSA_WITH_AES_128_CBC_SHA256"),
          suite(CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA, "TLS_RSA_WITH_AES_256_CBC_SHA"),
          suite(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, "TLS_RSA_WITH_AES_128_CBC_SHA"),
          suite(CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
          suite(CipherSuite.TLS_RSA_WITH_RC4_128_SHA, "TLS_RSA_WITH_RC4_128_SHA"),
          suite(CipherSuite.TLS_RSA_WITH_RC4_128_MD5, "TLS_RSA_WITH_RC4_128_MD5"));

  private static Map.Entry<Integer, String> suite(int code, String name) {
    return Map.entry(code, name);
  }

  static String cipherSuite(int code) {
    String name = SUITES.get(code);
    return name != null ? name : String.format("0x%04x", code);
  }

  /** "TLSv1.2", the spelling JSSE, openssl and most scanners use. */
  static String version(ProtocolVersion v) {
    if (v == null) {
      return null;
    }
    if (v.isSSL()) {
      return "SSLv3";
    }
    if (v.isTLS()) {
      return "TLSv1." + (v.getMinorVersion() - 1);
    }
    return v.getName();
  }

  /** "handshake_failure(40)". */
  static String alert(short description) {
    return AlertDescription.getName(description) + "(" + description + ")";
  }
}

package dev.rdpdoctor.codes;

import java.util.Collection;

/**
 * TLS alert descriptions (IANA TLS Alert registry; RFC 5246, RFC 8446). They reach us in a TLS
 * probe's alert record and as the "code" in Schannel events 36887 (received) and 36888 (sent).
 * Values marked reserved are retired but still sent by old stacks.
 */
public final class TlsAlert extends OpenCode {
  private static final Catalogue<TlsAlert> KNOWN = new Catalogue<>("TLS alert");
  private static final String[] HANDSHAKE = {CauseId.TLS_HANDSHAKE_FAILED.id()};
  private static final String[] CERT_TRUST = {
    CauseId.CERT_SELF_SIGNED.id(), CauseId.TLS_INTERCEPTION.id(), CauseId.CERT_NAME_MISMATCH.id()
  };

  public static final TlsAlert CLOSE_NOTIFY =
      def(0, "close_notify", "the peer closed the TLS connection normally; not an error");
  public static final TlsAlert UNEXPECTED_MESSAGE =
      def(10, "unexpected_message", "a TLS message arrived that did not belong there", HANDSHAKE);
  public static final TlsAlert BAD_RECORD_MAC =
      def(
          20,
          "bad_record_mac",
          "a TLS record failed its integrity check (damaged in transit?)",
          CauseId.TLS_INTERCEPTION.id(),
          CauseId.PACKET_LOSS.id());
  public static final TlsAlert DECRYPTION_FAILED =
      def(
          21,
          "decryption_failed",
          "a TLS record could not be decrypted (reserved, old stacks)",
          HANDSHAKE);
  public static final TlsAlert RECORD_OVERFLOW =
      def(22, "record_overflow", "a TLS record was larger than allowed", HANDSHAKE);
  public static final TlsAlert DECOMPRESSION_FAILURE =
      def(
          30,
          "decompression_failure",
          "TLS decompression failed (reserved, old stacks)",
          HANDSHAKE);
  public static final TlsAlert HANDSHAKE_FAILURE =
      def(
          40,
          "handshake_failure",
          "no acceptable set of TLS settings: usually no cipher suite or signature in common",
          CauseId.TLS_NO_SHARED_CIPHER.id(),
          CauseId.TLS_LEGACY_ONLY.id(),
          CauseId.TLS_HANDSHAKE_FAILED.id());
  public static final TlsAlert NO_CERTIFICATE =
      def(41, "no_certificate", "no certificate was available (reserved, SSL 3.0 only)", HANDSHAKE);
  public static final TlsAlert BAD_CERTIFICATE =
      def(
          42,
          "bad_certificate",
          "a certificate was corrupt or failed its signature check",
          CERT_TRUST);
  public static final TlsAlert UNSUPPORTED_CERTIFICATE =
      def(
          43,
          "unsupported_certificate",
          "a certificate of an unsupported type was sent",
          CauseId.CERT_WEAK.id(),
          CauseId.TLS_HANDSHAKE_FAILED.id());
  public static final TlsAlert CERTIFICATE_REVOKED =
      def(
          44,
          "certificate_revoked",
          "a certificate was revoked by its issuer",
          CauseId.TLS_HANDSHAKE_FAILED.id());
  public static final TlsAlert CERTIFICATE_EXPIRED =
      def(
          45,
          "certificate_expired",
          "a certificate has expired or is not yet valid",
          CauseId.CERT_EXPIRED.id(),
          CauseId.CERT_NOT_YET_VALID.id());
  public static final TlsAlert CERTIFICATE_UNKNOWN =
      def(
          46,
          "certificate_unknown",
          "a certificate was not accepted for some other reason",
          CERT_TRUST);
  public static final TlsAlert ILLEGAL_PARAMETER =
      def(47, "illegal_parameter", "a TLS handshake field had an invalid value", HANDSHAKE);
  public static final TlsAlert UNKNOWN_CA =
      def(48, "unknown_ca", "the certificate's issuer is not trusted", CERT_TRUST);
  public static final TlsAlert ACCESS_DENIED =
      def(
          49,
          "access_denied",
          "the certificate was valid but access was refused",
          CauseId.TLS_HANDSHAKE_FAILED.id());
  public static final TlsAlert DECODE_ERROR =
      def(50, "decode_error", "a TLS message could not be parsed", HANDSHAKE);
  public static final TlsAlert DECRYPT_ERROR =
      def(
          51,
          "decrypt_error",
          "a TLS signature or key exchange check failed",
          CauseId.TLS_INTERCEPTION.id(),
          CauseId.TLS_HANDSHAKE_FAILED.id());
  public static final TlsAlert TOO_MANY_CIDS_REQUESTED =
      def(52, "too_many_cids_requested", "too many DTLS connection ids were requested", HANDSHAKE);
  public static final TlsAlert EXPORT_RESTRICTION =
      def(60, "export_restriction", "an export-grade setting was refused (reserved)", HANDSHAKE);
  public static final TlsAlert PROTOCOL_VERSION =
      def(
          70,
          "protocol_version",
          "the two sides support no TLS version in common",
          CauseId.TLS_LEGACY_ONLY.id(),
          CauseId.TLS_HANDSHAKE_FAILED.id());
  public static final TlsAlert INSUFFICIENT_SECURITY =
      def(
          71,
          "insufficient_security",
          "the offered cipher suites are too weak for the peer",
          CauseId.TLS_NO_SHARED_CIPHER.id(),
          CauseId.TLS_LEGACY_ONLY.id());
  public static final TlsAlert INTERNAL_ERROR =
      def(
          80,
          "internal_error",
          "the peer's TLS stack failed internally (on Windows often the certificate's key)",
          CauseId.TLS_CERTIFICATE_MISSING.id(),
          CauseId.TLS_HANDSHAKE_FAILED.id());
  public static final TlsAlert INAPPROPRIATE_FALLBACK =
      def(
          86,
          "inappropriate_fallback",
          "a TLS version downgrade retry was refused",
          CauseId.TLS_LEGACY_ONLY.id(),
          CauseId.TLS_INTERCEPTION.id());
  public static final TlsAlert USER_CANCELED =
      def(90, "user_canceled", "the handshake was cancelled; not a protocol error");
  public static final TlsAlert NO_RENEGOTIATION =
      def(100, "no_renegotiation", "a renegotiation request was refused (reserved)", HANDSHAKE);
  public static final TlsAlert MISSING_EXTENSION =
      def(109, "missing_extension", "a required TLS extension was missing", HANDSHAKE);
  public static final TlsAlert UNSUPPORTED_EXTENSION =
      def(110, "unsupported_extension", "a TLS extension was sent that was not allowed", HANDSHAKE);
  public static final TlsAlert CERTIFICATE_UNOBTAINABLE =
      def(
          111,
          "certificate_unobtainable",
          "a certificate could not be fetched (reserved)",
          HANDSHAKE);
  public static final TlsAlert UNRECOGNIZED_NAME =
      def(
          112,
          "unrecognized_name",
          "the server does not know the name the client asked for",
          CauseId.CERT_NAME_MISMATCH.id(),
          CauseId.DNS_WRONG_ADDRESS.id());
  public static final TlsAlert BAD_CERTIFICATE_STATUS_RESPONSE =
      def(
          113,
          "bad_certificate_status_response",
          "the certificate status (OCSP) was bad",
          HANDSHAKE);
  public static final TlsAlert BAD_CERTIFICATE_HASH_VALUE =
      def(
          114,
          "bad_certificate_hash_value",
          "a certificate hash did not match (reserved)",
          HANDSHAKE);
  public static final TlsAlert UNKNOWN_PSK_IDENTITY =
      def(115, "unknown_psk_identity", "the pre-shared key identity is unknown", HANDSHAKE);
  public static final TlsAlert CERTIFICATE_REQUIRED =
      def(116, "certificate_required", "the peer requires a client certificate", HANDSHAKE);
  public static final TlsAlert NO_APPLICATION_PROTOCOL =
      def(120, "no_application_protocol", "no application protocol (ALPN) in common", HANDSHAKE);

  private TlsAlert(Entry e) {
    super(e);
  }

  private static TlsAlert def(int code, String name, String description, String... causes) {
    return KNOWN.add(new TlsAlert(Entry.named(code, name, name, description, causes)));
  }

  /** Never throws: an unregistered value decodes to {@code UNKNOWN(0x…)}. */
  public static TlsAlert valueOf(int code) {
    return KNOWN.get(
        code, c -> new TlsAlert(Entry.unnamed(c, "a TLS alert rdpdoctor has no name for")));
  }

  public static Collection<TlsAlert> known() {
    return KNOWN.all();
  }
}

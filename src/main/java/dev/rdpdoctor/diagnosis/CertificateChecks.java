package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.Facts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks of a leaf certificate that an RDP server and an RD Gateway share: validity dates, the
 * name, key and signature strength, self-signed. What differs is how the client reacts, which the
 * {@link Policy} says: mstsc offers "connect anyway" for an RDP server's certificate but none for a
 * gateway's, so the gateway's name mismatch fails and its self-signed certificate is a warning.
 */
final class CertificateChecks {
  /** A certificate this close to expiry gets a warning; renewals need lead time. */
  static final Duration EXPIRING_SOON = Duration.ofDays(30);

  /** Below these, keys are breakable or refused by current TLS stacks at default settings. */
  static final int MIN_RSA_BITS = 2048;

  static final int MIN_EC_BITS = 256;

  private CertificateChecks() {}

  /** Where a certificate stands in time. */
  enum Validity {
    EXPIRED,
    NOT_YET_VALID,
    EXPIRING_SOON,
    VALID
  }

  /**
   * How the client treats this certificate.
   *
   * @param owner the sentence subject: "The server's", "The RD Gateway gw.example's"
   * @param host the name the client connects to, which the certificate must cover
   * @param literal the client connects by IP address
   * @param probe the evidence reference's probe name
   * @param factPrefix put before the certificate's facts in the evidence reference
   * @param strict the client refuses outright (no "connect anyway"): a gateway
   */
  record Policy(
      String owner, String host, boolean literal, String probe, String factPrefix, boolean strict) {
    static Policy rdpServer(String host, boolean literal) {
      return new Policy("The server's", host, literal, "certificate", "", false);
    }

    static Policy gateway(String display, String host) {
      return new Policy(
          "The RD Gateway " + display + "'s", host, false, "gateway", "certificate: ", true);
    }
  }

  static Validity validity(CertificateInfo leaf, Instant now) {
    if (leaf.notAfter() != null && now.isAfter(leaf.notAfter())) {
      return Validity.EXPIRED;
    }
    if (leaf.notBefore() != null && now.isBefore(leaf.notBefore())) {
      return Validity.NOT_YET_VALID;
    }
    if (leaf.notAfter() != null
        && Duration.between(now, leaf.notAfter()).compareTo(EXPIRING_SOON) < 0) {
      return Validity.EXPIRING_SOON;
    }
    return Validity.VALID;
  }

  static List<Finding> check(CertificateInfo leaf, Policy p, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    Instant now = f.now();
    List<EvidenceRef> refs =
        List.of(FindingFactory.ref(p.probe(), p.factPrefix() + Facts.certificate(leaf)));
    String refuses =
        p.strict()
            ? " The client refuses the gateway."
            : " Clients warn, and strict ones (or a gateway) refuse to connect.";
    switch (validity(leaf, now)) {
      case EXPIRED ->
          out.add(
              f.finding(
                  CauseId.CERT_EXPIRED,
                  Severity.FAIL,
                  Confidence.HIGH,
                  p.owner()
                      + " certificate expired on "
                      + day(leaf.notAfter())
                      + " ("
                      + Duration.between(leaf.notAfter(), now).toDays()
                      + " days ago)."
                      + refuses,
                  refs));
      case NOT_YET_VALID ->
          out.add(
              f.finding(
                  CauseId.CERT_NOT_YET_VALID,
                  Severity.FAIL,
                  Confidence.HIGH,
                  p.owner()
                      + " certificate only becomes valid on "
                      + day(leaf.notBefore())
                      + ": the server's or this machine's clock is wrong, or"
                      + " the certificate was issued with a future date."
                      + refuses,
                  refs));
      case EXPIRING_SOON ->
          out.add(
              f.finding(
                  CauseId.CERT_EXPIRING_SOON,
                  Severity.WARN,
                  Confidence.HIGH,
                  p.owner()
                      + " certificate expires on "
                      + day(leaf.notAfter())
                      + ", in "
                      + Duration.between(now, leaf.notAfter()).toDays()
                      + " days.",
                  refs));
      case VALID -> {}
    }
    if (Boolean.FALSE.equals(leaf.nameMatches())) {
      out.add(nameMismatch(leaf, p, f, refs));
    }
    List<String> weak = weakness(leaf);
    if (!weak.isEmpty()) {
      out.add(
          f.finding(
              CauseId.CERT_WEAK,
              Severity.WARN,
              Confidence.HIGH,
              p.owner()
                  + " certificate is cryptographically weak ("
                  + String.join(", ", weak)
                  + "): current clients at default security settings may refuse it.",
              refs));
    }
    if (leaf.selfSigned()) {
      out.add(
          p.strict()
              ? f.finding(
                  CauseId.CERT_SELF_SIGNED,
                  Severity.WARN,
                  Confidence.MEDIUM,
                  p.owner()
                      + " certificate is self-signed: every client must have it in its trusted root"
                      + " store, or the gateway connection fails.",
                  refs)
              : f.finding(
                  CauseId.CERT_SELF_SIGNED,
                  Severity.INFO,
                  Confidence.HIGH,
                  "The"
                      + " certificate is self-signed, as Windows makes by default for Remote Desktop:"
                      + " normal, but each client must trust it once (or deploy a CA-issued one).",
                  refs));
    }
    return out;
  }

  private static Finding nameMismatch(
      CertificateInfo leaf, Policy p, FindingFactory f, List<EvidenceRef> refs) {
    String names = names(leaf);
    if (p.strict()) {
      return f.finding(
          CauseId.CERT_NAME_MISMATCH,
          Severity.FAIL,
          Confidence.HIGH,
          p.owner()
              + " certificate is for "
              + names
              + ", not for "
              + p.host()
              + ": the client refuses"
              + " the gateway.",
          refs);
    }
    return f.finding(
        CauseId.CERT_NAME_MISMATCH,
        Severity.WARN,
        Confidence.HIGH,
        p.literal()
            ? "You connect by IP address ("
                + p.host()
                + "), but the certificate names only "
                + names
                + ": clients warn that the identity cannot be verified. Connect by that"
                + " name instead."
            : "The certificate is for "
                + names
                + ", not for "
                + p.host()
                + ": clients warn that"
                + " the identity cannot be verified (or refuse, when policy says so).",
        refs);
  }

  /** The names a certificate covers: its SANs, else its CN. */
  static String names(CertificateInfo c) {
    return c.subjectAltNames().isEmpty()
        ? "CN=" + c.commonName()
        : String.join(", ", c.subjectAltNames());
  }

  private static List<String> weakness(CertificateInfo leaf) {
    List<String> weak = new ArrayList<>();
    String alg = leaf.keyAlgorithm() == null ? "" : leaf.keyAlgorithm().toUpperCase(Locale.ROOT);
    if (alg.equals("RSA") && leaf.keyBits() > 0 && leaf.keyBits() < MIN_RSA_BITS) {
      weak.add(leaf.keyBits() + "-bit RSA key");
    }
    if ((alg.equals("EC") || alg.equals("ECDSA"))
        && leaf.keyBits() > 0
        && leaf.keyBits() < MIN_EC_BITS) {
      weak.add(leaf.keyBits() + "-bit EC key");
    }
    String sig =
        leaf.signatureAlgorithm() == null ? "" : leaf.signatureAlgorithm().toUpperCase(Locale.ROOT);
    if (sig.contains("SHA1") || sig.contains("MD5") || sig.contains("MD2")) {
      weak.add(leaf.signatureAlgorithm() + " signature");
    }
    return weak;
  }

  static String day(Instant i) {
    return LocalDate.ofInstant(i, ZoneOffset.UTC).toString();
  }
}

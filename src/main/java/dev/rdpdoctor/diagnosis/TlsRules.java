package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.FindingFactory.ref;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Facts;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsVersionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The TLS handshake after the negotiation: whether it completes, whether the server speaks only
 * legacy versions, and whether it presents a certificate. The certificate's own checks are {@link
 * CertificateRules}.
 */
final class TlsRules implements RuleSet {
  /** Versions current clients refuse by default. */
  static final Set<String> LEGACY_TLS = Set.of("TLSv1", "TLSv1.0", "TLSv1.1");

  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(
      Evidence e, FindingFactory f, List<Finding> out, List<String> checked) {
    TlsEvidence t = e.tls();
    if (t == null || t.status() == TlsEvidence.Status.NOT_NEGOTIATED) {
      return t != null || e.negotiation() == null;
    }
    List<EvidenceRef> refs = new ArrayList<>();
    refs.add(ref("tls", Facts.tls(t)));
    if (!t.ok()) {
      String why =
          switch (t.status()) {
            case ALERT ->
                "The server aborts the TLS handshake with the alert "
                    + t.alert()
                    + ": it shares no TLS version or cipher suite with the client, or its TLS"
                    + " configuration is broken.";
            case CLOSED ->
                "The server closes the connection in the middle of the TLS handshake"
                    + " (mstsc reports 0x904): its TLS settings reject this client, or its certificate"
                    + " or private key is unusable.";
            case TIMEOUT ->
                "The TLS handshake starts but the server's reply never completes ("
                    + t.bytesReceived()
                    + " bytes arrived). Small packets pass and large ones do not:"
                    + " typical of an MTU problem on a VPN or tunnel, or a badly overloaded server.";
            default -> "The TLS handshake with the server fails: " + t.error() + ".";
          };
      out.add(
          f.finding(
              CauseId.TLS_HANDSHAKE_FAILED,
              Severity.FAIL,
              t.status() == TlsEvidence.Status.TIMEOUT || t.status() == TlsEvidence.Status.ERROR
                  ? Confidence.MEDIUM
                  : Confidence.HIGH,
              why,
              refs));
      return false;
    }
    checked.add(
        "TLS handshake ("
            + t.version()
            + ", "
            + t.cipherSuite()
            + ")"
            + (t.versions().isEmpty() ? "" : " and each TLS version 1.0 to 1.3 alone"));
    legacyTls(f, e, t, out);
    if (t.chain().isEmpty()) {
      out.add(
          f.finding(
              CauseId.TLS_CERTIFICATE_MISSING,
              Severity.FAIL,
              Confidence.MEDIUM,
              "The TLS handshake completed without a server certificate.",
              refs));
      return false;
    }
    return true;
  }

  /**
   * Whether a completed handshake shows a server that speaks nothing newer than TLS 1.1: by the
   * versions tried alone when there are any, else by the version the handshake got.
   */
  static boolean legacyOnly(TlsEvidence t) {
    if (t == null || !t.ok()) {
      return false;
    }
    List<String> accepted = accepted(t);
    return accepted.isEmpty()
        ? LEGACY_TLS.contains(t.version())
        : accepted.stream().allMatch(LEGACY_TLS::contains);
  }

  private static List<String> accepted(TlsEvidence t) {
    return t.versions().stream()
        .filter(TlsVersionResult::accepted)
        .map(TlsVersionResult::version)
        .toList();
  }

  private static void legacyTls(FindingFactory f, Evidence e, TlsEvidence t, List<Finding> out) {
    if (!legacyOnly(t)) {
      return;
    }
    List<String> accepted = accepted(t);
    List<EvidenceRef> refs = new ArrayList<>();
    t.versions().forEach(v -> refs.add(ref("tls", Facts.tlsVersion(v))));
    if (refs.isEmpty()) {
      refs.add(ref("tls", Facts.tls(t)));
    }
    out.add(
        f.finding(
            CauseId.TLS_LEGACY_ONLY,
            Severity.FAIL,
            accepted.isEmpty() ? Confidence.MEDIUM : Confidence.HIGH,
            "The server only speaks "
                + String.join(" and ", accepted.isEmpty() ? List.of(t.version()) : accepted)
                + ", which current clients ("
                + e.target().profile().name()
                + " offers "
                + e.target().profile().oldestTls()
                + " or newer) refuse by default. Enable TLS 1.2 on the server.",
            refs));
  }
}

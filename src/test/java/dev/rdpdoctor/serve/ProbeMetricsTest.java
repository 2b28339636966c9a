package dev.rdpdoctor.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.diagnosis.Confidence;
import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.diagnosis.Finding;
import dev.rdpdoctor.diagnosis.Severity;
import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exporter's metrics from canned evidence: names, labels and values. */
class ProbeMetricsTest {
  static final int SSL = SecurityProtocol.PROTOCOL_SSL;
  static final int HYBRID = SecurityProtocol.PROTOCOL_HYBRID;

  static NegotiationAttempt response(String label, int requested, int selected) {
    return new NegotiationAttempt(
        label,
        requested,
        SecurityProtocol.names(requested),
        Outcome.RESPONSE,
        selected,
        SecurityProtocol.names(selected),
        0,
        List.of(),
        null,
        null,
        null,
        null,
        5,
        null);
  }

  static NegotiationAttempt hybridRequired(String label, int requested) {
    return new NegotiationAttempt(
        label,
        requested,
        SecurityProtocol.names(requested),
        Outcome.FAILURE,
        null,
        null,
        null,
        List.of(),
        5,
        "HYBRID_REQUIRED_BY_SERVER",
        null,
        null,
        5,
        null);
  }

  static CertificateInfo cert(String cn, Instant notAfter) {
    return new CertificateInfo(
        "CN=" + cn,
        cn,
        List.of(),
        "CN=Lab CA",
        "01",
        Instant.parse("2020-01-01T00:00:00Z"),
        notAfter,
        "RSA",
        2048,
        "SHA256withRSA",
        true,
        false,
        "ab",
        true);
  }

  static RunResult result(
      List<NegotiationAttempt> attempts,
      TlsEvidence tls,
      Verdict v,
      List<Finding> findings,
      NlaEvidence nla) {
    Target t = new Target("srv.lab.test", 3389, false, ClientProfile.WINDOWS);
    Evidence e =
        new Evidence(
            t,
            Instant.EPOCH,
            new DnsEvidence(
                "srv.lab.test", DnsEvidence.Status.RESOLVED, List.of("198.19.1.2"), 12, null),
            List.of(new TcpEvidence("198.19.1.2", 3389, TcpEvidence.Outcome.OPEN, 1, null)),
            null,
            "198.19.1.2",
            new NegotiationEvidence("198.19.1.2", attempts),
            tls,
            List.of(),
            List.of(),
            40);
    if (nla != null) {
      e = e.with(nla);
    }
    return new RunResult(e, new Diagnosis(v, findings, List.of(), List.of()));
  }

  static Finding finding(String cause, Severity s) {
    return new Finding(cause, s, Confidence.HIGH, cause, cause, null, List.of(), List.of());
  }

  @Test
  void blackboxNamesAndRdpdoctorsOwn() {
    Instant leafEnd = Instant.parse("2021-01-01T00:00:00Z");
    TlsEvidence tls =
        new TlsEvidence(
            "198.19.1.2",
            SSL | HYBRID,
            TlsEvidence.Status.OK,
            "TLSv1.3",
            "TLS_AES_256_GCM_SHA384",
            null,
            null,
            List.of(
                cert("srv.lab.test", leafEnd),
                cert("Lab CA", Instant.parse("2030-01-01T00:00:00Z"))),
            List.of(),
            900,
            20);
    NlaEvidence nla =
        new NlaEvidence(
            "198.19.1.2",
            "HYBRID",
            NlaEvidence.Status.OK,
            "TLSv1.3",
            6,
            null,
            null,
            null,
            null,
            null,
            30);
    RunResult r =
        result(
            List.of(response("client", SSL | HYBRID, HYBRID), hybridRequired("PROTOCOL_SSL", SSL)),
            tls,
            Verdict.FAIL,
            List.of(
                finding("cert-expired", Severity.FAIL), finding("cert-self-signed", Severity.INFO)),
            nla);
    Map<String, Double> phases = new LinkedHashMap<>();
    phases.put("tcp", 0.002);
    phases.put("tls", 0.25);
    String m = ProbeMetrics.render(r, phases, 1.5);

    assertThat(m)
        .contains("probe_success 0.0")
        .contains("probe_duration_seconds 1.5")
        .contains("probe_dns_lookup_time_seconds 0.012")
        .contains("probe_ssl_earliest_cert_expiry " + (double) leafEnd.getEpochSecond())
        // the chain's earliest, here the leaf
        .contains("probe_tls_version_info{version=\"TLS 1.3\"} 1.0")
        .contains("rdpdoctor_verdict{verdict=\"fail\"} 1.0")
        .contains("rdpdoctor_verdict{verdict=\"ok\"} 0.0")
        .contains("rdpdoctor_finding{cause=\"cert-expired\",severity=\"fail\"} 1.0")
        .contains("rdpdoctor_finding{cause=\"cert-self-signed\",severity=\"info\"} 1.0")
        .contains("rdpdoctor_phase_duration_seconds{phase=\"tls\"} 0.25")
        .contains("rdpdoctor_security_protocol_selected{protocol=\"HYBRID\"} 1.0")
        .contains("rdpdoctor_nla_required 1.0")
        .contains("rdpdoctor_credssp_version 6.0");
  }

  @Test
  void warnIsSuccessAndNlaNotRequiredIsZeroAndUnknownIsAbsent() {
    RunResult warn =
        result(
            List.of(response("client", SSL | HYBRID, SSL), response("PROTOCOL_SSL", SSL, SSL)),
            null,
            Verdict.WARN,
            List.of(finding("cert-expiring-soon", Severity.WARN)),
            null);
    String m = ProbeMetrics.render(warn, Map.of(), 0.1);
    assertThat(m)
        .contains("probe_success 1.0")
        .contains("rdpdoctor_nla_required 0.0")
        .contains("rdpdoctor_security_protocol_selected{protocol=\"SSL\"} 1.0")
        .doesNotContain("probe_ssl_earliest_cert_expiry")
        .doesNotContain("credssp_version");
    // a quick check of a client offering CredSSP cannot tell: no series rather than a guess
    RunResult quick =
        result(
            List.of(response("client", SSL | HYBRID, HYBRID)),
            null,
            Verdict.OK,
            List.of(finding("healthy", Severity.OK)),
            null);
    assertThat(ProbeMetrics.render(quick, Map.of(), 0.1))
        .contains("probe_success 1.0")
        .doesNotContain("rdpdoctor_nla_required");
  }
}

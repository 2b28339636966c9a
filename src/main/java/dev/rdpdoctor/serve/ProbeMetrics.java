package dev.rdpdoctor.serve;

import dev.rdpdoctor.codes.NegotiationFailureCode;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.diagnosis.Finding;
import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.GatewayEvidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One probe's answer in the Prometheus text format: blackbox_exporter's names where the meaning is
 * the same (so its dashboards and alert rules work), rdpdoctor's own after them. Only renders:
 * every value comes from the run's evidence, diagnosis or event stream.
 */
final class ProbeMetrics {
  private ProbeMetrics() {}

  static String render(RunResult result, Map<String, Double> phases, double seconds) {
    PrometheusRegistry reg = new PrometheusRegistry();
    Evidence e = result.evidence();
    Verdict verdict = result.diagnosis().verdict();
    gauge(reg, "probe_success", "1 when rdpdoctor's verdict is ok or warn")
        .set(verdict == Verdict.OK || verdict == Verdict.WARN ? 1 : 0);
    gauge(reg, "probe_duration_seconds", "How long the diagnosis took").set(seconds);

    GatewayEvidence gw = e.section(GatewayEvidence.class).orElse(null);
    DnsEvidence dns = gw != null ? gw.dns() : e.dns();
    if (dns != null) {
      gauge(reg, "probe_dns_lookup_time_seconds", "How long the name lookup took")
          .set(dns.millis() / 1000.0);
    }
    TlsEvidence tls = gw != null ? gw.tls() : e.tls();
    if (tls != null && !tls.chain().isEmpty()) {
      long earliest =
          tls.chain().stream()
              .map(CertificateInfo::notAfter)
              .filter(t -> t != null)
              .mapToLong(t -> t.getEpochSecond())
              .min()
              .orElse(0);
      if (earliest > 0) {
        gauge(
                reg,
                "probe_ssl_earliest_cert_expiry",
                "Earliest notAfter in the certificate chain, in unix seconds")
            .set(earliest);
      }
    }
    if (tls != null && tls.ok() && tls.version() != null) {
      gauge(reg, "probe_tls_version_info", "The TLS version the handshake used", "version")
          .labelValues(blackboxTlsVersion(tls.version()))
          .set(1);
    }

    Gauge v =
        gauge(reg, "rdpdoctor_verdict", "1 for rdpdoctor's verdict, 0 for the others", "verdict");
    for (Verdict x : Verdict.values()) {
      v.labelValues(x.name().toLowerCase(Locale.ROOT)).set(x == verdict ? 1 : 0);
    }
    Gauge f =
        gauge(reg, "rdpdoctor_finding", "1 per finding of the diagnosis", "cause", "severity");
    for (Finding x : result.diagnosis().findings()) {
      f.labelValues(x.cause(), x.severity().name().toLowerCase(Locale.ROOT)).set(1);
    }
    if (!phases.isEmpty()) {
      Gauge p =
          gauge(
              reg,
              "rdpdoctor_phase_duration_seconds",
              "Time from a probe phase's first start to its last end, from the event stream",
              "phase");
      phases.forEach((k, secs) -> p.labelValues(k).set(secs));
    }
    if (e.negotiation() != null) {
      e.negotiation()
          .client()
          .filter(
              a ->
                  a.outcome() == NegotiationAttempt.Outcome.RESPONSE
                      && a.selectedProtocol() != null)
          .ifPresent(
              a ->
                  gauge(
                          reg,
                          "rdpdoctor_security_protocol_selected",
                          "The security protocol the server selected for the client's own offer",
                          "protocol")
                      .labelValues(SecurityProtocol.names(a.selectedProtocol()))
                      .set(1));
      Integer nla = nlaRequired(e);
      if (nla != null) {
        gauge(
                reg,
                "rdpdoctor_nla_required",
                "1 when the server refuses clients that do not offer CredSSP (NLA)")
            .set(nla);
      }
    }
    e.section(NlaEvidence.class)
        .filter(n -> n.credsspVersion() != null)
        .ifPresent(
            n ->
                gauge(
                        reg,
                        "rdpdoctor_credssp_version",
                        "The TSRequest version the server answered with")
                    .set(n.credsspVersion()));
    return write(reg);
  }

  /**
   * 1 when an offer without CredSSP was refused with HYBRID_REQUIRED_BY_SERVER, 0 when one was
   * accepted, null when no such offer was made (a quick check of a client that offers CredSSP).
   */
  static Integer nlaRequired(Evidence e) {
    int credSsp = SecurityProtocol.PROTOCOL_HYBRID | SecurityProtocol.PROTOCOL_HYBRID_EX;
    Integer answer = null;
    for (NegotiationAttempt a : e.negotiation().attempts()) {
      if ((a.requestedProtocols() & credSsp) != 0) {
        continue;
      }
      if (a.outcome() == NegotiationAttempt.Outcome.FAILURE
          && a.failureCode() != null
          && a.failureCode() == NegotiationFailureCode.HYBRID_REQUIRED_BY_SERVER.code()) {
        return 1;
      }
      if (a.outcome() == NegotiationAttempt.Outcome.RESPONSE
          || a.outcome() == NegotiationAttempt.Outcome.NO_NEGOTIATION_DATA) {
        answer = 0;
      }
    }
    return answer;
  }

  /** "TLSv1.3" as blackbox_exporter labels it: "TLS 1.3". */
  static String blackboxTlsVersion(String v) {
    return v.startsWith("TLSv") ? "TLS " + v.substring(4) : v;
  }

  private static Gauge gauge(PrometheusRegistry reg, String name, String help, String... labels) {
    Gauge.Builder b = Gauge.builder().name(name).help(help);
    if (labels.length > 0) {
      b.labelNames(labels);
    }
    return b.register(reg);
  }

  static String write(PrometheusRegistry reg) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    try {
      PrometheusTextFormatWriter.create().write(out, reg.scrape());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a byte array never fails
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}

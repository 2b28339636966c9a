package dev.rdpdoctor.fleet;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.diagnosis.Diagnoser;
import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsVersionResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Evidence of a few kinds of host, diagnosed by the real rules. */
final class FleetFixtures {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private FleetFixtures() {}

  static Target target(String host) {
    return new Target(host, 3389, true, ClientProfile.WINDOWS);
  }

  private static NegotiationAttempt response(String label, int requested, int selected) {
    return new NegotiationAttempt(
        label,
        requested,
        SecurityProtocol.names(requested),
        NegotiationAttempt.Outcome.RESPONSE,
        selected,
        SecurityProtocol.names(selected),
        0,
        List.of(),
        null,
        null,
        null,
        "0300",
        2,
        null);
  }

  private static NegotiationAttempt refused(String label, int requested, int code) {
    return new NegotiationAttempt(
        label,
        requested,
        SecurityProtocol.names(requested),
        NegotiationAttempt.Outcome.FAILURE,
        null,
        null,
        0,
        List.of(),
        code,
        "x",
        null,
        null,
        2,
        "refused");
  }

  static CertificateInfo cert(String issuer, Instant notAfter, int bits) {
    return new CertificateInfo(
        "CN=*.fleet.lab.test,O=rdpdoctor lab",
        "*.fleet.lab.test",
        List.of("DNS:*.fleet.lab.test"),
        issuer,
        "01",
        NOW.minusSeconds(86_400 * 30L),
        notAfter,
        "RSA",
        bits,
        "SHA256withRSA",
        true,
        false,
        "AB",
        null);
  }

  /**
   * A server accepting Standard RDP Security and/or TLS, with the TLS versions given.
   *
   * @param rdp whether RDP alone is accepted
   * @param tls whether TLS is accepted
   */
  static RunResult server(
      String host, boolean rdp, boolean tls, List<String> versions, CertificateInfo leaf) {
    String addr = host;
    List<NegotiationAttempt> attempts = new ArrayList<>();
    attempts.add(response("client", 3, tls ? 1 : 0));
    attempts.add(rdp ? response("PROTOCOL_RDP", 0, 0) : refused("PROTOCOL_RDP", 0, 1));
    attempts.add(tls ? response("PROTOCOL_SSL", 1, 1) : response("PROTOCOL_SSL", 1, 0));
    attempts.add(response("PROTOCOL_HYBRID", 2, tls ? 1 : 0));
    TlsEvidence t = null;
    if (tls) {
      List<TlsVersionResult> vs = new ArrayList<>();
      for (String v : List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3")) {
        boolean on = versions.contains(v);
        vs.add(
            new TlsVersionResult(
                v,
                on,
                on ? "TLS_AES_256_GCM_SHA384" : null,
                on ? null : "protocol_version(70)",
                2));
      }
      String top = versions.get(versions.size() - 1);
      t =
          new TlsEvidence(
              addr,
              1,
              TlsEvidence.Status.OK,
              top,
              top.equals("TLSv1.3") ? "TLS_AES_256_GCM_SHA384" : "TLS_RSA_WITH_AES_128_CBC_SHA",
              null,
              null,
              List.of(leaf),
              vs,
              1500,
              9);
    } else {
      t =
          new TlsEvidence(
              addr,
              1,
              TlsEvidence.Status.NOT_NEGOTIATED,
              null,
              null,
              null,
              "RDP selected",
              List.of(),
              List.of(),
              0,
              0);
    }
    Evidence e =
        new Evidence(
            target(host),
            NOW,
            new DnsEvidence(host, DnsEvidence.Status.SKIPPED_LITERAL, List.of(addr), 0, null),
            List.of(new TcpEvidence(addr, 3389, TcpEvidence.Outcome.OPEN, 1, null)),
            null,
            addr,
            new NegotiationEvidence(addr, attempts),
            t,
            List.of(),
            List.of(),
            40);
    return new RunResult(e, Diagnoser.standard().diagnose(e));
  }

  static RunResult healthy(String host) {
    return server(
        host,
        true,
        true,
        List.of("TLSv1.2", "TLSv1.3"),
        cert("CN=rdpdoctor lab CA,O=rdpdoctor lab", NOW.plusSeconds(86_400 * 400L), 2048));
  }

  static RunResult closed(String host) {
    Evidence e =
        new Evidence(
            target(host),
            NOW,
            new DnsEvidence(host, DnsEvidence.Status.SKIPPED_LITERAL, List.of(host), 0, null),
            List.of(new TcpEvidence(host, 3389, TcpEvidence.Outcome.REFUSED, 1, "refused")),
            null,
            null,
            null,
            null,
            List.of(),
            List.of("RDP negotiation and TLS: no TCP"),
            3);
    return new RunResult(e, Diagnoser.standard().diagnose(e));
  }

  /** A summary with the facts given, for policy and consistency tests. */
  static HostSummary summary(
      String host,
      List<String> layers,
      List<String> tls,
      String issuer,
      Instant notAfter,
      Integer bits,
      Integer credssp) {
    return new HostSummary(
        host + ":3389",
        host,
        3389,
        host,
        true,
        Verdict.OK,
        List.of("healthy"),
        "fine",
        layers,
        layers.contains("nla") ? layers.size() == 1 ? "required" : "offered" : "not-offered",
        tls,
        tls.isEmpty() ? List.of() : List.of("TLS_AES_256_GCM_SHA384"),
        issuer,
        "CN=" + host,
        notAfter,
        bits,
        "RDP 10.0+",
        credssp,
        false,
        30,
        null);
  }
}

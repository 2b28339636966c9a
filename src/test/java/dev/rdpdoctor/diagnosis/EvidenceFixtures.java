package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.LivenessEvidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsVersionResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Canned evidence, shaped like what the probes record against the lab's servers. */
final class EvidenceFixtures {
  static final String HOST = "srv.lab.test";
  static final String ADDR = "198.19.1.2";
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private EvidenceFixtures() {}

  static Target target(ClientProfile p) {
    return new Target(HOST, 3389, false, p);
  }

  static DnsEvidence resolved() {
    return new DnsEvidence(HOST, DnsEvidence.Status.RESOLVED, List.of(ADDR), 2, null);
  }

  static TcpEvidence tcp(TcpEvidence.Outcome o) {
    return new TcpEvidence(ADDR, 3389, o, 1, o == TcpEvidence.Outcome.OPEN ? null : "detail");
  }

  static NegotiationAttempt response(String label, int requested, int selected) {
    return new NegotiationAttempt(
        label,
        requested,
        SecurityProtocol.names(requested),
        Outcome.RESPONSE,
        selected,
        SecurityProtocol.names(selected),
        1,
        List.of("EXTENDED_CLIENT_DATA_SUPPORTED"),
        null,
        null,
        null,
        "030000130ed0",
        3,
        null);
  }

  static NegotiationAttempt failure(String label, int requested, int code, String name) {
    return new NegotiationAttempt(
        label,
        requested,
        SecurityProtocol.names(requested),
        Outcome.FAILURE,
        null,
        null,
        0,
        List.of(),
        code,
        name,
        null,
        null,
        3,
        "why");
  }

  static NegotiationAttempt other(String label, int requested, Outcome o, String peer) {
    return new NegotiationAttempt(
        label,
        requested,
        SecurityProtocol.names(requested),
        o,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        peer,
        null,
        3,
        "detail");
  }

  static CertificateInfo cert(
      Instant from, Instant to, Boolean nameMatches, int bits, String sig, boolean selfSigned) {
    return new CertificateInfo(
        "CN=" + HOST + ",O=RDP Lab",
        HOST,
        List.of("DNS:" + HOST),
        "CN=" + HOST + ",O=RDP Lab",
        "01",
        from,
        to,
        "RSA",
        bits,
        sig,
        true,
        selfSigned,
        "AB:CD",
        nameMatches);
  }

  static CertificateInfo goodCert() {
    return cert(
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2028-01-01T00:00:00Z"),
        true,
        2048,
        "SHA256withRSA",
        true);
  }

  static TlsEvidence tlsOk(CertificateInfo leaf, List<TlsVersionResult> versions, String version) {
    return new TlsEvidence(
        ADDR,
        0x0B,
        TlsEvidence.Status.OK,
        version,
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        null,
        null,
        List.of(leaf),
        versions,
        1500,
        9);
  }

  static List<TlsVersionResult> versions(boolean v10, boolean v11, boolean v12, boolean v13) {
    List<TlsVersionResult> out = new ArrayList<>();
    out.add(
        new TlsVersionResult(
            "TLSv1",
            v10,
            v10 ? "TLS_RSA_WITH_AES_128_CBC_SHA" : null,
            v10 ? null : "protocol_version(70)",
            3));
    out.add(
        new TlsVersionResult(
            "TLSv1.1",
            v11,
            v11 ? "TLS_RSA_WITH_AES_128_CBC_SHA" : null,
            v11 ? null : "protocol_version(70)",
            3));
    out.add(
        new TlsVersionResult(
            "TLSv1.2",
            v12,
            v12 ? "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" : null,
            v12 ? null : "protocol_version(70)",
            3));
    out.add(
        new TlsVersionResult(
            "TLSv1.3",
            v13,
            v13 ? "TLS_AES_256_GCM_SHA384" : null,
            v13 ? null : "protocol_version(70)",
            3));
    return out;
  }

  /** A reachable server with the given negotiation and TLS evidence. */
  static Evidence reachable(ClientProfile p, List<NegotiationAttempt> attempts, TlsEvidence tls) {
    return new Evidence(
        target(p),
        NOW,
        resolved(),
        List.of(tcp(TcpEvidence.Outcome.OPEN)),
        null,
        ADDR,
        new NegotiationEvidence(ADDR, attempts),
        tls,
        List.of(),
        List.of(),
        50);
  }

  static Evidence unreachable(TcpEvidence.Outcome o, LivenessEvidence live) {
    return new Evidence(
        target(ClientProfile.WINDOWS),
        NOW,
        resolved(),
        List.of(tcp(o)),
        live,
        null,
        null,
        null,
        List.of(),
        List.of("RDP negotiation and TLS: no TCP"),
        50);
  }
}

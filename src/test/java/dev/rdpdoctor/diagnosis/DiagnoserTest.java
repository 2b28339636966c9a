package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.EvidenceFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.LivenessEvidence;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnoserTest {
  final Diagnoser diagnoser = new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));
  static final int OFFER = ClientProfile.WINDOWS.requestedProtocols();
  static final int SSL = SecurityProtocol.PROTOCOL_SSL;

  Diagnosis run(Evidence e) {
    return diagnoser.diagnose(e);
  }

  @Test
  void healthyServerGivesHealthyFirstAndSelfSignedAsNote() {
    Diagnosis d =
        run(
            reachable(
                ClientProfile.WINDOWS,
                List.of(response("client", OFFER, SSL)),
                tlsOk(goodCert(), versions(false, false, true, true), "TLSv1.3")));
    assertThat(d.verdict()).isEqualTo(Verdict.OK);
    assertThat(d.findings())
        .extracting(Finding::cause)
        .containsExactly("healthy", "cert-self-signed");
    assertThat(d.findings().get(0).summary()).contains("TLSv1.3").contains("2028-01-01");
    assertThat(d.checked()).anyMatch(c -> c.contains("TLS handshake"));
  }

  @Test
  void nxdomainIsDnsUnresolvable() {
    Evidence e =
        new Evidence(
            target(ClientProfile.WINDOWS),
            NOW,
            new DnsEvidence(HOST, DnsEvidence.Status.NOT_FOUND, List.of(), 4, "srv.lab.test"),
            List.of(),
            null,
            null,
            null,
            null,
            List.of(),
            List.of("no name"),
            4);
    Diagnosis d = run(e);
    assertThat(d.findings().get(0).cause()).isEqualTo("dns-unresolvable");
    assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(d.findings().get(0).fixes()).extracting(f -> f.id()).contains("check-dns-name");
    // fixes name the host the user typed
    assertThat(d.findings().get(0).fixes().get(0).steps().get(0).text())
        .isEqualTo("nslookup srv.lab.test");
  }

  @Test
  void resetIsPortClosed() {
    assertThat(run(unreachable(TcpEvidence.Outcome.REFUSED, null)).findings().get(0).cause())
        .isEqualTo("port-closed");
  }

  @Test
  void silenceWithLiveHostIsPortFiltered() {
    LivenessEvidence live =
        new LivenessEvidence(
            ADDR,
            List.of(new TcpEvidence(ADDR, 22, TcpEvidence.Outcome.REFUSED, 1, "refused")),
            false,
            10);
    Diagnosis d = run(unreachable(TcpEvidence.Outcome.TIMEOUT, live));
    assertThat(d.findings().get(0).cause()).isEqualTo("port-filtered");
    assertThat(d.findings().get(0).evidence()).anyMatch(r -> r.probe().equals("liveness"));
  }

  @Test
  void silenceEverywhereIsHostUnreachable() {
    LivenessEvidence dead =
        new LivenessEvidence(
            ADDR,
            List.of(new TcpEvidence(ADDR, 22, TcpEvidence.Outcome.TIMEOUT, 2500, null)),
            false,
            2500);
    assertThat(run(unreachable(TcpEvidence.Outcome.TIMEOUT, dead)).findings().get(0).cause())
        .isEqualTo("host-unreachable");
  }

  @Test
  void icmpHostUnreachableIsHostUnreachable() {
    assertThat(
            run(unreachable(TcpEvidence.Outcome.HOST_UNREACHABLE, null)).findings().get(0).cause())
        .isEqualTo("host-unreachable");
  }

  @Test
  void closeAfterRequestIsServerClosedConnection() {
    Diagnosis d =
        run(
            reachable(
                ClientProfile.WINDOWS,
                List.of(
                    other("client", OFFER, Outcome.CLOSED, null),
                    other("RDP", 0, Outcome.CLOSED, null)),
                null));
    assertThat(d.findings().get(0).cause()).isEqualTo("server-closed-connection");
    assertThat(d.findings().get(0).summary()).contains("0x904");
    assertThat(d.findings().get(0).evidence()).anyMatch(r -> r.fact().contains("1 of 1"));
  }

  @Test
  void otherProtocolIsNotRdpService() {
    Diagnosis d =
        run(
            reachable(
                ClientProfile.WINDOWS,
                List.of(other("client", OFFER, Outcome.NOT_RDP, "SSH")),
                null));
    assertThat(d.findings().get(0).cause()).isEqualTo("not-rdp-service");
    assertThat(d.findings().get(0).summary()).contains("SSH");
  }

  @Test
  void silentAfterAcceptIsServerUnresponsive() {
    assertThat(
            run(reachable(
                    ClientProfile.WINDOWS,
                    List.of(other("client", OFFER, Outcome.TIMEOUT, null)),
                    null))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("server-unresponsive");
  }

  @Test
  void hybridRequiredAgainstNoNlaClientIsNlaRequired() {
    int tlsOnly = ClientProfile.NO_NLA.requestedProtocols();
    Diagnosis d =
        run(
            reachable(
                ClientProfile.NO_NLA,
                List.of(
                    failure("client", tlsOnly, 5, "HYBRID_REQUIRED_BY_SERVER"),
                    response("HYBRID", 2, 2)),
                tlsOk(goodCert(), List.of(), "TLSv1.2")));
    assertThat(d.findings().get(0).cause()).isEqualTo("nla-required");
    assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(d.findings().get(0).fixes())
        .extracting(f -> f.id())
        .containsExactly("client-enable-nla", "server-relax-nla");
    // the fix that lowers security says how to undo it
    assertThat(d.findings().get(0).fixes().get(1).undo()).isNotEmpty();
  }

  @Test
  void serverPickingStandardSecurityIsStandardSecurityOnly() {
    Diagnosis d =
        run(reachable(ClientProfile.WINDOWS, List.of(response("client", OFFER, 0)), null));
    assertThat(d.findings().get(0).cause()).isEqualTo("standard-security-only");
    assertThat(d.verdict()).isEqualTo(Verdict.WARN);
  }

  @Test
  void sslNotAllowedIsStandardSecurityOnly() {
    assertThat(
            run(reachable(
                    ClientProfile.WINDOWS,
                    List.of(failure("client", OFFER, 2, "SSL_NOT_ALLOWED_BY_SERVER")),
                    null))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("standard-security-only");
  }

  @Test
  void certNotOnServerIsTlsCertificateMissing() {
    assertThat(
            run(reachable(
                    ClientProfile.WINDOWS,
                    List.of(failure("client", OFFER, 3, "SSL_CERT_NOT_ON_SERVER")),
                    null))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("tls-certificate-missing");
  }

  @Test
  void onlyTls10IsLegacyOnly() {
    Diagnosis d =
        run(
            reachable(
                ClientProfile.WINDOWS,
                List.of(response("client", OFFER, SSL)),
                tlsOk(goodCert(), versions(true, false, false, false), "TLSv1")));
    assertThat(d.findings().get(0).cause()).isEqualTo("tls-legacy-only");
    assertThat(d.findings().get(0).summary()).contains("TLSv1");
  }

  @Test
  void handshakeClosedIsTlsHandshakeFailed() {
    TlsEvidence closed =
        new TlsEvidence(
            ADDR,
            OFFER,
            TlsEvidence.Status.CLOSED,
            null,
            null,
            null,
            "closed",
            List.of(),
            List.of(),
            0,
            4);
    assertThat(
            run(reachable(ClientProfile.WINDOWS, List.of(response("client", OFFER, SSL)), closed))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("tls-handshake-failed");
  }

  @Test
  void expiredCertificateOutranksItsOtherNotes() {
    var expired =
        cert(
            Instant.parse("2020-01-01T00:00:00Z"),
            Instant.parse("2021-01-01T00:00:00Z"),
            true,
            2048,
            "SHA256withRSA",
            false);
    Diagnosis d =
        run(
            reachable(
                ClientProfile.WINDOWS,
                List.of(response("client", OFFER, SSL)),
                tlsOk(expired, List.of(), "TLSv1.2")));
    assertThat(d.findings().get(0).cause()).isEqualTo("cert-expired");
    assertThat(d.findings().get(0).summary()).contains("2021-01-01");
  }

  @Test
  void certificateDatesDriveValidityFindings() {
    var future =
        cert(
            Instant.parse("2027-01-01T00:00:00Z"),
            Instant.parse("2029-01-01T00:00:00Z"),
            true,
            2048,
            "SHA256withRSA",
            false);
    assertThat(
            run(reachable(
                    ClientProfile.WINDOWS,
                    List.of(response("client", OFFER, SSL)),
                    tlsOk(future, List.of(), "TLSv1.2")))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("cert-not-yet-valid");
    var soon =
        cert(
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2026-12-01T00:00:00Z"),
            true,
            2048,
            "SHA256withRSA",
            false);
    assertThat(
            run(reachable(
                    ClientProfile.WINDOWS,
                    List.of(response("client", OFFER, SSL)),
                    tlsOk(soon, List.of(), "TLSv1.2")))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("cert-expiring-soon");
  }

  @Test
  void wrongNameIsNameMismatch() {
    var wrong =
        cert(
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2028-01-01T00:00:00Z"),
            false,
            2048,
            "SHA256withRSA",
            false);
    Diagnosis d =
        run(
            reachable(
                ClientProfile.WINDOWS,
                List.of(response("client", OFFER, SSL)),
                tlsOk(wrong, List.of(), "TLSv1.2")));
    assertThat(d.findings().get(0).cause()).isEqualTo("cert-name-mismatch");
    assertThat(d.verdict()).isEqualTo(Verdict.WARN);
  }

  @Test
  void smallKeyAndSha1AreWeak() {
    var weak =
        cert(
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2028-01-01T00:00:00Z"),
            true,
            1024,
            "SHA1withRSA",
            false);
    Diagnosis d =
        run(
            reachable(
                ClientProfile.WINDOWS,
                List.of(response("client", OFFER, SSL)),
                tlsOk(weak, List.of(), "TLSv1.2")));
    assertThat(d.findings().get(0).cause()).isEqualTo("cert-weak");
    assertThat(d.findings().get(0).summary()).contains("1024-bit RSA").contains("SHA1withRSA");
  }

  @Test
  void everyFindingPointsAtEvidenceAndEveryFailureHasAFix() {
    List<Evidence> all =
        List.of(
            unreachable(TcpEvidence.Outcome.REFUSED, null),
            reachable(
                ClientProfile.WINDOWS, List.of(other("client", OFFER, Outcome.RESET, null)), null),
            reachable(
                ClientProfile.NO_NLA, List.of(failure("client", 1, 5, "HYBRID_REQUIRED")), null));
    for (Evidence e : all) {
      for (Finding f : run(e).findings()) {
        assertThat(f.evidence()).as(f.cause()).isNotEmpty();
        if (f.severity() == Severity.FAIL) {
          assertThat(f.fixes()).as(f.cause()).isNotEmpty();
        }
      }
    }
  }
}

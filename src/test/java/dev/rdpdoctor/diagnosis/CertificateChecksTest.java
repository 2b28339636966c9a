package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.EvidenceFixtures.HOST;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.NOW;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.cert;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.diagnosis.CertificateChecks.Policy;
import dev.rdpdoctor.diagnosis.CertificateChecks.Validity;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One set of certificate checks; the RD Gateway differs only in the client's strictness. */
class CertificateChecksTest {
  final FindingFactory f =
      new FindingFactory(
          KnowledgeBase.get(),
          EvidenceFixtures.target(ClientProfile.WINDOWS),
          Clock.fixed(NOW, ZoneOffset.UTC));

  static final CertificateInfo BAD =
      cert(
          Instant.parse("2020-01-01T00:00:00Z"),
          Instant.parse("2021-01-01T00:00:00Z"),
          false,
          1024,
          "SHA1withRSA",
          true);

  @Test
  void serverAndGatewayFindTheSameProblems() {
    List<Finding> server = CertificateChecks.check(BAD, Policy.rdpServer(HOST, false), f);
    List<Finding> gateway =
        CertificateChecks.check(BAD, Policy.gateway("gw.lab.test", "gw.lab.test"), f);
    assertThat(server)
        .extracting(Finding::cause)
        .containsExactly("cert-expired", "cert-name-mismatch", "cert-weak", "cert-self-signed");
    assertThat(gateway)
        .extracting(Finding::cause)
        .containsExactlyElementsOf(server.stream().map(Finding::cause).toList());
  }

  @Test
  void theGatewaysVerdictsAreStricter() {
    List<Finding> server = CertificateChecks.check(BAD, Policy.rdpServer(HOST, false), f);
    List<Finding> gateway =
        CertificateChecks.check(BAD, Policy.gateway("gw.lab.test", "gw.lab.test"), f);
    assertThat(server.get(1).severity()).isEqualTo(Severity.WARN);
    assertThat(gateway.get(1).severity()).isEqualTo(Severity.FAIL);
    assertThat(gateway.get(1).summary())
        .contains("RD Gateway gw.lab.test")
        .contains("refuses the gateway");
    assertThat(server.get(3).severity()).isEqualTo(Severity.INFO);
    assertThat(gateway.get(3).severity()).isEqualTo(Severity.WARN);
    assertThat(gateway.get(0).evidence().get(0).probe()).isEqualTo("gateway");
  }

  @Test
  void validityHasOneBoundaryForBoth() {
    CertificateInfo soon =
        cert(
            Instant.parse("2026-01-01T00:00:00Z"),
            NOW.plus(CertificateChecks.EXPIRING_SOON).minusSeconds(1),
            true,
            2048,
            "SHA256withRSA",
            false);
    CertificateInfo later =
        cert(
            Instant.parse("2026-01-01T00:00:00Z"),
            NOW.plus(CertificateChecks.EXPIRING_SOON).plusSeconds(1),
            true,
            2048,
            "SHA256withRSA",
            false);
    assertThat(CertificateChecks.validity(soon, NOW)).isEqualTo(Validity.EXPIRING_SOON);
    assertThat(CertificateChecks.validity(later, NOW)).isEqualTo(Validity.VALID);
    assertThat(CertificateChecks.check(later, Policy.gateway("g", "g"), f)).isEmpty();
  }
}

package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.EvidenceFixtures.NOW;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.cert;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.goodCert;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.reachable;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.response;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.tlsOk;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.versions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.SessionEvidence.Status;
import dev.rdpdoctor.evidence.SessionEvidence.Step;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.probe.connect.SessionLog;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionRulesTest {
  final Diagnoser diagnoser = new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));

  static SessionEvidence session(
      Status status, String reached, Integer errorInfo, String licensing) {
    return session(status, "TLS (TLSv1.3 test)", reached, errorInfo, licensing);
  }

  static SessionEvidence session(
      Status status, String security, String reached, Integer errorInfo, String licensing) {
    dev.rdpdoctor.codes.ErrorInfo ei =
        errorInfo == null ? null : dev.rdpdoctor.codes.ErrorInfo.valueOf(errorInfo);
    return new SessionEvidence(
        "198.19.1.2:3389",
        status,
        security,
        reached,
        List.of(new Step(reached, 80, null)),
        errorInfo,
        ei == null ? null : ei.name(),
        ei == null ? null : ei.description(),
        errorInfo == null ? null : SessionLog.mstscCodes(errorInfo),
        licensing,
        status == Status.DEMAND_ACTIVE ? 0x103EA : null,
        status == Status.DEMAND_ACTIVE ? 2 : null,
        status == Status.DEMAND_ACTIVE ? List.of("General", "Share") : List.of(),
        null,
        null,
        "detail of the end",
        90);
  }

  static Evidence with(SessionEvidence s, CertificateInfo leaf) {
    return reachable(
            ClientProfile.WINDOWS,
            List.of(response("client", 0x0B, 0x01)),
            tlsOk(leaf, versions(false, false, true, true), "TLSv1.3"))
        .with(s);
  }

  @Test
  void theCheckSaysHowTheSequenceWasProtected() {
    String standard = "Standard RDP Security, 128-bit RC4, level High (both directions)";
    assertThat(
            diagnoser
                .diagnose(
                    with(
                        session(
                            Status.DEMAND_ACTIVE,
                            standard,
                            "Demand Active",
                            null,
                            "STATUS_VALID_CLIENT"),
                        goodCert()))
                .checked())
        .contains(
            "connection sequence under "
                + standard
                + ": the server sent its Demand"
                + " Active PDU (2 capability sets): it accepts the session");
    assertThat(
            diagnoser
                .diagnose(
                    with(
                        session(
                            Status.LICENSING,
                            "TLS (TLSv1.3 test)",
                            "Licensing",
                            null,
                            "PLATFORM_CHALLENGE"),
                        goodCert()))
                .checked())
        .anyMatch(
            c ->
                c.startsWith(
                    "connection sequence over TLS (TLSv1.3 test): the server" + " accepted MCS"));
    assertThat(SessionRules.over(session(Status.CLOSED, null, "X.224", null, null))).isEmpty();
  }

  @Test
  void aRedirectionIsAnInfoNamingTheTargetToDiagnoseNext() {
    SessionEvidence.Redirect r =
        new SessionEvidence.Redirect(
            "rdsh02.corp.example",
            "rdsh02.corp.example",
            "10.0.0.21",
            List.of("10.0.0.21"),
            "RDSH02",
            "tsv://MS Terminal Services Plugin.1.Desktops",
            null,
            true,
            "LB_TARGET_FQDN");
    SessionEvidence s =
        new SessionEvidence(
            "198.19.1.2:3389",
            Status.REDIRECTED,
            "TLS (TLSv1.3 test)",
            "Server Redirection",
            List.of(
                new Step("Client Info", 60, null),
                new Step("Licensing", 70, null),
                new Step("Server Redirection", 80, "to rdsh02.corp.example")),
            null,
            null,
            null,
            null,
            "STATUS_VALID_CLIENT",
            null,
            null,
            List.of(),
            null,
            r,
            "a Connection Broker redirected the session",
            90);
    Diagnosis d = diagnoser.diagnose(with(s, goodCert()));
    assertThat(d.verdict()).isNotEqualTo(Verdict.FAIL);
    Finding redirected =
        d.findings().stream()
            .filter(x -> x.cause().equals("session-redirected"))
            .findFirst()
            .orElseThrow();
    assertThat(redirected.severity()).isEqualTo(Severity.INFO);
    assertThat(redirected.summary())
        .contains("After the Licensing step")
        .contains("rdsh02.corp.example (address 10.0.0.21)")
        .contains("rdpdoctor diagnose rdsh02.corp.example");
    assertThat(redirected.fixes()).isNotEmpty();
    assertThat(d.checked())
        .anyMatch(c -> c.contains("redirected by a Connection Broker to" + " rdsh02.corp.example"));
    assertThat(s.summary()).contains("redirected to rdsh02.corp.example");
  }

  @Test
  void serverDeniedConnectionIsTheTopCauseWithTheMstscPair() {
    Diagnosis d =
        diagnoser.diagnose(with(session(Status.ERROR_INFO, "Licensing", 0x7, null), goodCert()));
    Finding top = d.findings().get(0);
    assertThat(top.cause()).isEqualTo("server-denied-connection");
    assertThat(top.severity()).isEqualTo(Severity.FAIL);
    assertThat(top.confidence()).isEqualTo(Confidence.HIGH);
    assertThat(top.summary())
        .contains("0x7 SERVER_DENIED_CONNECTION")
        .contains("error code 0x904, extended error code 0x7");
    assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void errorInfoMapsToItsCatalogueCause() {
    int[] codes = {0x9, 0x5, 0x100 + 2, 0x400};
    for (int code : codes) {
      dev.rdpdoctor.codes.ErrorInfo ei = dev.rdpdoctor.codes.ErrorInfo.valueOf(code);
      if (ei.causes().isEmpty()) {
        continue;
      }
      Finding top =
          diagnoser
              .diagnose(with(session(Status.ERROR_INFO, "Client Info", code, null), goodCert()))
              .findings()
              .get(0);
      assertThat(top.cause()).as(ei.name()).isEqualTo(ei.causes().get(0));
    }
    assertThat(
            diagnoser
                .diagnose(with(session(Status.ERROR_INFO, "Client Info", 0x9, null), goodCert()))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("server-insufficient-privileges");
    assertThat(
            diagnoser
                .diagnose(with(session(Status.ERROR_INFO, "Client Info", 0x5, null), goodCert()))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("session-replaced");
  }

  @Test
  void silentCloseInTheMiddleIsServerClosedWithMediumConfidenceNamingTheStep() {
    Finding top =
        diagnoser
            .diagnose(with(session(Status.CLOSED, "Client Info", null, null), goodCert()))
            .findings()
            .get(0);
    assertThat(top.cause()).isEqualTo("server-closed-connection");
    assertThat(top.confidence()).isEqualTo(Confidence.MEDIUM);
    assertThat(top.summary()).contains("after the Client Info step");
  }

  @Test
  void demandActiveAndLicensingAreChecksNotFindings() {
    Diagnosis d =
        diagnoser.diagnose(
            with(
                session(Status.DEMAND_ACTIVE, "Demand Active", null, "STATUS_VALID_CLIENT"),
                goodCert()));
    assertThat(d.findings().get(0).cause()).isEqualTo("healthy");
    assertThat(d.checked()).anyMatch(c -> c.contains("Demand Active"));
    Diagnosis l =
        diagnoser.diagnose(
            with(session(Status.LICENSING, "Licensing", null, "LICENSE_REQUEST"), goodCert()));
    assertThat(l.findings().get(0).cause()).isEqualTo("healthy");
    assertThat(l.checked()).anyMatch(c -> c.contains("LICENSE_REQUEST"));
  }

  @Test
  void neverOutranksAnEarlierPathFailure() {
    CertificateInfo expired =
        cert(
            Instant.parse("2024-01-01T00:00:00Z"),
            Instant.parse("2025-01-01T00:00:00Z"),
            true,
            2048,
            "SHA256withRSA",
            false);
    Diagnosis d =
        diagnoser.diagnose(with(session(Status.ERROR_INFO, "Licensing", 0x7, null), expired));
    assertThat(d.findings().get(0).cause()).isEqualTo("cert-expired");
    Finding denied =
        d.findings().stream()
            .filter(f -> f.cause().equals("server-denied-connection"))
            .findFirst()
            .orElseThrow();
    assertThat(denied.severity()).isEqualTo(Severity.WARN);
    assertThat(d.findings().indexOf(denied)).isPositive();
  }
}

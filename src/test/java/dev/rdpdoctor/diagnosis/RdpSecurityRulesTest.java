package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.EvidenceFixtures.ADDR;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.NOW;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.goodCert;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.reachable;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.response;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.tlsOk;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.versions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.RdpSecurityEvidence;
import dev.rdpdoctor.evidence.RdpSecurityEvidence.Certificate;
import dev.rdpdoctor.evidence.RdpSecurityEvidence.Method;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proprietary certificate's signature as a finding (issue 3 item 4). */
class RdpSecurityRulesTest {
  final Diagnoser diagnoser = new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));

  static final Certificate SIGNED =
      new Certificate("proprietary", false, 2048, 65537L, null, true, "verified");
  static final Certificate UNSIGNED =
      new Certificate(
          "proprietary",
          false,
          2048,
          65537L,
          null,
          false,
          "signature does not match the certificate's MD5 hash");
  static final Certificate X509 = new Certificate("x509", true, null, null, 2, null, null);

  static RdpSecurityEvidence security(Certificate c) {
    return new RdpSecurityEvidence(
        ADDR + ":3389",
        RdpSecurityEvidence.Status.OK,
        List.of(new Method("128-bit", 0x02, true, 0x02, 2, "accepted", null, 3)),
        2,
        "Client Compatible",
        "0x00080004",
        "RDP 5.0-8.1",
        "PROTOCOL_RDP",
        null,
        c,
        null,
        List.of(),
        false,
        null,
        20);
  }

  /** A server that speaks TLS to this client and still accepts Standard RDP Security. */
  static Evidence tlsServer(Certificate c) {
    return reachable(
            ClientProfile.WINDOWS,
            List.of(
                response(
                    "client",
                    ClientProfile.WINDOWS.requestedProtocols(),
                    SecurityProtocol.PROTOCOL_SSL)),
            tlsOk(goodCert(), versions(false, false, true, true), "TLSv1.2"))
        .with(security(c));
  }

  @Test
  void unsignedKeyIsAWarningThatNamesTheMachineInTheMiddle() {
    Diagnosis d = diagnoser.diagnose(tlsServer(UNSIGNED));
    Finding f = d.findings().get(0);
    assertThat(f.cause()).isEqualTo("rdp-cert-signature-invalid");
    assertThat(f.severity()).isEqualTo(Severity.WARN);
    assertThat(f.summary()).contains("Terminal Services", "MD5", "replaced the server's key");
    assertThat(f.evidence())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.toString())
                    .contains("proprietary certificate RSA-2048 (signature INVALID)"));
    assertThat(d.verdict()).isEqualTo(Verdict.WARN);
    assertThat(d.checked()).noneMatch(c -> c.contains("valid Terminal Services signature"));
  }

  @Test
  void signedKeyIsCheckedAndNotAFinding() {
    Diagnosis d = diagnoser.diagnose(tlsServer(SIGNED));
    assertThat(d.findings())
        .extracting(Finding::cause)
        .doesNotContain("rdp-cert-signature-invalid")
        .first()
        .isEqualTo("healthy");
    assertThat(d.checked()).anyMatch(c -> c.contains("valid Terminal Services signature"));
  }

  @Test
  void x509ChainIsNotJudgedHere() {
    Diagnosis d = diagnoser.diagnose(tlsServer(X509));
    assertThat(d.findings())
        .extracting(Finding::cause)
        .doesNotContain("rdp-cert-signature-invalid");
    assertThat(d.checked()).noneMatch(c -> c.contains("Terminal Services signature"));
  }

  @Test
  void neverOutranksTheFailure() {
    // the server wants TLS but has no certificate: the connection fails, whatever the key
    Evidence e =
        reachable(
                ClientProfile.WINDOWS,
                List.of(
                    EvidenceFixtures.failure(
                        "client",
                        ClientProfile.WINDOWS.requestedProtocols(),
                        0x03,
                        "SSL_CERT_NOT_ON_SERVER")),
                null)
            .with(security(UNSIGNED));
    List<Finding> f = diagnoser.diagnose(e).findings();
    assertThat(f.get(0).cause()).isEqualTo("tls-certificate-missing");
    assertThat(f.get(0).severity()).isEqualTo(Severity.FAIL);
    assertThat(f)
        .filteredOn(x -> x.cause().equals("rdp-cert-signature-invalid"))
        .singleElement()
        .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.WARN));
    int warn =
        f.indexOf(
            f.stream()
                .filter(x -> x.cause().equals("rdp-cert-signature-invalid"))
                .findFirst()
                .orElseThrow());
    assertThat(f.subList(warn, f.size())).noneMatch(x -> x.severity() == Severity.FAIL);
  }

  @Test
  void catalogueHasTheCauseWithFixes() {
    assertThat(KnowledgeBase.get().cause("rdp-cert-signature-invalid"))
        .isPresent()
        .get()
        .satisfies(c -> assertThat(c.fixes()).isNotEmpty());
  }
}

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
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.NlaEvidence.Logon;
import dev.rdpdoctor.evidence.NlaEvidence.NtlmInfo;
import dev.rdpdoctor.evidence.NlaEvidence.Outcome;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class NlaRulesTest {
  final Diagnoser diagnoser = new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));

  static NtlmInfo ntlm(String nb, String dns, long skew) {
    return new NtlmInfo(
        nb,
        nb,
        "LAB",
        dns,
        "lab.test",
        "lab.test",
        "10.0.20348",
        15,
        NOW.plusSeconds(skew),
        NOW,
        skew,
        "0xe2898235");
  }

  static NlaEvidence nla(int version, NtlmInfo info, Logon logon) {
    return new NlaEvidence(
        "198.19.1.2:3389",
        "HYBRID",
        NlaEvidence.Status.OK,
        "TLSv1.3",
        version,
        info,
        logon,
        null,
        null,
        null,
        40);
  }

  static Evidence with(NlaEvidence n, CertificateInfo leaf) {
    return reachable(
            ClientProfile.WINDOWS,
            List.of(response("client", 0x0B, 0x02)),
            tlsOk(leaf, versions(false, false, true, true), "TLSv1.3"))
        .with(n);
  }

  List<String> causes(Evidence e) {
    return diagnoser.diagnose(e).findings().stream().map(Finding::cause).toList();
  }

  @Test
  void healthyServerWithMatchingNamesAndClockAddsNothing() {
    assertThat(causes(with(nla(6, ntlm("SRV", "srv.lab.test", 3), null), goodCert())))
        .containsExactly("healthy", "cert-self-signed");
  }

  @Test
  void clockSkewBeyondFiveMinutesInEitherDirection() {
    for (long skew : new long[] {301, -900}) {
      Diagnosis d =
          diagnoser.diagnose(with(nla(6, ntlm("SRV", "srv.lab.test", skew), null), goodCert()));
      Finding f = d.findings().get(0);
      assertThat(f.cause()).isEqualTo("clock-skew");
      assertThat(f.severity()).isEqualTo(Severity.WARN);
      assertThat(f.summary()).contains(skew > 0 ? "ahead of" : "behind");
      assertThat(f.fixes()).anySatisfy(x -> assertThat(x.steps().toString()).contains("w32tm"));
    }
    assertThat(causes(with(nla(6, ntlm("SRV", "srv.lab.test", 300), null), goodCert())))
        .doesNotContain("clock-skew");
  }

  @Test
  void wrongMachineNeedsBothTheNamesAndTheCertificateToDisagree() {
    CertificateInfo other =
        cert(
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2028-01-01T00:00:00Z"),
            false,
            2048,
            "SHA256withRSA",
            true);
    assertThat(causes(with(nla(6, ntlm("OLDBOX", "oldbox.lab.test", 0), null), other)))
        .contains("dns-wrong-address", "cert-name-mismatch");
    // the certificate covers the typed name: an alias, not a wrong machine
    assertThat(causes(with(nla(6, ntlm("OLDBOX", "oldbox.lab.test", 0), null), goodCert())))
        .doesNotContain("dns-wrong-address");
    // the server's own name agrees: the certificate alone is wrong
    assertThat(causes(with(nla(6, ntlm("SRV", "srv.lab.test", 0), null), other)))
        .doesNotContain("dns-wrong-address");
  }

  @Test
  void namesMatchOnFullDnsNameOrNetbiosPrefix() {
    assertThat(NlaRules.namesMatch("srv.lab.test", null, "SRV.lab.test.")).isTrue();
    assertThat(NlaRules.namesMatch("srv", null, "srv.corp.example")).isTrue();
    assertThat(NlaRules.namesMatch("averyveryverylongname.x", "AVERYVERYVERYLO", null)).isTrue();
    assertThat(NlaRules.namesMatch("srv.lab.test", "VM", "vm")).isFalse();
  }

  @Test
  void oldCredSspVersionIsAWarningThatSaysWhatItProves() {
    Diagnosis d =
        diagnoser.diagnose(with(nla(3, ntlm("SRV", "srv.lab.test", 0), null), goodCert()));
    Finding f = d.findings().get(0);
    assertThat(f.cause()).isEqualTo("credssp-unpatched-server");
    assertThat(f.severity()).isEqualTo(Severity.WARN);
    assertThat(f.summary()).contains("version 3").contains("does not prove");
    assertThat(causes(with(nla(5, ntlm("SRV", "srv.lab.test", 0), null), goodCert())))
        .doesNotContain("credssp-unpatched-server");
  }

  @Test
  void logonOutcomesMapToCatalogueIds() {
    record Case(Logon logon, String cause, Severity sev) {}
    List<Case> cases =
        List.of(
            new Case(
                new Logon("u", Outcome.ACCEPTED, null, null, null, "ok", 5),
                "nla-logon-accepted",
                Severity.INFO),
            new Case(
                new Logon("u", Outcome.REJECTED, 0xC000006D, "LOGON_FAILURE", null, "x", 5),
                "logon-failed",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.REJECTED, 0xC0000234, "ACCOUNT_LOCKED_OUT", null, "x", 5),
                "account-locked",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.REJECTED, 0xC0000072, "ACCOUNT_DISABLED", null, "x", 5),
                "account-disabled",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.REJECTED, 0xC0000193, "ACCOUNT_EXPIRED", null, "x", 5),
                "account-expired",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.REJECTED, 0xC0000071, "PASSWORD_EXPIRED", null, "x", 5),
                "password-expired",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.REJECTED, 0xC0000224, "PASSWORD_MUST_CHANGE", null, "x", 5),
                "password-must-change",
                Severity.FAIL),
            new Case(
                new Logon(
                    "u", Outcome.REJECTED, 0xC000015B, "LOGON_TYPE_NOT_GRANTED", null, "x", 5),
                "logon-right-missing",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.REJECTED, 0xC000006E, "ACCOUNT_RESTRICTION", null, "x", 5),
                "account-restriction",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.REJECTED, 0xC000005E, "NO_LOGON_SERVERS", null, "x", 5),
                "no-logon-authority",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.REJECTED, null, null, 5, "x", 5),
                "logon-right-missing",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.CLOSED, null, null, null, "closed", 5),
                "logon-failed",
                Severity.FAIL),
            new Case(
                new Logon("u", Outcome.KEY_MISMATCH, null, null, null, "other key", 5),
                "tls-interception",
                Severity.FAIL));
    for (Case c : cases) {
      Diagnosis d =
          diagnoser.diagnose(with(nla(6, ntlm("SRV", "srv.lab.test", 0), c.logon()), goodCert()));
      Finding f =
          d.findings().stream()
              .filter(x -> x.cause().equals(c.cause()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(c + " -> " + d.findings()));
      assertThat(f.severity()).as(c.toString()).isEqualTo(c.sev());
      if (c.sev() == Severity.FAIL) {
        assertThat(d.findings().get(0).cause()).as(c.toString()).isEqualTo(c.cause());
        assertThat(f.fixes()).as(c.toString()).isNotEmpty();
      }
    }
  }

  @Test
  void aSilentCloseSaysItCannotTellWhichAccountProblem() {
    Finding f =
        diagnoser
            .diagnose(
                with(
                    nla(
                        6,
                        ntlm("SRV", "srv.lab.test", 0),
                        new Logon("u", Outcome.CLOSED, null, null, null, "closed", 5)),
                    goodCert()))
            .findings()
            .get(0);
    assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
    assertThat(f.summary()).contains("without an error code").contains("looks the same");
  }

  @Test
  void anUnfinishedExchangeIsAFailureNotHealthy() {
    // issue 14: garbage where the CHALLENGE belongs fails a client that uses NLA
    NlaEvidence broken =
        new NlaEvidence(
            "a",
            "HYBRID",
            NlaEvidence.Status.MALFORMED,
            "TLSv1.3",
            6,
            null,
            null,
            null,
            null,
            "garbage",
            4);
    assertThat(causes(with(broken, goodCert())).get(0)).isEqualTo("server-protocol-error");
    NlaEvidence refused =
        new NlaEvidence(
            "a",
            "HYBRID",
            NlaEvidence.Status.REFUSED,
            "TLSv1.3",
            6,
            null,
            null,
            0xC000018D,
            "TRUSTED_RELATIONSHIP_FAILURE",
            "x",
            4);
    assertThat(causes(with(refused, goodCert())).get(0)).isEqualTo("no-logon-authority");
  }
}

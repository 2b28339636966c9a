package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.EvidenceFixtures.ADDR;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.NOW;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.cert;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.goodCert;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.other;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.reachable;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.response;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.tlsOk;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.versions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.ConnectionLimitCheck;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.NlaEvidence.NtlmInfo;
import dev.rdpdoctor.evidence.NlaFacts;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The diagnosis defects of issue 14, each from canned evidence shaped like what the probes record
 * against a misbehaving server: never {@code healthy} while a probe of the server failed, failures
 * after TLS ranked above notes, a selection nobody offered, a black hole only with its signature, a
 * refusal without credentials that blames no password, and no clock skew from a placeholder
 * timestamp.
 */
class BrokenServerDiagnosisTest {
  static final int OFFER = 0x0B; // SSL|HYBRID|HYBRID_EX, what mstsc offers
  final Diagnoser diagnoser = new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));

  /** The name does not match: a WARN note that a real failure must outrank. */
  static final CertificateInfo WRONG_NAME =
      cert(
          Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2028-01-01T00:00:00Z"),
          false,
          2048,
          "SHA256withRSA",
          true);

  static List<NegotiationAttempt> singles(Outcome o) {
    List<NegotiationAttempt> out = new ArrayList<>();
    out.add(response("client", OFFER, SecurityProtocol.PROTOCOL_SSL));
    for (int p : new int[] {0, 1, 2, 4, 8, 16}) {
      out.add(other(SecurityProtocol.names(p), p, o, null));
    }
    return out;
  }

  static TlsEvidence notNegotiated() {
    return new TlsEvidence(
        ADDR,
        OFFER,
        TlsEvidence.Status.NOT_NEGOTIATED,
        null,
        null,
        null,
        "CLOSED: the server closed the connection",
        List.of(),
        List.of(),
        0,
        3);
  }

  Diagnosis run(Evidence e) {
    return diagnoser.diagnose(e);
  }

  // ------------------------------------------------------------ works once, then stops --

  @Test
  void aServerThatAnswersOnceThenClosesIsNotHealthy() {
    Diagnosis d = run(reachable(ClientProfile.WINDOWS, singles(Outcome.CLOSED), notNegotiated()));
    Finding top = d.findings().get(0);
    assertThat(top.cause()).isEqualTo("server-closed-connection");
    assertThat(top.severity()).isEqualTo(Severity.FAIL);
    assertThat(top.summary()).contains("7 connections").contains("TLS check");
    assertThat(top.evidence())
        .anyMatch(r -> r.probe().equals("tls"))
        .anyMatch(r -> r.probe().equals("negotiation"));
    assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(d.findings()).noneMatch(f -> f.cause().equals("healthy"));
  }

  @Test
  void aServerThatAnswersOnceThenGoesSilentIsUnresponsive() {
    Diagnosis d =
        run(
            reachable(
                ClientProfile.WINDOWS,
                singles(Outcome.TIMEOUT),
                tlsOk(goodCert(), List.of(), "TLSv1.3")));
    assertThat(d.findings().get(0).cause()).isEqualTo("server-unresponsive");
    assertThat(d.findings().get(0).severity()).isEqualTo(Severity.FAIL);
  }

  @Test
  void oneDroppedConnectionOfSixIsAWarningNeverHealthy() {
    List<NegotiationAttempt> a = new ArrayList<>(singles(Outcome.FAILURE).subList(0, 1));
    for (int p : new int[] {1, 2, 4, 8, 16}) {
      a.add(EvidenceFixtures.failure(SecurityProtocol.names(p), p, 5, "HYBRID_REQUIRED"));
    }
    a.add(other("RDP", 0, Outcome.RESET, null));
    Diagnosis d = run(reachable(ClientProfile.WINDOWS, a, tlsOk(goodCert(), List.of(), "TLSv1.3")));
    assertThat(d.findings().get(0).cause()).isEqualTo("server-closed-connection");
    assertThat(d.findings().get(0).severity()).isEqualTo(Severity.WARN);
    assertThat(d.verdict()).isEqualTo(Verdict.WARN);
  }

  @Test
  void aRefusedSecondConnectionIsAFailureNotInconclusive() {
    Diagnosis d =
        run(
            reachable(
                ClientProfile.WINDOWS,
                List.of(other("client", OFFER, Outcome.CONNECT_FAILED, null)),
                null));
    assertThat(d.findings().get(0).cause()).isEqualTo("server-closed-connection");
    assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void dropsThatAPendingConnectionLimitExplainsAreThatLimit() {
    ConnectionLimitCheck limit =
        new ConnectionLimitCheck(
            ADDR,
            3389,
            8,
            4,
            4,
            0,
            0,
            "connect failed",
            false,
            1632,
            new PathEvidence.Bounds(46, 13.5));
    Diagnosis d =
        run(
            reachable(
                    ClientProfile.WINDOWS,
                    singles(Outcome.CONNECT_FAILED),
                    tlsOk(goodCert(), List.of(), "TLSv1.3"))
                .with(new PathEvidence(ADDR, null, null, null, limit, null, List.of())));
    assertThat(d.findings().get(0).cause()).isEqualTo("connection-limit");
    assertThat(d.findings()).noneMatch(f -> f.cause().equals("server-closed-connection"));
  }

  @Test
  void everyConnectionAnsweredStaysHealthy() {
    List<NegotiationAttempt> a = new ArrayList<>(singles(Outcome.FAILURE).subList(0, 1));
    for (int p : new int[] {0, 1, 2, 4, 8, 16}) {
      a.add(EvidenceFixtures.failure(SecurityProtocol.names(p), p, 5, "HYBRID_REQUIRED"));
    }
    Diagnosis d = run(reachable(ClientProfile.WINDOWS, a, tlsOk(goodCert(), List.of(), "TLSv1.3")));
    assertThat(d.findings().get(0).cause()).isEqualTo("healthy");
  }

  // ------------------------------------------------------------ failures after TLS --

  static Evidence withNla(NlaEvidence n) {
    return reachable(
            ClientProfile.WINDOWS,
            List.of(response("client", OFFER, SecurityProtocol.PROTOCOL_HYBRID)),
            tlsOk(WRONG_NAME, versions(false, false, true, true), "TLSv1.3"))
        .with(n);
  }

  static NlaEvidence nla(NlaEvidence.Status s, String detail) {
    return new NlaEvidence(ADDR, "HYBRID", s, "TLSv1.3", 6, null, null, null, null, detail, 9);
  }

  @Test
  void credSspGarbageOrSilenceOutranksTheCertificateNote() {
    Diagnosis garbage =
        run(
            withNla(
                nla(
                    NlaEvidence.Status.MALFORMED,
                    "the server's answer to NEGOTIATE is not a TSRequest")));
    assertThat(garbage.findings().get(0).cause()).isEqualTo("server-protocol-error");
    assertThat(garbage.findings().get(0).severity()).isEqualTo(Severity.FAIL);
    assertThat(garbage.findings()).extracting(Finding::cause).contains("cert-name-mismatch");
    Diagnosis silent =
        run(withNla(nla(NlaEvidence.Status.TIMEOUT, "no answer to NEGOTIATE before the deadline")));
    assertThat(silent.findings().get(0).cause()).isEqualTo("server-unresponsive");
    Diagnosis closed = run(withNla(nla(NlaEvidence.Status.CLOSED, "closed after NEGOTIATE")));
    assertThat(closed.findings().get(0).cause()).isEqualTo("server-closed-connection");
  }

  @Test
  void aClientWithoutNlaOnlyGetsAWarningForABrokenCredSsp() {
    Evidence e =
        reachable(
                ClientProfile.NO_NLA,
                List.of(response("client", 0x01, SecurityProtocol.PROTOCOL_SSL)),
                tlsOk(goodCert(), List.of(), "TLSv1.3"))
            .with(nla(NlaEvidence.Status.MALFORMED, "garbage"));
    Finding top = run(e).findings().get(0);
    assertThat(top.cause()).isEqualTo("server-protocol-error");
    assertThat(top.severity()).isEqualTo(Severity.WARN);
  }

  static SessionEvidence session(SessionEvidence.Status s, String reached, String detail) {
    return new SessionEvidence(
        ADDR,
        s,
        "TLS (TLSv1.3 test)",
        reached,
        List.of(new SessionEvidence.Step(reached, 80, null)),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        detail,
        90);
  }

  @Test
  void anMcsResponseThatDoesNotParseOrAnUnusableKeyIsAFailureAboveNotes() {
    for (String detail :
        List.of(
            "the server's MCS Connect Response did not parse: BER length" + " beyond the PDU",
            "the server's RSA key cannot take the client random: exponent 0")) {
      Evidence e =
          reachable(
                  ClientProfile.WINDOWS,
                  List.of(response("client", OFFER, SecurityProtocol.PROTOCOL_SSL)),
                  tlsOk(WRONG_NAME, List.of(), "TLSv1.3"))
              .with(session(SessionEvidence.Status.MALFORMED, "TLS", detail));
      Diagnosis d = run(e);
      assertThat(d.findings().get(0).cause()).isEqualTo("server-protocol-error");
      assertThat(d.findings().get(0).summary()).contains(detail);
      assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    }
  }

  @Test
  void aSessionThatGoesSilentIsUnresponsive() {
    Evidence e =
        reachable(
                ClientProfile.WINDOWS,
                List.of(response("client", OFFER, SecurityProtocol.PROTOCOL_SSL)),
                tlsOk(goodCert(), List.of(), "TLSv1.3"))
            .with(
                session(
                    SessionEvidence.Status.TIMEOUT,
                    "MCS Attach User Confirm",
                    "no answer before the deadline"));
    assertThat(run(e).findings().get(0).cause()).isEqualTo("server-unresponsive");
  }

  // ------------------------------------------------------------ a selection not offered --

  @Test
  void aSelectedProtocolTheClientDidNotOfferIsReported() {
    for (int selected : new int[] {SecurityProtocol.PROTOCOL_RDSAAD, 0xFFFFFFFF, 0x03}) {
      Diagnosis d =
          run(reachable(ClientProfile.WINDOWS, List.of(response("client", OFFER, selected)), null));
      Finding top = d.findings().get(0);
      assertThat(top.cause()).as("0x%08X", selected).isEqualTo("unrequested-protocol");
      assertThat(top.severity()).isEqualTo(Severity.FAIL);
      assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    }
  }

  @Test
  void hybridExForAnOfferOfOnlyRdpIsReported() {
    List<NegotiationAttempt> a =
        List.of(
            response("client", OFFER, SecurityProtocol.PROTOCOL_HYBRID),
            response("RDP", SecurityProtocol.PROTOCOL_RDP, SecurityProtocol.PROTOCOL_HYBRID_EX));
    Diagnosis d = run(reachable(ClientProfile.WINDOWS, a, tlsOk(goodCert(), List.of(), "TLSv1.3")));
    assertThat(d.findings().get(0).cause()).isEqualTo("unrequested-protocol");
    assertThat(d.findings().get(0).severity()).isEqualTo(Severity.WARN);
    assertThat(d.findings().get(0).evidence().get(0).fact()).contains("HYBRID_EX");
  }

  // ------------------------------------------------------------ NTLM NEGOTIATE refused --

  @Test
  void aLogonFailureToTheNegotiateBlamesNoPassword() {
    NlaEvidence refused =
        new NlaEvidence(
            ADDR,
            "HYBRID",
            NlaEvidence.Status.REFUSED,
            "TLSv1.3",
            6,
            null,
            null,
            0xC000006D,
            "LOGON_FAILURE",
            "errorCode",
            9);
    Diagnosis d = run(withNla(refused));
    Finding top = d.findings().get(0);
    assertThat(top.cause()).isEqualTo("credssp-refused");
    assertThat(top.title()).doesNotContainIgnoringCase("password is wrong");
    assertThat(top.summary()).contains("0xC000006D").contains("before any credentials");
    assertThat(d.findings()).noneMatch(f -> f.cause().equals("logon-failed"));
  }

  // ------------------------------------------------------------ placeholder clocks --

  static NtlmInfo clock(Instant server, long skew) {
    return new NtlmInfo(
        "SRV",
        "SRV",
        "LAB",
        "srv.lab.test",
        "lab.test",
        "lab.test",
        "10.0.20348",
        15,
        server,
        NOW,
        skew,
        "0xe2898235");
  }

  @Test
  void zeroOrAllOnesTimestampsGiveNoClockSkew() {
    Instant zero = Instant.parse("1601-01-01T00:00:00Z");
    Instant signedAllOnes = zero.minusNanos(100);
    Instant unsignedAllOnes = Instant.parse("+60056-05-28T05:36:10.955161500Z");
    for (Instant t : List.of(zero, signedAllOnes, unsignedAllOnes)) {
      NtlmInfo id = clock(t, t.getEpochSecond() - NOW.getEpochSecond());
      NlaEvidence n =
          new NlaEvidence(
              ADDR, "HYBRID", NlaEvidence.Status.OK, "TLSv1.3", 6, id, null, null, null, null, 9);
      Diagnosis d = run(withNla(n));
      assertThat(d.findings()).as("%s", t).noneMatch(f -> f.cause().equals("clock-skew"));
      assertThat(NlaFacts.identity(id)).contains("not judged").doesNotContain(" min ");
    }
    // a real clock an hour off still is a finding
    NlaEvidence off =
        new NlaEvidence(
            ADDR,
            "HYBRID",
            NlaEvidence.Status.OK,
            "TLSv1.3",
            6,
            clock(NOW.plusSeconds(3600), 3600),
            null,
            null,
            null,
            null,
            9);
    assertThat(run(withNla(off)).findings()).anyMatch(f -> f.cause().equals("clock-skew"));
  }
}

package dev.rdpdoctor.probe;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID_EX;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.EvidenceSection;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which sequence the session step runs, decided from the evidence before it: with credentials the
 * NLA sequence only after the logon test ACCEPTED them, so a refused password is never sent a
 * second time (an account lockout policy counts every try).
 */
class SessionStepTest {
  static final String HOST = "rdp.example.test";
  final Credentials creds = new Credentials("LAB", "alice", "Secret-1".toCharArray());

  @Test
  void aRefusedPasswordIsNeverTriedAgain() {
    try (FakeRdpServer server =
        FakeRdpServer.builder().answer(p -> Answer.select(PROTOCOL_HYBRID)).start()) {
      Evidence core = nlaOnly(server).with(nla(NlaEvidence.Outcome.REJECTED));
      EvidenceSection s = SessionProbe.step(creds).run(core, server.address(), ctx());
      assertThat(s).isNull();
      assertThat(server.requestedProtocols()).as("no connection at all").isEmpty();
    }
  }

  @Test
  void anAcceptedPasswordRunsTheNlaSequenceWithMstscsOffer() {
    // the scripted server answers SSL only: the step must have asked as mstsc does and say so
    try (FakeRdpServer server =
        FakeRdpServer.builder().answer(p -> Answer.select(PROTOCOL_SSL)).start()) {
      Evidence core = nlaOnly(server).with(nla(NlaEvidence.Outcome.ACCEPTED));
      SessionEvidence e =
          (SessionEvidence) SessionProbe.step(creds).run(core, server.address(), ctx());
      assertThat(server.requestedProtocols())
          .containsExactly(PROTOCOL_SSL | PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX);
      assertThat(e.status()).isEqualTo(SessionEvidence.Status.NOT_STARTED);
      assertThat(e.detail()).isEqualTo("asked for SSL|HYBRID|HYBRID_EX, the server selected SSL");
      assertThat(e.toString()).doesNotContain("Secret-1");
    }
  }

  @Test
  void withoutCredentialsAnNlaOnlyServerGetsNoSequence() {
    try (FakeRdpServer server =
        FakeRdpServer.builder().answer(p -> Answer.select(PROTOCOL_HYBRID)).start()) {
      assertThat(SessionProbe.step().run(nlaOnly(server), server.address(), ctx())).isNull();
      assertThat(server.requestedProtocols()).isEmpty();
    }
  }

  @Test
  void credentialsGoWithTheNlaSequenceOnly() {
    assertThatThrownBy(
            () ->
                SessionProbe.run(
                    java.net.InetAddress.getLoopbackAddress(),
                    1,
                    HOST,
                    SessionProbe.Security.TLS,
                    creds,
                    ctx()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                SessionProbe.run(
                    java.net.InetAddress.getLoopbackAddress(),
                    1,
                    HOST,
                    SessionProbe.Security.NLA,
                    null,
                    ctx()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A server that selects HYBRID for the client's offer and refuses SSL alone. */
  static Evidence nlaOnly(FakeRdpServer server) {
    String addr = server.address().getHostAddress();
    List<NegotiationAttempt> attempts =
        List.of(
            new NegotiationAttempt(
                "client",
                PROTOCOL_SSL | PROTOCOL_HYBRID,
                SecurityProtocol.names(PROTOCOL_SSL | PROTOCOL_HYBRID),
                NegotiationAttempt.Outcome.RESPONSE,
                PROTOCOL_HYBRID,
                SecurityProtocol.names(PROTOCOL_HYBRID),
                1,
                List.of(),
                null,
                null,
                null,
                null,
                3,
                null),
            new NegotiationAttempt(
                "SSL",
                PROTOCOL_SSL,
                SecurityProtocol.names(PROTOCOL_SSL),
                NegotiationAttempt.Outcome.FAILURE,
                null,
                null,
                0,
                List.of(),
                5,
                "HYBRID_REQUIRED_BY_SERVER",
                null,
                null,
                3,
                "why"));
    return new Evidence(
        new Target(HOST, server.port(), false, ClientProfile.WINDOWS),
        Instant.now(),
        new DnsEvidence(HOST, DnsEvidence.Status.RESOLVED, List.of(addr), 1, null),
        List.of(new TcpEvidence(addr, server.port(), TcpEvidence.Outcome.OPEN, 1, null)),
        null,
        addr,
        new NegotiationEvidence(addr, attempts),
        null,
        List.of(),
        List.of(),
        5);
  }

  static NlaEvidence nla(NlaEvidence.Outcome outcome) {
    return new NlaEvidence(
        "127.0.0.1:3389",
        "HYBRID",
        NlaEvidence.Status.OK,
        "TLSv1.3",
        6,
        null,
        new NlaEvidence.Logon("LAB\\alice", outcome, null, null, null, "canned", 5),
        null,
        null,
        null,
        20);
  }

  static ProbeContext ctx() {
    return new ProbeContext(
        ProbeListener.NONE, WireTrace.NONE, Duration.ofSeconds(2), Duration.ofSeconds(3));
  }
}

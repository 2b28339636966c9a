package dev.rdpdoctor.probe;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID_EX;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_RDP;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.diagnosis.Diagnoser;
import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsVersionResult;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.testing.FakeRdpServer.ServerTls;
import dev.rdpdoctor.testing.FakeRdpServer.TlsFault;
import dev.rdpdoctor.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole probe run against scripted servers on 127.0.0.1 (a literal: no name is resolved), then
 * the standard diagnosis, so each test pins a server behaviour to the top cause a user would read.
 */
class ProbeEngineTest {
  private static final String LOOPBACK = "127.0.0.1";

  /** Names the loopback literal, so the name check passes and "healthy" is really healthy. */
  private static final TestCertificates.Issued CERT =
      TestCertificates.builder("CN=rdp.example.test")
          .san("DNS:rdp.example.test")
          .san("IP:" + LOOPBACK)
          .build();

  /** Counts starts and ends, to show every probe that started also reported its end. */
  private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();

  private final ProbeListener pairs =
      event -> {
        switch (event) {
          case ProbeEvent.ProbeStarted s ->
              open.computeIfAbsent(s.probe() + " " + s.subject(), k -> new AtomicInteger())
                  .incrementAndGet();
          case ProbeEvent.ProbeFinished f ->
              open.computeIfAbsent(f.probe() + " " + f.subject(), k -> new AtomicInteger())
                  .decrementAndGet();
          case ProbeEvent.ProbeFailed f ->
              open.computeIfAbsent(f.probe() + " " + f.subject(), k -> new AtomicInteger())
                  .decrementAndGet();
          default -> {}
        }
      };

  private static ProbeEngine.ProbeOptions options(Duration probeTimeout) {
    return new ProbeEngine.ProbeOptions(
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        probeTimeout,
        Duration.ofMillis(500),
        true,
        true);
  }

  private Evidence run(int port, ClientProfile profile, Duration probeTimeout) {
    Evidence e =
        new ProbeEngine(options(probeTimeout), TlsProbe::run)
            .run(new Target(LOOPBACK, port, true, profile), pairs, WireTrace.NONE);
    assertThat(open)
        .as("every probe that started ended")
        .allSatisfy((k, v) -> assertThat(v.get()).as(k).isZero());
    return e;
  }

  private static Diagnosis diagnose(Evidence e) {
    return Diagnoser.standard().diagnose(e);
  }

  /** Windows in "negotiate" mode: the strongest protocol offered; RDSTLS/RDSAAD alone refused. */
  private static Answer windowsLike(int requested) {
    if (requested < 0) {
      return Answer.confirmWithoutNegotiation();
    }
    if ((requested & PROTOCOL_HYBRID_EX) != 0) {
      return Answer.select(PROTOCOL_HYBRID_EX);
    }
    if ((requested & PROTOCOL_HYBRID) != 0) {
      return Answer.select(PROTOCOL_HYBRID);
    }
    if ((requested & PROTOCOL_SSL) != 0) {
      return Answer.select(PROTOCOL_SSL);
    }
    if (requested == PROTOCOL_RDP) {
      return Answer.select(PROTOCOL_RDP);
    }
    return Answer.failure(1);
  }

  @Test
  void healthyTlsServer() {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(ProbeEngineTest::windowsLike)
            .tls(ServerTls.of(CERT))
            .start()) {
      Evidence e = run(server.port(), ClientProfile.WINDOWS, Duration.ofSeconds(5));

      assertThat(e.tcp())
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.outcome()).isEqualTo(TcpEvidence.Outcome.OPEN);
                assertThat(t.address()).isEqualTo(LOOPBACK);
              });
      assertThat(e.rdpAddress()).isEqualTo(LOOPBACK);
      assertThat(e.notChecked()).isEmpty();

      List<NegotiationAttempt> attempts = e.negotiation().attempts();
      assertThat(attempts).hasSize(1 + ProbeEngine.PROTOCOLS.length);
      NegotiationAttempt client = e.negotiation().client().orElseThrow();
      assertThat(client.requestedProtocols()).isEqualTo(ClientProfile.WINDOWS.requestedProtocols());
      assertThat(client.outcome()).isEqualTo(Outcome.RESPONSE);
      assertThat(client.selectedProtocol()).isEqualTo(PROTOCOL_HYBRID_EX);
      for (int p : ProbeEngine.PROTOCOLS) {
        NegotiationAttempt a =
            e.negotiation()
                .forProtocol(p)
                .orElseThrow(
                    () -> new AssertionError("no attempt for " + SecurityProtocol.names(p)));
        assertThat(a.label()).isEqualTo(SecurityProtocol.names(p));
        assertThat(a.outcome())
            .as("%s", a)
            .isEqualTo(p == 4 || p == 16 ? Outcome.FAILURE : Outcome.RESPONSE);
      }

      TlsEvidence tls = e.tls();
      assertThat(tls.status())
          .as("%s %s", tls, server.serverErrors())
          .isEqualTo(TlsEvidence.Status.OK);
      assertThat(tls.requestedProtocols()).isEqualTo(ClientProfile.WINDOWS.requestedProtocols());
      assertThat(tls.version()).isEqualTo("TLSv1.3");
      assertThat(tls.chain())
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.commonName()).isEqualTo("rdp.example.test");
                assertThat(c.nameMatches()).isTrue();
                assertThat(c.selfSigned()).isTrue();
              });
      assertThat(
              tls.versions().stream()
                  .collect(Collectors.toMap(TlsVersionResult::version, TlsVersionResult::accepted)))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("TLSv1.0", false, "TLSv1.1", false, "TLSv1.2", true, "TLSv1.3", true));
      assertThat(e.timings()).extracting(t -> t.probe()).contains("tcp", "negotiation", "tls");

      Diagnosis d = diagnose(e);
      assertThat(d.findings().get(0).cause()).as("%s", d.findings()).isEqualTo("healthy");
      assertThat(d.verdict()).isEqualTo(Verdict.OK);
      assertThat(d.findings()).extracting(f -> f.cause()).contains("cert-self-signed");
    }
  }

  @Test
  void closedPortIsRefusedAndNothingElseRuns() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    long t0 = System.nanoTime();
    Evidence e = run(port, ClientProfile.WINDOWS, Duration.ofSeconds(3));

    assertThat(e.tcp())
        .singleElement()
        .satisfies(t -> assertThat(t.outcome()).isEqualTo(TcpEvidence.Outcome.REFUSED));
    assertThat(e.negotiation()).isNull();
    assertThat(e.tls()).isNull();
    assertThat(e.liveness()).as("a refusal proves the host is there").isNull();
    assertThat(e.rdpAddress()).isNull();
    assertThat(e.notChecked())
        .singleElement()
        .asString()
        .contains("RDP negotiation and TLS", "port " + port);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);

    Diagnosis d = diagnose(e);
    assertThat(d.findings().get(0).cause()).isEqualTo("port-closed");
    assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void standardRdpOnlyServerGivesNoTlsAndSaysWhy() {
    try (FakeRdpServer server =
        FakeRdpServer.builder().answer(Answer.select(PROTOCOL_RDP)).start()) {
      Evidence e = run(server.port(), ClientProfile.WINDOWS, Duration.ofSeconds(3));

      NegotiationAttempt client = e.negotiation().client().orElseThrow();
      assertThat(client.outcome()).isEqualTo(Outcome.RESPONSE);
      assertThat(client.selectedProtocol()).isEqualTo(PROTOCOL_RDP);
      assertThat(e.negotiation().attempts())
          .hasSize(1 + ProbeEngine.PROTOCOLS.length)
          .allSatisfy(a -> assertThat(a.selected()).isEqualTo("RDP"));
      assertThat(e.tls()).as("no handshake when no offer got TLS").isNull();
      assertThat(e.notChecked())
          .singleElement()
          .asString()
          .startsWith("TLS and certificate")
          .contains("did not agree to TLS");

      Diagnosis d = diagnose(e);
      assertThat(d.findings().get(0).cause()).isEqualTo("standard-security-only");
      assertThat(d.verdict()).isEqualTo(Verdict.WARN);
    }
  }

  @Test
  void nlaRequiredForAClientWithoutCredSspStillLooksAtTheCertificate() {
    int credSsp = PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX;
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(
                p ->
                    p >= 0 && (p & credSsp) != 0
                        ? Answer.select(PROTOCOL_HYBRID)
                        : Answer.failure(5))
            .tls(ServerTls.of(CERT))
            .start()) {
      Evidence e = run(server.port(), ClientProfile.NO_NLA, Duration.ofSeconds(5));

      NegotiationAttempt client = e.negotiation().client().orElseThrow();
      assertThat(client.requestedProtocols()).isEqualTo(PROTOCOL_SSL);
      assertThat(client.outcome()).isEqualTo(Outcome.FAILURE);
      assertThat(client.failureName()).isEqualTo("HYBRID_REQUIRED_BY_SERVER");
      assertThat(e.negotiation().forProtocol(PROTOCOL_HYBRID).orElseThrow().outcome())
          .isEqualTo(Outcome.RESPONSE);

      // the retry offers every TLS-based protocol, as a client with CredSSP on would
      TlsEvidence tls = e.tls();
      assertThat(tls.requestedProtocols()).isEqualTo(ProbeEngine.ANY_TLS);
      assertThat(tls.status())
          .as("%s %s", tls, server.serverErrors())
          .isEqualTo(TlsEvidence.Status.OK);
      assertThat(tls.chain())
          .singleElement()
          .satisfies(c -> assertThat(c.commonName()).isEqualTo("rdp.example.test"));
      assertThat(server.requestedProtocols()).contains(ProbeEngine.ANY_TLS);

      Diagnosis d = diagnose(e);
      assertThat(d.findings().get(0).cause()).isEqualTo("nla-required");
      assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    }
  }

  static List<Arguments> brokenServers() {
    return List.of(
        Arguments.of(
            "close after the CR",
            (Supplier<Answer>) Answer::close,
            Outcome.CLOSED,
            "server-closed-connection"),
        Arguments.of(
            "reset after the CR",
            (Supplier<Answer>) Answer::reset,
            Outcome.RESET,
            "server-closed-connection"),
        Arguments.of(
            "garbage", (Supplier<Answer>) Answer::garbage, Outcome.NOT_RDP, "not-rdp-service"),
        Arguments.of("HTTP", (Supplier<Answer>) Answer::http, Outcome.NOT_RDP, "not-rdp-service"),
        Arguments.of(
            "TPKT claiming 65535 bytes",
            (Supplier<Answer>) Answer::hugeTpkt,
            Outcome.MALFORMED,
            "not-rdp-service"),
        Arguments.of(
            "silent", (Supplier<Answer>) Answer::silent, Outcome.TIMEOUT, "server-unresponsive"));
  }

  @ParameterizedTest(name = "{0} -> {3}")
  @MethodSource("brokenServers")
  void brokenServerGivesItsCause(
      String name, Supplier<Answer> answer, Outcome outcome, String cause) {
    Duration timeout = Duration.ofMillis(1_000);
    try (FakeRdpServer server = FakeRdpServer.builder().answer(answer.get()).start()) {
      long t0 = System.nanoTime();
      Evidence e = run(server.port(), ClientProfile.WINDOWS, timeout);
      long ms = (System.nanoTime() - t0) / 1_000_000;

      boolean noRdpAnswer = outcome == Outcome.TIMEOUT || outcome == Outcome.NOT_RDP;
      // A server that does not answer the client's own request with RDP is not asked again
      // six times: that only queues connections behind a dead end.
      assertThat(e.negotiation().attempts())
          .as("%s", e.negotiation())
          .hasSize(noRdpAnswer ? 1 : 1 + ProbeEngine.PROTOCOLS.length)
          .allSatisfy(a -> assertThat(a.outcome()).isEqualTo(outcome));
      assertThat(e.tls()).isNull();
      assertThat(e.notChecked())
          .anySatisfy(
              s ->
                  assertThat(s)
                      .startsWith(
                          noRdpAnswer
                              ? "the other security protocols and TLS"
                              : "TLS and certificate"));
      // the client's request, then six on 3 slots: at worst three deadlines in a row
      assertThat(ms).isLessThan(3 * timeout.toMillis() + 2_000);

      Diagnosis d = diagnose(e);
      assertThat(d.findings().get(0).cause()).as("%s", d.findings()).isEqualTo(cause);
      assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    }
  }

  @Test
  void stalledTlsHandshakeIsStillReportedWithEveryVersion() {
    Duration timeout = Duration.ofMillis(1_000);
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(ProbeEngineTest::windowsLike)
            .tlsFault(TlsFault.STALL)
            .start()) {
      long t0 = System.nanoTime();
      Evidence e = run(server.port(), ClientProfile.WINDOWS, timeout);
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(e.negotiation().client().orElseThrow().outcome()).isEqualTo(Outcome.RESPONSE);
      // the TLS probe outlives the negotiations (main handshake, then 4 versions on 3 slots);
      // the engine must wait for it rather than drop the evidence
      TlsEvidence tls = e.tls();
      assertThat(tls).isNotNull();
      assertThat(tls.status()).isEqualTo(TlsEvidence.Status.TIMEOUT);
      assertThat(tls.versions())
          .hasSize(4)
          .allSatisfy(
              v -> {
                assertThat(v.accepted()).isFalse();
                assertThat(v.detail()).startsWith("timeout");
              });
      assertThat(ms).isLessThan(3 * timeout.toMillis() + 2_000);

      Diagnosis d = diagnose(e);
      assertThat(d.findings().get(0).cause()).isEqualTo("tls-handshake-failed");
      assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    }
  }
}

package dev.rdpdoctor.testing;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.probe.ProbeContext;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.RdpConnector;
import dev.rdpdoctor.probe.WireTrace;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fake server's scripts, seen through the real negotiation code others will test with. */
class FakeRdpServerTest {
  private static ProbeContext ctx(Duration probeTimeout) {
    return new ProbeContext(
        ProbeListener.NONE, WireTrace.NONE, Duration.ofSeconds(2), probeTimeout);
  }

  private static NegotiationAttempt negotiate(
      FakeRdpServer server, int requested, Duration timeout) {
    return RdpConnector.negotiate(
            server.address(), server.port(), "client", requested, ctx(timeout), false)
        .attempt();
  }

  static Stream<Arguments> scripts() {
    return Stream.of(
        Arguments.of(
            "select SSL", (Supplier<Answer>) () -> Answer.select(PROTOCOL_SSL), Outcome.RESPONSE),
        Arguments.of("failure 5", (Supplier<Answer>) () -> Answer.failure(5), Outcome.FAILURE),
        Arguments.of(
            "legacy",
            (Supplier<Answer>) Answer::confirmWithoutNegotiation,
            Outcome.NO_NEGOTIATION_DATA),
        Arguments.of("close", (Supplier<Answer>) Answer::close, Outcome.CLOSED),
        Arguments.of("reset", (Supplier<Answer>) Answer::reset, Outcome.RESET),
        Arguments.of("garbage", (Supplier<Answer>) Answer::garbage, Outcome.NOT_RDP),
        Arguments.of("http", (Supplier<Answer>) Answer::http, Outcome.NOT_RDP),
        Arguments.of("ssh", (Supplier<Answer>) Answer::sshBanner, Outcome.NOT_RDP),
        Arguments.of("huge tpkt", (Supplier<Answer>) Answer::hugeTpkt, Outcome.MALFORMED),
        Arguments.of("silent", (Supplier<Answer>) Answer::silent, Outcome.TIMEOUT),
        Arguments.of(
            "trickle",
            (Supplier<Answer>) () -> Answer.trickle(PROTOCOL_SSL, Duration.ofMillis(300)),
            Outcome.TIMEOUT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scripts")
  void eachScriptProducesItsOutcome(String name, Supplier<Answer> answer, Outcome expected) {
    try (FakeRdpServer server = FakeRdpServer.builder().answer(answer.get()).start()) {
      NegotiationAttempt a =
          negotiate(server, PROTOCOL_SSL | PROTOCOL_HYBRID, Duration.ofMillis(1500));

      assertThat(a.outcome()).as("%s", a).isEqualTo(expected);
      assertThat(a.millis()).isLessThan(3000);
      assertThat(server.requestedProtocols()).containsExactly(PROTOCOL_SSL | PROTOCOL_HYBRID);
    }
  }

  @Test
  void answerCanFollowTheClientsOffer() {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(
                req ->
                    (req & PROTOCOL_HYBRID) != 0
                        ? Answer.select(PROTOCOL_HYBRID)
                        : Answer.failure(5))
            .start()) {
      NegotiationAttempt withNla =
          negotiate(server, PROTOCOL_SSL | PROTOCOL_HYBRID, Duration.ofSeconds(4));
      NegotiationAttempt tlsOnly = negotiate(server, PROTOCOL_SSL, Duration.ofSeconds(4));

      assertThat(withNla.selected()).isEqualTo("HYBRID");
      assertThat(tlsOnly.failureName()).isEqualTo("HYBRID_REQUIRED_BY_SERVER");
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void closeStopsAcceptingAndDropsOpenConnections() {
    FakeRdpServer server = FakeRdpServer.builder().answer(Answer.silent()).start();
    int port = server.port();
    long t0 = System.nanoTime();
    Thread closer =
        Thread.ofVirtual()
            .start(
                () -> {
                  // close only once the request was read: closing over unread input would send RST
                  while (server.requestedProtocols().isEmpty()
                      && !Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                  }
                  server.close();
                });
    NegotiationAttempt a = negotiate(server, PROTOCOL_SSL, Duration.ofSeconds(10));

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.CLOSED);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
    assertThat(
            RdpConnector.negotiate(
                    server.address(),
                    port,
                    "client",
                    PROTOCOL_SSL,
                    ctx(Duration.ofSeconds(2)),
                    false)
                .attempt()
                .outcome())
        .isEqualTo(Outcome.CONNECT_FAILED);
    closer.interrupt();
  }
}

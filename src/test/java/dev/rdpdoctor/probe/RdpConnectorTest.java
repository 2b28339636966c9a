package dev.rdpdoctor.probe;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID_EX;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.probe.event.RunClock;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.RdpNegotiation;
import dev.rdpdoctor.wire.X224ConnectionConfirm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One X.224 negotiation against a scripted server per outcome the connector can report, and the
 * bounds it promises: a lying TPKT length is not waited for, a trickling server does not outlive
 * the deadline, and the connection slots cap how many sockets a run holds open.
 */
class RdpConnectorTest {
  private static final int OFFER = PROTOCOL_SSL | PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX;

  private static ProbeContext ctx(Duration probeTimeout) {
    return new ProbeContext(
        ProbeListener.NONE, WireTrace.NONE, Duration.ofSeconds(2), probeTimeout);
  }

  private static NegotiationAttempt negotiate(FakeRdpServer server, Duration probeTimeout) {
    return RdpConnector.negotiate(
            server.address(), server.port(), "client", OFFER, ctx(probeTimeout), false)
        .attempt();
  }

  private static NegotiationAttempt negotiate(Answer answer) {
    try (FakeRdpServer server = FakeRdpServer.builder().answer(answer).start()) {
      NegotiationAttempt a = negotiate(server, Duration.ofSeconds(5));
      assertThat(server.requestedProtocols()).as("what the server read").containsExactly(OFFER);
      return a;
    }
  }

  @Test
  void selectedProtocolAndFlagNames() {
    int flags =
        RdpNegotiation.EXTENDED_CLIENT_DATA_SUPPORTED
            | RdpNegotiation.DYNVC_GFX_PROTOCOL_SUPPORTED
            | RdpNegotiation.RESTRICTED_ADMIN_MODE_SUPPORTED;
    NegotiationAttempt a = negotiate(Answer.select(PROTOCOL_HYBRID, flags));

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.RESPONSE);
    assertThat(a.answered()).isTrue();
    assertThat(a.label()).isEqualTo("client");
    assertThat(a.requestedProtocols()).isEqualTo(OFFER);
    assertThat(a.requested()).isEqualTo("SSL|HYBRID|HYBRID_EX");
    assertThat(a.selectedProtocol()).isEqualTo(PROTOCOL_HYBRID);
    assertThat(a.selected()).isEqualTo("HYBRID");
    assertThat(a.flags()).isEqualTo(flags);
    assertThat(a.flagNames())
        .containsExactly(
            "EXTENDED_CLIENT_DATA_SUPPORTED",
            "DYNVC_GFX_PROTOCOL_SUPPORTED",
            "RESTRICTED_ADMIN_MODE_SUPPORTED");
    assertThat(a.failureCode()).isNull();
    // the whole 19-byte confirm, as the server sent it
    assertThat(a.firstBytes()).isEqualTo("030000130ed00000123400" + "020b080002000000");
    assertThat(a.detail()).isNull();
  }

  @ParameterizedTest(name = "failure {0} -> {1}")
  @CsvSource({
    "1, SSL_REQUIRED_BY_SERVER",
    "2, SSL_NOT_ALLOWED_BY_SERVER",
    "3, SSL_CERT_NOT_ON_SERVER",
    "4, INCONSISTENT_FLAGS",
    "5, HYBRID_REQUIRED_BY_SERVER",
    "6, SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER",
    "127, UNKNOWN(0x7f)",
    "-559038737, UNKNOWN(0xdeadbeef)",
  })
  void everyFailureCodeIsNamed(int code, String name) {
    NegotiationAttempt a = negotiate(Answer.failure(code));

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.FAILURE);
    assertThat(a.failureCode()).isEqualTo(code);
    assertThat(a.failureName()).isEqualTo(name);
    assertThat(a.selectedProtocol()).isNull();
    assertThat(a.detail()).isNotBlank();
    assertThat(a.firstBytes()).startsWith("030000130ed00000123400" + "03000800");
  }

  @Test
  void legacyConfirmWithoutNegotiationData() {
    NegotiationAttempt a = negotiate(Answer.confirmWithoutNegotiation());

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.NO_NEGOTIATION_DATA);
    assertThat(a.answered()).isTrue();
    assertThat(a.selectedProtocol()).isNull();
    assertThat(a.failureCode()).isNull();
    assertThat(a.firstBytes()).isEqualTo("0300000b06d00000123400");
    assertThat(a.detail()).contains("legacy");
  }

  @Test
  void finRightAfterTheRequestIsClosed() {
    NegotiationAttempt a = negotiate(Answer.close());

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.CLOSED);
    assertThat(a.dropped()).isTrue();
    assertThat(a.firstBytes()).isNull();
    assertThat(a.detail()).contains("FIN");
  }

  @Test
  void rstRightAfterTheRequestIsReset() {
    NegotiationAttempt a = negotiate(Answer.reset());

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.RESET);
    assertThat(a.dropped()).isTrue();
    assertThat(a.firstBytes()).isNull();
  }

  @Test
  void garbageIsNotRdpWithItsFirstBytes() {
    NegotiationAttempt a = negotiate(Answer.garbage());

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.NOT_RDP);
    assertThat(a.firstBytes()).isEqualTo("deadbeef007f133742429901");
    assertThat(a.peerProtocol()).isEqualTo("unrecognised bytes");
    assertThat(a.answered()).isFalse();
  }

  @Test
  void httpIsRecognised() {
    NegotiationAttempt a = negotiate(Answer.http());

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.NOT_RDP);
    assertThat(a.peerProtocol()).isEqualTo("HTTP");
    assertThat(a.firstBytes()).startsWith("485454502f312e31"); // "HTTP/1.1"
    // capped: the 66-byte page is kept to its first 64 bytes
    assertThat(a.firstBytes()).hasSize(2 * RdpConnector.MAX_SNIFF_BYTES);
  }

  @Test
  void sshBannerIsRecognised() {
    NegotiationAttempt a = negotiate(Answer.sshBanner());

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.NOT_RDP);
    assertThat(a.peerProtocol()).isEqualTo("SSH");
    assertThat(a.firstBytes()).isEqualTo("5353482d322e302d4f70656e5353485f392e360d0a");
  }

  @Test
  void tpktClaiming65535BytesIsMalformedAtOnce() {
    try (FakeRdpServer server = FakeRdpServer.builder().answer(Answer.hugeTpkt()).start()) {
      long t0 = System.nanoTime();
      NegotiationAttempt a = negotiate(server, Duration.ofSeconds(5));
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.MALFORMED);
      assertThat(a.firstBytes()).isEqualTo("0300ffff");
      assertThat(a.detail()).contains("65535");
      // the server sends the header and then holds the socket: waiting for the body would
      // take the whole 5 s deadline
      assertThat(ms).isLessThan(2_000);
    }
  }

  @Test
  void tricklingConfirmEndsAtTheDeadline() {
    Duration deadline = Duration.ofSeconds(1);
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(Answer.trickle(PROTOCOL_SSL, Duration.ofMillis(300)))
            .start()) {
      long t0 = System.nanoTime();
      NegotiationAttempt a = negotiate(server, deadline);
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.TIMEOUT);
      // a valid 19-byte confirm at 300 ms a byte would take 5.7 s
      assertThat(ms).isGreaterThanOrEqualTo(900).isLessThan(deadline.toMillis() + 1_000);
      // bytes at 300, 600 and 900 ms arrived before the 1 s deadline
      assertThat(a.firstBytes()).startsWith("03");
      assertThat(a.detail()).isEqualTo("the answer stopped arriving after 3 bytes");
    }
  }

  @Test
  void silentServerTimesOut() {
    try (FakeRdpServer server = FakeRdpServer.builder().answer(Answer.silent()).start()) {
      long t0 = System.nanoTime();
      NegotiationAttempt a = negotiate(server, Duration.ofMillis(800));
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.TIMEOUT);
      assertThat(a.firstBytes()).isNull();
      assertThat(a.detail()).isEqualTo("no answer to the X.224 request before the deadline");
      assertThat(ms).isGreaterThanOrEqualTo(700).isLessThan(1_800);
      assertThat(server.requestedProtocols()).containsExactly(OFFER);
    }
  }

  @Test
  void closedPortIsConnectFailed() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProbeContext ctx = ctx(Duration.ofSeconds(3));
    long t0 = System.nanoTime();
    NegotiationAttempt a =
        RdpConnector.negotiate(InetAddress.getLoopbackAddress(), port, "client", OFFER, ctx, true)
            .attempt();

    assertThat(a.outcome()).as("%s", a).isEqualTo(Outcome.CONNECT_FAILED);
    assertThat(a.detail()).startsWith("TCP refused");
    assertThat(a.firstBytes()).isNull();
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
    // the slot was given back
    assertThat(ctx.connectionSlots().availablePermits())
        .isEqualTo(ProbeContext.MAX_CONCURRENT_CONNECTIONS);
  }

  @Test
  void keptOpenSocketOnlyForAResponseAndItHoldsTheSlotUntilClosed() {
    try (FakeRdpServer server =
        FakeRdpServer.builder().answer(Answer.select(PROTOCOL_SSL)).start()) {
      ProbeContext ctx = ctx(Duration.ofSeconds(3));
      RdpConnector.Negotiated n =
          RdpConnector.negotiate(server.address(), server.port(), "tls", PROTOCOL_SSL, ctx, true);
      assertThat(n.attempt().outcome()).isEqualTo(Outcome.RESPONSE);
      assertThat(n.socket()).isNotNull();
      assertThat(ctx.connectionSlots().availablePermits()).isEqualTo(2);
      n.socket().close();
      n.socket().close(); // twice: the slot is released once
      assertThat(ctx.connectionSlots().availablePermits()).isEqualTo(3);
    }
  }

  @Test
  void connectionSlotsBoundConcurrency() throws Exception {
    Duration timeout = Duration.ofMillis(1_200);
    ProbeContext ctx =
        new ProbeContext(
            ProbeListener.NONE,
            RunClock.SYSTEM,
            Duration.ofSeconds(2),
            timeout,
            new Semaphore(3, true),
            Deadline.in(timeout.multipliedBy(6)));
    try (FakeRdpServer server = FakeRdpServer.builder().answer(Answer.silent()).start()) {
      long t0 = System.nanoTime();
      List<Future<NegotiationAttempt>> futures = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        futures.add(
            Threads.submit(
                () ->
                    RdpConnector.negotiate(
                            server.address(), server.port(), "client", OFFER, ctx, false)
                        .attempt()));
      }
      // half way through the first wave: three held, the other three queued, not connected
      Thread.sleep(timeout.toMillis() / 2);
      assertThat(server.connections()).isEqualTo(3);
      assertThat(server.openConnections()).isEqualTo(3);

      List<NegotiationAttempt> attempts = new ArrayList<>();
      for (Future<NegotiationAttempt> f : futures) {
        attempts.add(f.get(10, java.util.concurrent.TimeUnit.SECONDS));
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;

      // every one of the six ran against the server, each with its own full deadline
      assertThat(attempts)
          .as("%s", attempts)
          .allSatisfy(
              a -> {
                assertThat(a.outcome()).isEqualTo(Outcome.TIMEOUT);
                assertThat(a.detail())
                    .isEqualTo("no answer to the X.224 request before the deadline");
              });
      assertThat(server.connections()).isEqualTo(6);
      assertThat(server.requestedProtocols()).hasSize(6);
      assertThat(server.peakOpenConnections()).isEqualTo(3);
      assertThat(ctx.connectionSlots().availablePermits()).isEqualTo(3);
      // two waves of one deadline each, not six
      assertThat(ms).isLessThan(2 * timeout.toMillis() + 2_000);
    }
  }

  static Stream<Path> corpus() throws IOException, URISyntaxException {
    Path dir = Path.of(RdpConnectorTest.class.getResource("/corpus/x224-confirm").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList().stream();
    }
  }

  /**
   * The decoder corpus over a real socket: the server sends the file's bytes, then FIN. The
   * connector must end promptly with the outcome the decoder implies, and keep as evidence only
   * bytes that were really sent.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void corpusRepliesOverTheWire(Path file) throws IOException {
    String sentHex = Files.readString(file).replaceAll("#.*", "").replaceAll("\\s+", "");
    byte[] sent = Hex.parse(sentHex);
    boolean decodes;
    try {
      X224ConnectionConfirm.decode(sent);
      decodes = true;
    } catch (MalformedPduException e) {
      decodes = false;
    }
    try (FakeRdpServer server = FakeRdpServer.builder().answer(Answer.bytes(sent)).start()) {
      long t0 = System.nanoTime();
      NegotiationAttempt a = negotiate(server, Duration.ofSeconds(5));
      long ms = (System.nanoTime() - t0) / 1_000_000;

      assertThat(ms).as("%s", a).isLessThan(2_000);
      if (decodes) {
        assertThat(a.answered()).as("%s", a).isTrue();
      } else {
        assertThat(a.outcome())
            .as("%s", a)
            .isIn(Outcome.MALFORMED, Outcome.CLOSED, Outcome.DISCONNECTED);
        assertThat(a.detail()).isNotBlank();
      }
      if (sent.length == 0) {
        assertThat(a.firstBytes()).isNull();
      } else {
        assertThat(sentHex).startsWith(a.firstBytes());
      }
    }
  }
}

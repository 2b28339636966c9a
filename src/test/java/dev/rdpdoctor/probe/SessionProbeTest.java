package dev.rdpdoctor.probe;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.SessionEvidence.Status;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.testing.FakeRdpServer.ServerTls;
import dev.rdpdoctor.testing.FakeRdpServer.TlsScript;
import dev.rdpdoctor.testing.TestCertificates;
import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.McsDisconnectProviderUltimatum;
import dev.rdpdoctor.wire.session.SessionPduTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session probe against a scripted server: the MCS steps answer with xrdp's captured bytes,
 * then each script plays what no lab peer does (a Windows-style Set Error Info, a silent close, a
 * hostile length). Every run must end with evidence, in bounded time.
 */
class SessionProbeTest {
  static final String HOST = "rdp.example.test";

  /** STATUS_VALID_CLIENT licensing PDU ([MS-RDPBCGR] 2.2.1.12.1.3, 4.1.12 layout). */
  static final byte[] VALID_CLIENT = Hex.parse("80000000ff031000070000000200000004000000");

  /** Plays xrdp's answers up to the channel joins, reading each client PDU first. */
  static final class Xrdp {
    final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
    private final InputStream in;
    private final OutputStream out;

    Xrdp(InputStream in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    byte[] read() throws IOException {
      byte[] h = in.readNBytes(4);
      if (h.length < 4) {
        throw new IOException("client closed");
      }
      int len = (h[2] & 0xFF) << 8 | (h[3] & 0xFF);
      byte[] body = in.readNBytes(len - 4);
      byte[] pdu = new byte[len];
      System.arraycopy(h, 0, pdu, 0, 4);
      System.arraycopy(body, 0, pdu, 4, body.length);
      received.add(pdu);
      return pdu;
    }

    void send(byte[] pdu) throws IOException {
      out.write(pdu);
      out.flush();
    }

    void upToClientInfo() throws Exception {
      read(); // Connect Initial
      send(SessionPduTest.fixture("xrdp-connect-response-tls.hex"));
      read(); // Erect Domain
      read(); // Attach User Request
      send(SessionPduTest.fixture("xrdp-attach-user-confirm.hex"));
      read();
      send(SessionPduTest.fixture("xrdp-channel-join-confirm-user.hex"));
      read();
      send(SessionPduTest.fixture("xrdp-channel-join-confirm-io.hex"));
      read(); // Client Info
    }

    /** Reads until the client closes, so its goodbye is recorded. */
    void drain() {
      try {
        for (int i = 0; i < 4; i++) {
          read();
        }
      } catch (IOException done) {
        // the client hung up: that is the end of the script
      }
    }
  }

  interface Play {
    void play(Xrdp x) throws Exception;
  }

  static SessionEvidence run(Play play, List<byte[]> received) {
    return runTraced(play, received, null);
  }

  @Test
  void validClientThenDemandActiveIsAcceptedAndEndsWithAGoodbye() {
    List<byte[]> got = Collections.synchronizedList(new ArrayList<>());
    SessionEvidence e =
        run(
            x -> {
              x.upToClientInfo();
              x.send(SessionPduTest.indication(VALID_CLIENT));
              x.send(SessionPduTest.indication(SessionPduTest.demandActive()));
              x.drain();
            },
            got);
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.DEMAND_ACTIVE);
    assertThat(e.reached()).isEqualTo("Demand Active");
    assertThat(e.licensing()).isEqualTo("STATUS_VALID_CLIENT");
    assertThat(e.shareId()).isEqualTo(0x103EA);
    assertThat(e.capabilityTypes()).containsExactly("General", "Share");
    assertThat(e.steps().stream().map(SessionEvidence.Step::name))
        .containsSubsequence(
            "X.224",
            "TLS",
            "MCS Connect Response",
            "MCS Attach User Confirm",
            "Client Info",
            "Licensing",
            "Demand Active");
    assertThat(e.errorInfo()).isNull();
    byte[] last = got.get(got.size() - 1);
    assertThat(last).isEqualTo(new McsDisconnectProviderUltimatum(3).encode());
  }

  @Test
  void setErrorInfoThenDisconnectReproducesTheMstscPair() {
    SessionEvidence e =
        run(
            x -> {
              x.upToClientInfo();
              x.send(SessionPduTest.indication(VALID_CLIENT));
              x.send(SessionPduTest.indication(SessionPduTest.setErrorInfo(0x7)));
              x.send(new McsDisconnectProviderUltimatum(1).encode());
            },
            new ArrayList<>());
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.ERROR_INFO);
    assertThat(e.errorInfo()).isEqualTo(7);
    assertThat(e.errorInfoName()).isEqualTo("SERVER_DENIED_CONNECTION");
    assertThat(e.mstscCodes()).isEqualTo("0x904 / extended 0x7");
    assertThat(e.reached()).isEqualTo("MCS Disconnect Provider Ultimatum");
  }

  @Test
  void setErrorInfoThenTcpCloseStillReportsTheError() {
    SessionEvidence e =
        run(
            x -> {
              x.upToClientInfo();
              x.send(SessionPduTest.indication(SessionPduTest.setErrorInfo(0x9)));
            },
            new ArrayList<>());
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.ERROR_INFO);
    assertThat(e.errorInfoName()).isEqualTo("SERVER_INSUFFICIENT_PRIVILEGES");
    assertThat(e.mstscCodes()).isEqualTo("0x904 / extended 0x9");
  }

  @Test
  void silentCloseAfterClientInfoNamesTheStep() {
    SessionEvidence e = run(Xrdp::upToClientInfo, new ArrayList<>());
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.CLOSED);
    assertThat(e.reached()).isEqualTo("Client Info");
    assertThat(e.detail()).contains("closed");
    assertThat(e.errorInfo()).isNull();
  }

  @Test
  void closeBeforeTheConnectResponseIsAClose() {
    SessionEvidence e = run(x -> x.read(), new ArrayList<>());
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.CLOSED);
    assertThat(e.reached()).isEqualTo("TLS");
    assertThat(e.detail()).contains("MCS Connect Response");
  }

  @Test
  void hostileLengthIsMalformedNotAHang() {
    long t0 = System.nanoTime();
    SessionEvidence e =
        run(
            x -> {
              x.upToClientInfo();
              x.send(new byte[] {3, 0, (byte) 0xFF, (byte) 0xFF, 2, (byte) 0xF0, (byte) 0x80});
              x.drain();
            },
            new ArrayList<>());
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.MALFORMED);
    assertThat(e.detail()).contains("beyond cap");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void endlessChatterStopsAtThePduCap() {
    SessionEvidence e =
        run(
            x -> {
              x.upToClientInfo();
              x.send(SessionPduTest.indication(VALID_CLIENT));
              for (int i = 0; i < SessionProbe.MAX_SERVER_PDUS + 5; i++) {
                x.send(SessionPduTest.indication(SessionPduTest.setErrorInfo(0)));
              }
              x.drain();
            },
            new ArrayList<>());
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.MALFORMED);
    assertThat(e.detail()).contains(SessionProbe.MAX_SERVER_PDUS + " server PDUs");
  }

  @Test
  void silentServerTimesOutWithinTheDeadline() {
    long t0 = System.nanoTime();
    SessionEvidence e =
        run(
            x -> {
              x.read();
              Thread.sleep(4_000);
            },
            new ArrayList<>());
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
  }

  @Test
  void licenseRequestIsAnsweredThenXrdpsValidClientAndDemandActive() {
    List<byte[]> got = Collections.synchronizedList(new ArrayList<>());
    SessionEvidence e =
        run(
            x -> {
              x.upToClientInfo();
              x.send(SessionPduTest.fixture("xrdp-license-request.hex"));
              x.read(); // the New License Request
              x.send(SessionPduTest.fixture("xrdp-valid-client.hex"));
              x.send(SessionPduTest.fixture("xrdp-demand-active.hex"));
              x.drain();
            },
            got);
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.DEMAND_ACTIVE);
    assertThat(e.capabilityCount()).isEqualTo(10);
    assertThat(e.steps().stream().map(SessionEvidence.Step::name))
        .containsSubsequence("Licensing", "New License Request", "Licensing", "Demand Active");
    byte[] request = got.get(6);
    // security header SEC_LICENSE_PKT then bMsgType NEW_LICENSE_REQUEST, inside Send Data
    assertThat(request[7] & 0xFF).isEqualTo(25 << 2);
    assertThat(request[15] & 0xFF).isEqualTo(0x80);
    assertThat(request[19] & 0xFF).isEqualTo(0x13);
  }

  @Test
  void platformChallengeStopsAtLicensing() {
    SessionEvidence e =
        run(
            x -> {
              x.upToClientInfo();
              x.send(SessionPduTest.fixture("xrdp-license-request.hex"));
              x.read();
              // a licensing server's next step: PLATFORM_CHALLENGE (only its preamble matters here)
              x.send(SessionPduTest.indication(Hex.parse("8000000002030800" + "00000000")));
              x.drain();
            },
            new ArrayList<>());
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.LICENSING);
    assertThat(e.licensing()).isEqualTo("PLATFORM_CHALLENGE");
  }

  @Test
  void aLicensingKeyWithExponentZeroIsMalformedNotAnException() throws Exception {
    byte[] request = withPublicExponentZero(SessionPduTest.fixture("xrdp-license-request.hex"));
    SessionEvidence e =
        run(
            x -> {
              x.upToClientInfo();
              x.send(request);
              x.drain();
            },
            new ArrayList<>());
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.MALFORMED);
    assertThat(e.detail()).contains("licensing key").contains("public exponent 0");
  }

  /** The PDU with the pubExp of its RSA1 public key ([MS-RDPBCGR] 2.2.1.4.3.1.1.1) zeroed. */
  static byte[] withPublicExponentZero(byte[] pdu) {
    byte[] rsa1 = {'R', 'S', 'A', '1'};
    for (int i = 0; i + 20 <= pdu.length; i++) {
      if (java.util.Arrays.equals(pdu, i, i + 4, rsa1, 0, 4)) {
        byte[] out = pdu.clone();
        java.util.Arrays.fill(out, i + 16, i + 20, (byte) 0);
        return out;
      }
    }
    throw new AssertionError("no RSA1 key in the PDU");
  }

  @Test
  void aBrokersRedirectionEndsTheSequenceWithItsTargetAndItsCookieNeverShows() {
    byte[] packet = dev.rdpdoctor.wire.session.ServerRedirectionPacketTest.broker().bytes();
    byte[] pdu =
        SessionPduTest.indication(
            dev.rdpdoctor.wire.session.ServerRedirectionPacketTest.enhanced(packet, true));
    List<byte[]> got = Collections.synchronizedList(new ArrayList<>());
    java.io.ByteArrayOutputStream traced = new java.io.ByteArrayOutputStream();
    SessionEvidence e =
        runTraced(
            x -> {
              x.upToClientInfo();
              x.send(SessionPduTest.indication(VALID_CLIENT));
              x.send(pdu);
              x.drain();
            },
            got,
            traced);
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.REDIRECTED);
    assertThat(e.redirect().target()).isEqualTo("rdsh02.corp.example");
    assertThat(e.redirect().targetNetAddresses()).containsExactly("10.0.0.21", "fe80::21");
    assertThat(e.redirect().loadBalanceInfo())
        .isEqualTo("tsv://MS Terminal Services Plugin.1.Desktops");
    assertThat(e.redirect().account()).isEqualTo("CORP\\alice");
    assertThat(e.redirect().passwordCookie()).isTrue();
    assertThat(e.detail()).contains("redirected the session to rdsh02.corp.example (10.0.0.21)");
    assertThat(e.steps().stream().map(SessionEvidence.Step::name))
        .containsSubsequence("Client Info", "Licensing", "Server Redirection");
    // the cookie may be a password: not in the evidence, not in the trace, as text or hex
    String cookie = dev.rdpdoctor.wire.session.ServerRedirectionPacketTest.COOKIE;
    String trace = traced.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(e.toString()).doesNotContain(cookie);
    assertThat(trace)
        .contains("Server Redirection PDU (")
        .contains("contents withheld")
        .doesNotContain(hexOf(cookie.substring(0, 6)))
        .doesNotContain("B.r.o.k")
        .doesNotContain("r.d.s.h.0.2");
    // the Connect Initial told the server we follow redirections: CS_CLUSTER, flags 0x11
    assertThat(
            dev.rdpdoctor.testing.Bytes.indexOf(got.get(0), Hex.parse("04c00c001100000000000000")))
        .isPositive();
  }

  static String hexOf(String s) {
    StringBuilder b = new StringBuilder();
    for (byte x : s.getBytes(java.nio.charset.StandardCharsets.UTF_16LE)) {
      b.append(String.format("%02x ", x));
    }
    return b.toString().strip();
  }

  /** With {@code traced} non-null, the probe's --trace output lands there. */
  static SessionEvidence runTraced(
      Play play, List<byte[]> received, java.io.ByteArrayOutputStream traced) {
    // the scripted server records what it read on its own thread; wait for it to finish so a
    // test never looks at the list before the server's last read is in it
    java.util.concurrent.CountDownLatch played = new java.util.concurrent.CountDownLatch(1);
    TlsScript script =
        (in, out) -> {
          Xrdp x = new Xrdp(in, out);
          try {
            play.play(x);
          } finally {
            received.addAll(x.received);
            played.countDown();
          }
        };
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(p -> Answer.select(PROTOCOL_SSL))
            .tls(ServerTls.of(TestCertificates.selfSigned(HOST)))
            .afterTls(script)
            .start()) {
      WireTrace trace =
          traced == null
              ? WireTrace.NONE
              : WireTrace.to(
                  new java.io.PrintStream(traced, true, java.nio.charset.StandardCharsets.UTF_8),
                  4096);
      ProbeContext ctx =
          new ProbeContext(ProbeListener.NONE, trace, Duration.ofSeconds(2), Duration.ofSeconds(3));
      SessionEvidence e = SessionProbe.run(server.address(), server.port(), HOST, ctx);
      try {
        played.await(5, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return e;
    }
  }
}

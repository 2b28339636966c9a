package dev.rdpdoctor.probe;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_RDP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.SessionEvidence.Status;
import dev.rdpdoctor.probe.SessionProbe.Security;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.testing.StandardSecurityPeer;
import dev.rdpdoctor.testing.XrdpLabKey;
import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.McsConnectResponse;
import dev.rdpdoctor.wire.security.SecurityExchangePdu;
import dev.rdpdoctor.wire.session.ClientInfoPdu;
import dev.rdpdoctor.wire.session.McsSendData;
import dev.rdpdoctor.wire.session.SessionPduTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The session probe under Standard RDP Security against a scripted server that speaks with xrdp's
 * captured bytes (its Connect Response at level High, with the lab key pair) and opens the client's
 * Security Exchange with that key's private half. What it sends back is made by {@link
 * StandardSecurityPeer}, the JDK-only second implementation of 5.3, so the happy path proves the
 * probe and an independent server agree on keys, MACs and RC4 state; the other scripts play what no
 * lab peer does (wrong keys, an impossible SC_SECURITY, a silent close).
 */
class StandardSessionProbeTest {
  static final String HOST = "rdp.example.test";
  static final byte[] VALID_CLIENT = SessionProbeTest.VALID_CLIENT;
  static final String HIGH = "xrdp-high-128bit-";

  interface Play {
    void play(SessionProbeTest.Xrdp x) throws Exception;
  }

  @Test
  void anIndependentServerReadsTheClientInfoAndItsDemandActiveIsAccepted() {
    AtomicReference<byte[]> info = new AtomicReference<>();
    SessionEvidence e =
        run(
            Answer.select(PROTOCOL_RDP),
            x -> {
              StandardSecurityPeer peer = upToSecurityExchange(x, security("connect-response.hex"));
              info.set(peer.readFromClient(McsSendData.decode(x.read()).data()));
              x.send(SessionPduTest.indication(VALID_CLIENT));
              x.send(
                  SessionPduTest.indication(
                      peer.writeToClient(SessionPduTest.demandActive(), true)));
              x.drain();
            });
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.DEMAND_ACTIVE);
    assertThat(e.security())
        .isEqualTo("Standard RDP Security, 128-bit RC4, level High (both directions)");
    assertThat(info.get())
        .as("the Client Info the server decrypted, MAC checked")
        .isEqualTo(ClientInfoPdu.probe().infoPacket());
    assertThat(e.capabilityTypes()).containsExactly("General", "Share");
    assertThat(e.steps().stream().map(SessionEvidence.Step::name))
        .containsSubsequence(
            "X.224",
            "MCS Connect Response",
            "MCS Channel Join Confirm 1003",
            "Security Exchange",
            "Client Info",
            "Licensing",
            "Demand Active");
    assertThat(e.steps().stream().map(SessionEvidence.Step::name)).doesNotContain("TLS");
    assertThat(e.steps().get(0).detail()).isEqualTo("RDP");
  }

  @Test
  void aServerThatNeverNegotiatesGetsTheSameSequence() {
    SessionEvidence e =
        run(
            Answer.legacyConfirmThenScript(),
            x -> {
              StandardSecurityPeer peer = upToSecurityExchange(x, security("connect-response.hex"));
              peer.readFromClient(McsSendData.decode(x.read()).data());
              x.send(SessionPduTest.indication(VALID_CLIENT));
              x.send(
                  SessionPduTest.indication(
                      peer.writeToClient(SessionPduTest.demandActive(), false)));
              x.drain();
            });
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.DEMAND_ACTIVE);
    assertThat(e.steps().get(0).detail()).isEqualTo("legacy confirm (no negotiation data)");
  }

  @Test
  void aStandardSecurityRedirectionIsDecryptedAndNamesItsTarget() {
    byte[] packet = dev.rdpdoctor.wire.session.ServerRedirectionPacketTest.broker().bytes();
    SessionEvidence e =
        run(
            x -> {
              StandardSecurityPeer peer = upToSecurityExchange(x, security("connect-response.hex"));
              peer.readFromClient(McsSendData.decode(x.read()).data());
              x.send(
                  SessionPduTest.indication(
                      peer.writeToClient(
                          packet,
                          false,
                          dev.rdpdoctor.wire.session.ServerRedirectionPacket.SEC_REDIRECTION_PKT)));
              x.drain();
            });
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.REDIRECTED);
    assertThat(e.redirect().target()).isEqualTo("rdsh02.corp.example");
    assertThat(e.reached()).isEqualTo("Server Redirection");
  }

  @Test
  void aPduUnderOtherKeysIsAMacMismatchNotASession() {
    // xrdp's captured Demand Active was encrypted for another client random
    SessionEvidence e =
        run(
            x -> {
              upToSecurityExchange(x, security("connect-response.hex"));
              x.read(); // Client Info
              x.send(security("demand-active.hex"));
              x.drain();
            });
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.MALFORMED);
    assertThat(e.detail()).contains("MAC mismatch");
    assertThat(e.reached()).isEqualTo("Client Info");
  }

  @Test
  void anImpossibleMethodAndLevelPairIsTheServersFault() throws Exception {
    byte[] cr = security("connect-response.hex");
    int at = scSecurity(cr);
    cr[at + 8] = 0; // encryptionLevel NONE with a 128-bit method: 5.3.2 forbids it
    SessionEvidence e =
        run(
            x -> {
              x.read();
              x.send(cr);
              x.drain();
            });
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.MALFORMED);
    assertThat(e.detail()).contains("SC_SECURITY is not a valid choice");
  }

  @Test
  void aKeyWithExponentZeroStopsBeforeTheSecurityExchange() throws Exception {
    byte[] cr = SessionProbeTest.withPublicExponentZero(security("connect-response.hex"));
    java.util.List<byte[]> got =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    SessionEvidence e =
        run(
            x -> {
              x.read();
              x.send(cr);
              x.drain();
              got.addAll(x.received);
            });
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.MALFORMED);
    assertThat(e.detail())
        .isEqualTo("the server's RSA key cannot take the client random:" + " public exponent 0");
    // the Connect Initial, then only the goodbye: nothing was encrypted to that key
    assertThat(got).hasSize(2);
  }

  @Test
  void aServerThatCannotReadTheClientInfoClosesAndTheStepIsNamed() {
    SessionEvidence e =
        run(
            x -> {
              upToSecurityExchange(x, security("connect-response.hex"));
              x.read(); // Client Info; then hang up, as a server with other keys would
            });
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.CLOSED);
    assertThat(e.reached()).isEqualTo("Client Info");
  }

  /** Answers up to the channel joins, then opens the Security Exchange with the lab key. */
  static StandardSecurityPeer upToSecurityExchange(SessionProbeTest.Xrdp x, byte[] response)
      throws Exception {
    x.read(); // Connect Initial
    x.send(response);
    x.read(); // Erect Domain
    x.read(); // Attach User Request
    x.send(SessionPduTest.fixture("xrdp-attach-user-confirm.hex"));
    x.read();
    x.send(SessionPduTest.fixture("xrdp-channel-join-confirm-user.hex"));
    x.read();
    x.send(SessionPduTest.fixture("xrdp-channel-join-confirm-io.hex"));
    byte[] enc =
        SecurityExchangePdu.decode(McsSendData.decode(x.read()).data()).encryptedClientRandom();
    byte[] opened = XrdpLabKey.load().open(enc);
    byte[] clientRandom = Arrays.copyOf(opened, 32);
    byte[] serverRandom = McsConnectResponse.decode(response).security().serverRandom();
    return new StandardSecurityPeer(0x02, clientRandom, serverRandom);
  }

  static SessionEvidence run(Play play) {
    return run(Answer.select(PROTOCOL_RDP), play);
  }

  static SessionEvidence run(Answer answer, Play play) {
    CountDownLatch played = new CountDownLatch(1);
    FakeRdpServer.TlsScript script =
        (in, out) -> {
          try {
            play.play(new SessionProbeTest.Xrdp(in, out));
          } finally {
            played.countDown();
          }
        };
    try (FakeRdpServer server =
        FakeRdpServer.builder().answer(p -> answer).afterTls(script).start()) {
      ProbeContext ctx =
          new ProbeContext(
              ProbeListener.NONE, WireTrace.NONE, Duration.ofSeconds(2), Duration.ofSeconds(3));
      SessionEvidence e =
          SessionProbe.run(server.address(), server.port(), HOST, Security.STANDARD, ctx);
      try {
        played.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return e;
    }
  }

  /** Offset of the SC_SECURITY block (type 0x0C02, 128-bit, level High) in the capture. */
  static int scSecurity(byte[] cr) {
    byte[] head = {0x02, 0x0C};
    byte[] choice = {0x02, 0, 0, 0, 0x03, 0, 0, 0};
    for (int i = 0; i + 12 <= cr.length; i++) {
      if (Arrays.equals(cr, i, i + 2, head, 0, 2)
          && Arrays.equals(cr, i + 4, i + 12, choice, 0, 8)) {
        return i;
      }
    }
    throw new AssertionError("no SC_SECURITY");
  }

  static byte[] security(String name) throws IOException {
    return Hex.parse(text(HIGH + name).replaceAll("#[^\n]*", "").replaceAll("\\s", ""));
  }

  private static String text(String name) throws IOException {
    try (InputStream in = StandardSessionProbeTest.class.getResourceAsStream("/security/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}

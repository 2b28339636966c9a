package dev.rdpdoctor.probe.connect;

import static dev.rdpdoctor.wire.session.SessionPduTest.fixture;
import static dev.rdpdoctor.wire.session.SessionPduTest.indication;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.SessionEvidence.Status;
import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.McsDisconnectProviderUltimatum;
import dev.rdpdoctor.wire.ServerCertificateX509Test;
import dev.rdpdoctor.wire.session.LicensingPdu;
import dev.rdpdoctor.wire.session.ServerRedirectionPacketTest;
import dev.rdpdoctor.wire.session.SessionPduTest;
import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The session phases fed xrdp's recorded bytes with no socket: each frame in, the PDUs the client
 * would send out, and the evidence at the end. Each phase also gets a malformed twin of its server
 * PDU, and the real-Windows shapes (a share control type without version bits, PDUs packed into one
 * Send Data Indication) are built with the project's encoders.
 */
class SessionSequenceTest {
  static final byte[] VALID_CLIENT_PDU =
      indication(Hex.parse("80000000ff031000070000000200000004000000"));

  /** A sequence over TLS as the xrdp lab's server selected it. */
  static SessionSequence tls() {
    return new SessionSequence(
        new SessionLog("192.0.2.1:3389", () -> 7),
        false,
        SecurityProtocol.PROTOCOL_SSL,
        new SplittableRandom(1));
  }

  /** Feeds frames; returns every Next in order, the start's first. */
  static List<Next<SessionEvidence>> feed(Sequence<SessionEvidence> s, byte[]... frames) {
    List<Next<SessionEvidence>> out = new ArrayList<>();
    out.add(s.start());
    for (byte[] f : frames) {
      assertThat(out.getLast().done()).as("a frame after the end").isFalse();
      out.add(s.received(f));
    }
    return out;
  }

  static List<byte[]> sent(Next<?> n) {
    return n.out().stream()
        .filter(o -> o instanceof Out.Send)
        .map(o -> ((Out.Send) o).bytes())
        .toList();
  }

  static byte[][] upToClientInfo() throws Exception {
    return new byte[][] {
      fixture("xrdp-connect-response-tls.hex"),
      fixture("xrdp-attach-user-confirm.hex"),
      fixture("xrdp-channel-join-confirm-user.hex"),
      fixture("xrdp-channel-join-confirm-io.hex")
    };
  }

  static byte[][] plus(byte[][] a, byte[]... b) {
    byte[][] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void xrdpsRecordedAnswersLeadToDemandActiveWithTheRecordedClientPdus() throws Exception {
    List<Next<SessionEvidence>> n =
        feed(
            tls(),
            plus(
                upToClientInfo(),
                fixture("xrdp-license-request.hex"),
                fixture("xrdp-valid-client.hex"),
                fixture("xrdp-demand-active.hex")));
    assertThat(n.get(0).read()).isEqualTo(Frame.TPKT);
    assertThat(sent(n.get(1)))
        .containsExactly(
            fixture("rdpdoctor-erect-domain.hex"), fixture("rdpdoctor-attach-user-request.hex"));
    assertThat(sent(n.get(2))).containsExactly(fixture("rdpdoctor-channel-join-request-user.hex"));
    assertThat(sent(n.get(4))).containsExactly(fixture("rdpdoctor-client-info.hex"));
    assertThat(sent(n.get(5))).as("a New License Request to xrdp's licensing key").hasSize(1);
    Next<SessionEvidence> end = n.getLast();
    assertThat(end.done()).isTrue();
    assertThat(end.goodbye()).isTrue();
    SessionEvidence e = end.result();
    assertThat(e.status()).isEqualTo(Status.DEMAND_ACTIVE);
    assertThat(e.licensing()).isEqualTo("STATUS_VALID_CLIENT");
    assertThat(e.steps().stream().map(SessionEvidence.Step::name))
        .containsExactly(
            "MCS Connect Response",
            "MCS Attach User Confirm",
            "MCS Channel Join Confirm 1002",
            "MCS Channel Join Confirm 1003",
            "Client Info",
            "Licensing",
            "New License Request",
            "Licensing",
            "Demand Active");
  }

  @Test
  void eachPhaseHasAMalformedTwin() throws Exception {
    byte[][] good = plus(upToClientInfo(), fixture("xrdp-demand-active.hex"));
    String[] waiting = {
      "MCS Connect Response",
      "MCS Attach User Confirm",
      "MCS Channel Join Confirm 1002",
      "MCS Channel Join Confirm 1003",
      "server answer to Client Info"
    };
    for (int i = 0; i < good.length; i++) {
      byte[][] frames = Arrays.copyOf(good, i + 1);
      byte[] twin = frames[i].clone();
      twin[twin.length - 3] ^= (byte) 0xFF; // a length or a field inside the PDU, not the TPKT
      frames[i] = Arrays.copyOf(twin, twin.length - 2);
      frames[i][2] = (byte) (frames[i].length >> 8);
      frames[i][3] = (byte) frames[i].length;
      Next<SessionEvidence> end = feed(tls(), frames).getLast();
      assertThat(end.done()).as("twin of frame %d", i).isTrue();
      assertThat(end.result().status())
          .as("twin of frame %d: %s", i, end.result())
          .isEqualTo(Status.MALFORMED);
      assertThat(end.result().detail()).startsWith("the server's " + waiting[i] + " did not parse");
      assertThat(end.goodbye()).isTrue();
    }
  }

  @Test
  void aDisconnectProviderUltimatumEndsAnyPhaseWithoutAGoodbye() throws Exception {
    byte[] dpum = new McsDisconnectProviderUltimatum(1).encode();
    Next<SessionEvidence> end =
        feed(tls(), fixture("xrdp-connect-response-tls.hex"), dpum).getLast();
    assertThat(end.result().status()).isEqualTo(Status.DISCONNECTED);
    assertThat(end.result().detail()).contains("rn-provider-initiated", "MCS Attach User Confirm");
    assertThat(end.goodbye()).isFalse();
  }

  @Test
  void noFrameEndsTheRunAsTheDriverSaysAndASetErrorInfoBeforeItWins() throws Exception {
    SessionSequence s = tls();
    feed(s, plus(upToClientInfo(), indication(SessionPduTest.setErrorInfo(0x7))));
    Next<SessionEvidence> closed = s.ended(Ending.CLOSED, null);
    assertThat(closed.result().status()).isEqualTo(Status.ERROR_INFO);
    assertThat(closed.result().errorInfoName()).isEqualTo("SERVER_DENIED_CONNECTION");
    assertThat(closed.goodbye()).isFalse();
    SessionSequence q = tls();
    q.start();
    Next<SessionEvidence> quiet = q.ended(Ending.TIMEOUT, null);
    assertThat(quiet.result().status()).isEqualTo(Status.TIMEOUT);
    assertThat(quiet.result().detail()).contains("MCS Connect Response");
    assertThat(quiet.goodbye()).as("a quiet server still hears the goodbye").isTrue();
  }

  @Test
  void moreThanTheByteCapIsMalformed() throws Exception {
    SessionSequence s = tls();
    feed(s, upToClientInfo());
    byte[] ignored = indication(SessionPduTest.setErrorInfo(0));
    Next<SessionEvidence> last = null;
    for (int i = 0; i < SessionSequence.MAX_SERVER_PDUS && (last == null || !last.done()); i++) {
      last = s.received(ignored);
    }
    assertThat(last.result().status()).isEqualTo(Status.MALFORMED);
    assertThat(last.result().detail()).contains("within " + SessionSequence.MAX_SERVER_PDUS);
  }

  @Test
  void windowsPacksSeveralShareControlPdusIntoOneSendData() throws Exception {
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    packed.writeBytes(SessionPduTest.setErrorInfo(0x7));
    packed.writeBytes(SessionPduTest.demandActive());
    Next<SessionEvidence> end =
        feed(tls(), plus(upToClientInfo(), indication(packed.toByteArray()))).getLast();
    SessionEvidence e = end.result();
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.DEMAND_ACTIVE);
    assertThat(e.errorInfo()).isEqualTo(0x7);
    assertThat(e.steps().stream().map(SessionEvidence.Step::name))
        .containsSubsequence("Client Info", "Set Error Info", "Demand Active");
  }

  @Test
  void aPackedPduThatOverrunsItsSendDataIsMalformed() throws Exception {
    byte[] two = SessionPduTest.setErrorInfo(0x7);
    byte[] packed = Arrays.copyOf(two, two.length * 2 - 1);
    System.arraycopy(two, 0, packed, two.length, two.length - 1);
    Next<SessionEvidence> end = feed(tls(), plus(upToClientInfo(), indication(packed))).getLast();
    assertThat(end.result().status()).isEqualTo(Status.MALFORMED);
    assertThat(end.result().detail()).contains("totalLength");
  }

  @Test
  void aWindows2008BrokersRedirectionWithoutVersionBitsIsARedirection() throws Exception {
    byte[] pdu =
        ServerRedirectionPacketTest.enhanced(ServerRedirectionPacketTest.broker().bytes(), false);
    pdu[2] = 0x0A; // pduType PDUTYPE_SERVER_REDIR_PKT with the version bits 0, as Windows sends
    pdu[3] = 0x00;
    Next<SessionEvidence> end = feed(tls(), plus(upToClientInfo(), indication(pdu))).getLast();
    assertThat(end.result().status()).as(end.result().toString()).isEqualTo(Status.REDIRECTED);
    assertThat(end.result().redirect().target()).isEqualTo("rdsh02.corp.example");
    SessionSequence early = tls();
    early.start();
    Out.Note view = early.view(indication(pdu));
    assertThat(view.what())
        .as("not past the connect phase: named, with bytes")
        .isEqualTo("MCS Connect Response");
    SessionSequence s = tls();
    feed(s, upToClientInfo());
    assertThat(s.view(indication(pdu)).bytes()).as("its cookie never reaches a trace").isEmpty();
  }

  /** A LICENSE_REQUEST ([MS-RDPELE] 2.2.2.1) carrying a server certificate blob. */
  static byte[] licenseRequest(byte[] certificateBlob) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[32]); // ServerRandom
    Le.u32(body, 0x00060000); // ProductInfo dwVersion
    Le.u32(body, 0); // cbCompanyName
    Le.u32(body, 0); // cbProductId
    Le.u16(body, 0x000D); // KeyExchangeList: BB_KEY_EXCHG_ALG_BLOB
    Le.u16(body, 4);
    Le.u32(body, 1); // KEY_EXCHANGE_ALG_RSA
    Le.u16(body, 0x0003); // ServerCertificate: BB_CERTIFICATE_BLOB
    Le.u16(body, certificateBlob.length);
    body.writeBytes(certificateBlob);
    Le.u32(body, 0); // ScopeList: no scopes
    ByteArrayOutputStream pdu = new ByteArrayOutputStream();
    Le.u16(pdu, LicensingPdu.SEC_LICENSE_PKT);
    Le.u16(pdu, 0);
    pdu.write(LicensingPdu.LICENSE_REQUEST);
    pdu.write(0x03); // PREAMBLE_VERSION_3_0
    Le.u16(pdu, body.size() + 4);
    pdu.writeBytes(body.toByteArray());
    return pdu.toByteArray();
  }

  @Test
  void aLicenceServerCertificateFromWindowsStillGetsANewLicenseRequest() throws Exception {
    KeyPair kp = ServerCertificateX509Test.licenceKeys();
    byte[] der = ServerCertificateX509Test.licenceServerCertificate(kp);
    byte[] request = indication(licenseRequest(ServerCertificateX509Test.chainBlob(der, der)));
    List<Next<SessionEvidence>> n = feed(tls(), plus(upToClientInfo(), request));
    assertThat(n.getLast().done()).as("%s", n.getLast()).isFalse();
    assertThat(sent(n.getLast())).as("the Client New License Request").hasSize(1);
    SessionSequence s = tls();
    feed(s, plus(upToClientInfo(), request, VALID_CLIENT_PDU));
    SessionEvidence e = s.received(fixture("xrdp-demand-active.hex")).result();
    assertThat(e.steps().stream().map(SessionEvidence.Step::name))
        .containsSubsequence("Licensing", "New License Request", "Licensing", "Demand Active");
    assertThat(
            e.steps().stream()
                .filter(st -> st.name().equals("New License Request"))
                .findFirst()
                .orElseThrow()
                .detail())
        .isEqualTo("RSA-1024 key exchange");
    byte[] twin = ServerCertificateX509Test.chainBlob(Arrays.copyOf(der, der.length / 2));
    Next<SessionEvidence> stop =
        feed(tls(), plus(upToClientInfo(), indication(licenseRequest(twin)))).getLast();
    assertThat(stop.result().status())
        .as("no key: the probe stops at licensing, as before")
        .isEqualTo(Status.LICENSING);
  }
}

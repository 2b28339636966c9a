package dev.rdpdoctor.probe;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.NlaEvidence.Outcome;
import dev.rdpdoctor.evidence.NlaEvidence.Status;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.testing.Bytes;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.testing.FakeRdpServer.ServerTls;
import dev.rdpdoctor.testing.FakeRdpServer.TlsScript;
import dev.rdpdoctor.testing.TestCertificates;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.NtlmVersion;
import dev.rdpdoctor.wire.TsRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What no real peer in the lab does, scripted strictly from [MS-CSSP]/[MS-NLMP]: a Windows-like
 * server with an old CredSSP version and a wrong clock, errorCode answers, a hostile length.
 */
class CredSspProbeTest {
  static final String HOST = "rdp.example.test";
  static final String SECRET = "S3cret-Pass!";

  static byte[] challenge(long skewSeconds) {
    long ticks =
        (Instant.now().plusSeconds(skewSeconds).toEpochMilli()) * 10_000L
            + 116_444_736_000_000_000L;
    byte[] ft = new byte[8];
    for (int i = 0; i < 8; i++) {
      ft[i] = (byte) (ticks >>> (8 * i));
    }
    byte[] info =
        NtlmChallenge.encodeAvPairs(
            List.of(
                NtlmChallenge.text(NtlmChallenge.AV_NB_DOMAIN, "CORP"),
                NtlmChallenge.text(NtlmChallenge.AV_NB_COMPUTER, "RDS01"),
                NtlmChallenge.text(NtlmChallenge.AV_DNS_DOMAIN, "corp.example"),
                NtlmChallenge.text(NtlmChallenge.AV_DNS_COMPUTER, "rds01.corp.example"),
                NtlmChallenge.text(NtlmChallenge.AV_DNS_TREE, "corp.example"),
                new NtlmChallenge.AvPair(NtlmChallenge.AV_TIMESTAMP, ft)));
    return NtlmChallenge.encode(
        0xE28A8235,
        new byte[] {1, 2, 3, 4, 5, 6, 7, 8},
        "CORP",
        info,
        new NtlmVersion(6, 3, 9600, 15));
  }

  /** Answers NEGOTIATE with a v3 CHALLENGE, then the AUTHENTICATE with an errorCode. */
  static TlsScript windows(long skew, Integer authError) {
    return (in, out) -> {
      TsRequest.readFrom(in);
      out.write(TsRequest.negotiate(3, challenge(skew)).encode());
      out.flush();
      TsRequest.readFrom(in);
      if (authError != null) {
        out.write(new TsRequest(3, null, null, null, authError, null).encode());
        out.flush();
      }
    };
  }

  NlaEvidence run(TlsScript script, Credentials creds, WireTrace trace) {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(p -> Answer.select(PROTOCOL_HYBRID))
            .tls(ServerTls.of(TestCertificates.selfSigned(HOST)))
            .afterTls(script)
            .start()) {
      ProbeContext ctx =
          new ProbeContext(ProbeListener.NONE, trace, Duration.ofSeconds(2), Duration.ofSeconds(4));
      return CredSspProbe.run(server.address(), server.port(), HOST, ctx, creds);
    }
  }

  @Test
  void theDriverEmitsTheNegotiationTheRoundTripsTlsAndTheCredSspPhases() {
    List<ProbeEvent> events = new CopyOnWriteArrayList<>();
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(p -> Answer.select(PROTOCOL_HYBRID))
            .tls(ServerTls.of(TestCertificates.selfSigned(HOST)))
            .afterTls(windows(0, null))
            .start()) {
      ProbeContext ctx =
          new ProbeContext(
              events::add, WireTrace.NONE, Duration.ofSeconds(2), Duration.ofSeconds(4));
      NlaEvidence e = CredSspProbe.run(server.address(), server.port(), HOST, ctx, null);
      assertThat(e.status()).as(e.toString()).isEqualTo(Status.OK);
    }
    assertThat(events).filteredOn(ProbeEvent.NegotiationDone.class::isInstance).hasSize(1);
    assertThat(events)
        .filteredOn(ProbeEvent.RoundTrip.class::isInstance)
        .extracting(ev -> ((ProbeEvent.RoundTrip) ev).exchange())
        .containsExactly("X.224 Connection Request", "TSRequest v6 NTLM NEGOTIATE");
    assertThat(events)
        .filteredOn(ProbeEvent.TlsDone.class::isInstance)
        .singleElement()
        .matches(ev -> ((ProbeEvent.TlsDone) ev).ok());
    assertThat(events)
        .filteredOn(ProbeEvent.CredSspPhase.class::isInstance)
        .extracting(ev -> ((ProbeEvent.CredSspPhase) ev).phase())
        .containsExactly("NEGOTIATE sent", "CHALLENGE received");
  }

  @Test
  void identityClockAndVersionFromAWindowsLikeChallenge() {
    NlaEvidence e = run(windows(-3600, null), null, WireTrace.NONE);
    assertThat(e.status()).as(e.toString()).isEqualTo(Status.OK);
    assertThat(e.credsspVersion()).isEqualTo(3);
    assertThat(e.ntlm().netbiosComputerName()).isEqualTo("RDS01");
    assertThat(e.ntlm().dnsComputerName()).isEqualTo("rds01.corp.example");
    assertThat(e.ntlm().dnsTreeName()).isEqualTo("corp.example");
    assertThat(e.ntlm().productVersion()).isEqualTo("6.3.9600");
    assertThat(e.ntlm().skewSeconds()).isBetween(-3605L, -3595L);
    assertThat(e.logon()).isNull();
  }

  @Test
  void logonErrorCodeIsRecordedAsRejected() {
    Credentials c = new Credentials("CORP", "alice", SECRET.toCharArray());
    NlaEvidence e = run(windows(0, 0xC0000234), c, WireTrace.NONE);
    assertThat(e.logon().outcome()).as(e.toString()).isEqualTo(Outcome.REJECTED);
    assertThat(e.logon().ntStatus()).isEqualTo(0xC0000234);
    assertThat(e.logon().ntStatusName()).isEqualTo("ACCOUNT_LOCKED_OUT");
    assertThat(e.logon().account()).isEqualTo("CORP\\alice");
  }

  @Test
  void silentCloseAfterAuthenticateIsClosed() {
    Credentials c = new Credentials("", "alice", SECRET.toCharArray());
    NlaEvidence e = run(windows(0, null), c, WireTrace.NONE);
    assertThat(e.logon().outcome()).as(e.toString()).isEqualTo(Outcome.CLOSED);
  }

  @Test
  void errorCodeInsteadOfAChallengeIsRefused() {
    NlaEvidence e =
        run(
            (in, out) -> {
              TsRequest.readFrom(in);
              out.write(new TsRequest(6, null, null, null, 0xC000018D, null).encode());
              out.flush();
            },
            null,
            WireTrace.NONE);
    assertThat(e.status()).isEqualTo(Status.REFUSED);
    assertThat(e.errorName()).isEqualTo("TRUSTED_RELATIONSHIP_FAILURE");
  }

  @Test
  void hostileLengthAndGarbageEndAsMalformedWithinTheDeadline() {
    long t0 = System.nanoTime();
    NlaEvidence huge =
        run(
            (in, out) -> {
              TsRequest.readFrom(in);
              out.write(new byte[] {0x30, (byte) 0x83, 0x7F, (byte) 0xFF, (byte) 0xFF, 0});
              out.flush();
            },
            null,
            WireTrace.NONE);
    assertThat(huge.status()).isEqualTo(Status.MALFORMED);
    assertThat(huge.detail()).contains("cap");
    NlaEvidence http =
        run(
            (in, out) -> {
              TsRequest.readFrom(in);
              out.write("HTTP/1.1 400 Bad\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              out.flush();
            },
            null,
            WireTrace.NONE);
    assertThat(http.status()).isEqualTo(Status.MALFORMED);
    NlaEvidence silent =
        run(
            (in, out) -> {
              TsRequest.readFrom(in);
              in.read(new byte[1]);
            },
            null,
            WireTrace.NONE);
    assertThat(silent.status()).isEqualTo(Status.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void serverWithoutCredSspIsNotNegotiated() {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(p -> Answer.select(PROTOCOL_SSL))
            .tls(ServerTls.of(TestCertificates.selfSigned(HOST)))
            .start()) {
      NlaEvidence e =
          CredSspProbe.run(server.address(), server.port(), HOST, ProbeContext.defaults(), null);
      assertThat(e.status()).isEqualTo(Status.NOT_NEGOTIATED);
      assertThat(e.detail()).contains("selected SSL");
    }
  }

  @Test
  void theTraceNeverCarriesThePasswordOrTheAuthenticate() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Credentials c = new Credentials("CORP", "alice", SECRET.toCharArray());
    run(
        windows(0, 0xC000006D),
        c,
        WireTrace.to(new PrintStream(buf, true, StandardCharsets.UTF_8), 1 << 16));
    String trace = buf.toString(StandardCharsets.UTF_8);
    assertThat(trace).contains("NTLM NEGOTIATE").contains("contents withheld");
    assertThat(trace).doesNotContain(SECRET);
    // "S3cr" as hex, UTF-8 and UTF-16LE
    assertThat(trace.replaceAll("\\s+", " "))
        .doesNotContain("53 33 63 72")
        .doesNotContain("53 00 33 00 63 00 72 00");
    assertThat(c.toString()).doesNotContain(SECRET);
  }

  /**
   * A server that really checks: NTLMv2 proof against the known password, the client's pubKeyAuth
   * against its own key (sealed key for v2-4, nonce-bound hash for v5+), then its own proof back;
   * with HYBRID_EX it reads the sealed TSCredentials and answers the Early User Authorization
   * Result.
   */
  static TlsScript verifying(
      int version,
      java.security.PublicKey key,
      boolean hybridEx,
      int eua,
      java.util.concurrent.atomic.AtomicReference<String> verdict) {
    return verifying(version, key, key, hybridEx, eua, verdict);
  }

  /** As above, but proving {@code proved} back: what a TLS interceptor's server side does. */
  static TlsScript verifying(
      int version,
      java.security.PublicKey key,
      java.security.PublicKey proved,
      boolean hybridEx,
      int eua,
      java.util.concurrent.atomic.AtomicReference<String> verdict) {
    return (in, out) -> {
      TsRequest.readFrom(in);
      byte[] ch = challenge(0);
      out.write(TsRequest.negotiate(version, ch).encode());
      out.flush();
      TsRequest auth = TsRequest.decode(TsRequest.readFrom(in));
      dev.rdpdoctor.wire.NtlmAuthenticate a =
          dev.rdpdoctor.wire.NtlmAuthenticate.decode(auth.negoToken());
      byte[] ntowf = NtlmClient.ntowfv2(SECRET.toCharArray(), a.user(), a.domain());
      byte[] temp = java.util.Arrays.copyOfRange(a.ntResponse(), 16, a.ntResponse().length);
      byte[] proof =
          NtlmClient.hmacMd5(ntowf, NtlmClient.concat(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, temp));
      if (!java.util.Arrays.equals(proof, java.util.Arrays.copyOf(a.ntResponse(), 16))) {
        verdict.set("bad NTProofStr");
        return;
      }
      byte[] exported = NtlmClient.rc4(NtlmClient.hmacMd5(ntowf, proof), a.encryptedSessionKey());
      NtlmClient server = new NtlmClient();
      server.keysAsServer(exported);
      byte[] spki =
          org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded())
              .getPublicKeyData()
              .getBytes();
      byte[] got = server.unseal(auth.pubKeyAuth());
      byte[] want =
          version >= 5
              ? Bytes.sha256(
                  "CredSSP Client-To-Server Binding Hash\0".getBytes(StandardCharsets.US_ASCII),
                  auth.clientNonce(),
                  spki)
              : spki;
      if (got == null || !java.util.Arrays.equals(got, want)) {
        verdict.set("bad client pubKeyAuth");
        return;
      }
      byte[] provedSpki =
          org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(proved.getEncoded())
              .getPublicKeyData()
              .getBytes();
      byte[] back =
          version >= 5
              ? Bytes.sha256(
                  "CredSSP Server-To-Client Binding Hash\0".getBytes(StandardCharsets.US_ASCII),
                  auth.clientNonce(),
                  provedSpki)
              : dev.rdpdoctor.probe.connect.PubKeyAuth.plusOne(provedSpki);
      // the verdict is set before the last write: the client may finish (and the test read
      // it) the moment that write arrives
      if (!hybridEx) {
        verdict.set("ok");
      }
      out.write(new TsRequest(version, null, null, server.seal(back), null, null).encode());
      out.flush();
      if (!hybridEx) {
        return;
      }
      TsRequest creds = TsRequest.decode(TsRequest.readFrom(in));
      byte[] plain = server.unseal(creds.authInfo());
      String bytes = plain == null ? "" : new String(plain, StandardCharsets.ISO_8859_1);
      String pw16 =
          new String(SECRET.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1);
      verdict.set(bytes.contains(pw16) ? "ok, credentials delegated" : "bad authInfo");
      out.write(NtlmClient.le32(eua));
      out.flush();
    };
  }

  NlaEvidence runSelecting(
      int protocol, TestCertificates.Issued cert, TlsScript script, Credentials creds) {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(p -> Answer.select(protocol))
            .tls(ServerTls.of(cert))
            .afterTls(script)
            .start()) {
      ProbeContext ctx =
          new ProbeContext(
              ProbeListener.NONE, WireTrace.NONE, Duration.ofSeconds(2), Duration.ofSeconds(4));
      return CredSspProbe.run(server.address(), server.port(), HOST, ctx, creds);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3, 4, 5, 6})
  void rightPasswordIsAcceptedOnEveryCredSspVersion(int version) {
    TestCertificates.Issued cert = TestCertificates.selfSigned(HOST);
    var verdict = new java.util.concurrent.atomic.AtomicReference<String>("no verdict");
    NlaEvidence e =
        runSelecting(
            PROTOCOL_HYBRID,
            cert,
            verifying(version, cert.keyPair().getPublic(), false, 0, verdict),
            new Credentials("CORP", "alice", SECRET.toCharArray()));
    assertThat(verdict.get()).isEqualTo("ok");
    assertThat(e.logon().outcome()).as(e.toString()).isEqualTo(Outcome.ACCEPTED);
    assertThat(e.logon().detail()).contains("CredSSP v" + version);
  }

  @Test
  void hybridExDelegatesCredentialsAndReadsTheEarlyAuthorization() {
    TestCertificates.Issued cert = TestCertificates.selfSigned(HOST);
    for (int eua : new int[] {0, 5}) {
      var verdict = new java.util.concurrent.atomic.AtomicReference<String>("no verdict");
      NlaEvidence e =
          runSelecting(
              dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID_EX,
              cert,
              verifying(6, cert.keyPair().getPublic(), true, eua, verdict),
              new Credentials("CORP", "alice", SECRET.toCharArray()));
      assertThat(verdict.get()).isEqualTo("ok, credentials delegated");
      assertThat(e.logon().outcome())
          .as(e.toString())
          .isEqualTo(eua == 0 ? Outcome.ACCEPTED : Outcome.REJECTED);
      assertThat(e.logon().earlyAuthorization()).isEqualTo(eua);
    }
  }

  @Test
  void aKeyProofForAnotherKeyIsNotAccepted() {
    // the server proves a different key than the one in its certificate: an interceptor
    TestCertificates.Issued shown = TestCertificates.selfSigned(HOST);
    java.security.PublicKey other = TestCertificates.otherKeyPair("RSA", 2048).getPublic();
    var verdict = new java.util.concurrent.atomic.AtomicReference<String>("no verdict");
    for (int version : new int[] {3, 6}) {
      NlaEvidence e =
          runSelecting(
              PROTOCOL_HYBRID,
              shown,
              verifying(version, shown.keyPair().getPublic(), other, false, 0, verdict),
              new Credentials("CORP", "alice", SECRET.toCharArray()));
      assertThat(e.logon().outcome()).as(e.toString()).isEqualTo(Outcome.KEY_MISMATCH);
      assertThat(e.logon().detail()).contains("does not match the TLS key");
    }
  }
}

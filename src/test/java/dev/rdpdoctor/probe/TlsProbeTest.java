package dev.rdpdoctor.probe;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_RDP;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsEvidence.Status;
import dev.rdpdoctor.evidence.TlsVersionResult;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.testing.FakeRdpServer.ServerTls;
import dev.rdpdoctor.testing.FakeRdpServer.TlsFault;
import dev.rdpdoctor.testing.TestCertificates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TlsProbeTest {
  private static final String HOST = "rdp.example.test";
  private static final int SSL_AND_HYBRID = PROTOCOL_SSL | PROTOCOL_HYBRID;

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ProbeListener recorder =
      event -> {
        switch (event) {
          case ProbeEvent.ProbeStarted s -> events.add("start " + s.probe() + " " + s.subject());
          case ProbeEvent.ProbeFinished f ->
              events.add("end " + f.probe() + " " + f.subject() + " " + f.outcome());
          default -> {}
        }
      };

  private ProbeContext ctx(Duration probeTimeout) {
    return new ProbeContext(recorder, WireTrace.NONE, Duration.ofSeconds(2), probeTimeout);
  }

  private TlsEvidence run(FakeRdpServer server, String typed, boolean enumerate, Duration timeout) {
    return TlsProbe.run(
        server.address(), server.port(), typed, SSL_AND_HYBRID, ctx(timeout), enumerate);
  }

  private static Map<String, Boolean> accepted(TlsEvidence e) {
    return e.versions().stream()
        .collect(Collectors.toMap(TlsVersionResult::version, TlsVersionResult::accepted));
  }

  @Test
  void healthyModernServerGivesVersionSuiteAndCertificateFacts() {
    TestCertificates.Issued cert = TestCertificates.selfSigned(HOST);
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(Answer.select(PROTOCOL_HYBRID))
            .tls(ServerTls.of(cert))
            .start()) {
      TlsEvidence e = run(server, HOST, true, Duration.ofSeconds(8));

      assertThat(e.status()).as("%s %s", e, server.serverErrors()).isEqualTo(Status.OK);
      assertThat(e.ok()).isTrue();
      assertThat(e.version()).isEqualTo("TLSv1.3");
      assertThat(e.cipherSuite())
          .isIn("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");
      assertThat(e.alert()).isNull();
      assertThat(e.error()).isNull();
      assertThat(e.requestedProtocols()).isEqualTo(SSL_AND_HYBRID);
      assertThat(e.address()).isEqualTo("127.0.0.1:" + server.port());
      // ServerHello + encrypted certificate + CertificateVerify + Finished: well over 500 bytes
      assertThat(e.bytesReceived()).isGreaterThan(500);

      assertThat(e.chain()).hasSize(1);
      CertificateInfo leaf = e.chain().get(0);
      assertThat(leaf.commonName()).isEqualTo(HOST);
      assertThat(leaf.subject()).isEqualTo("CN=" + HOST);
      assertThat(leaf.subjectAltNames()).containsExactly("DNS:" + HOST);
      assertThat(leaf.selfSigned()).isTrue();
      assertThat(leaf.keyAlgorithm()).isEqualTo("RSA");
      assertThat(leaf.keyBits()).isEqualTo(2048);
      assertThat(leaf.signatureAlgorithm()).isEqualTo("SHA256withRSA");
      assertThat(leaf.nameMatches()).isTrue();
      assertThat(leaf.sha256()).isEqualTo(CertificateInspector.fingerprint(cert.der()));

      assertThat(accepted(e))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("TLSv1.0", false, "TLSv1.1", false, "TLSv1.2", true, "TLSv1.3", true));
      TlsVersionResult v12 = e.versions().get(2);
      assertThat(v12.version()).isEqualTo("TLSv1.2");
      assertThat(v12.cipherSuite()).startsWith("TLS_ECDHE_RSA_WITH_AES_");
      assertThat(v12.detail()).isNull();
      TlsVersionResult v10 = e.versions().get(0);
      assertThat(v10.cipherSuite()).isNull();
      assertThat(v10.detail())
          .as("JSSE refuses TLS 1.0 by default")
          .isEqualTo("protocol_version(70)");
      // main handshake plus four versions, each reported once, start and end
      assertThat(events).filteredOn(s -> s.startsWith("start tls")).hasSize(5);
      assertThat(events).filteredOn(s -> s.startsWith("end tls")).hasSize(5);
      assertThat(events)
          .contains(
              "end tls 127.0.0.1:" + server.port() + " OK TLSv1.3",
              "end tls 127.0.0.1:" + server.port() + " TLSv1.2 OK TLSv1.2");
      assertThat(server.requestedProtocols()).containsOnly(SSL_AND_HYBRID).hasSize(5);
    }
  }

  @Test
  void tls12OnlyServerNegotiatesTls12WithAnEcdheSuite() {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(Answer.select(PROTOCOL_SSL))
            .tls(ServerTls.of(TestCertificates.selfSigned(HOST)).versions("TLSv1.2"))
            .start()) {
      TlsEvidence e = run(server, HOST, false, Duration.ofSeconds(8));

      assertThat(e.status()).as("%s", e).isEqualTo(Status.OK);
      assertThat(e.version()).isEqualTo("TLSv1.2");
      assertThat(e.cipherSuite()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
      assertThat(e.versions()).isEmpty();
      assertThat(events).hasSize(2);
    }
  }

  @Test
  void expiredCertificateStillCompletesAndShowsItsDates() {
    Instant notBefore = Instant.parse("2020-01-01T00:00:00Z");
    Instant notAfter = Instant.parse("2021-01-01T00:00:00Z");
    TestCertificates.Issued expired =
        TestCertificates.builder("CN=" + HOST)
            .san("DNS:" + HOST)
            .validity(notBefore, notAfter)
            .build();
    try (FakeRdpServer server = FakeRdpServer.builder().tls(ServerTls.of(expired)).start()) {
      TlsEvidence e = run(server, HOST, false, Duration.ofSeconds(8));

      assertThat(e.status()).as("%s %s", e, server.serverErrors()).isEqualTo(Status.OK);
      CertificateInfo leaf = e.chain().get(0);
      assertThat(leaf.notBefore()).isEqualTo(notBefore);
      assertThat(leaf.notAfter()).isEqualTo(notAfter);
      assertThat(leaf.nameMatches()).isTrue();
    }
  }

  @Test
  void certificateForAnotherNameIsAMismatch() {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .tls(ServerTls.of(TestCertificates.selfSigned("desktop-7q3k.corp.example")))
            .start()) {
      TlsEvidence e = run(server, "rdp.example.test", false, Duration.ofSeconds(8));

      assertThat(e.status()).isEqualTo(Status.OK);
      assertThat(e.chain().get(0).commonName()).isEqualTo("desktop-7q3k.corp.example");
      assertThat(e.chain().get(0).nameMatches()).isFalse();
    }
  }

  @Test
  void chainIsCapturedLeafFirstAndOnlyTheLeafIsNameChecked() {
    TestCertificates.Issued ca =
        TestCertificates.builder("CN=Example Issuing CA,O=Example")
            .ca()
            .serial(java.math.BigInteger.ONE)
            .build();
    TestCertificates.Issued leaf =
        TestCertificates.builder("CN=" + HOST).san("DNS:" + HOST).issuedBy(ca).build();
    try (FakeRdpServer server =
        FakeRdpServer.builder().tls(ServerTls.of(leaf).withChain(ca)).start()) {
      TlsEvidence e = run(server, HOST, false, Duration.ofSeconds(8));

      assertThat(e.status()).as("%s", e).isEqualTo(Status.OK);
      assertThat(e.chain())
          .extracting(CertificateInfo::commonName)
          .containsExactly(HOST, "Example Issuing CA");
      assertThat(e.chain().get(0).issuer()).isEqualTo("CN=Example Issuing CA,O=Example");
      assertThat(e.chain().get(0).selfSigned()).isFalse();
      assertThat(e.chain().get(0).nameMatches()).isTrue();
      assertThat(e.chain().get(1).selfSigned()).isTrue();
      assertThat(e.chain().get(1).nameMatches()).isNull();
    }
  }

  @Test
  void tls10OnlyServerShowsOnlyTls10Accepted() {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .tls(ServerTls.of(TestCertificates.selfSigned(HOST)).versions("TLSv1.0"))
            .start()) {
      TlsEvidence e = run(server, HOST, true, Duration.ofSeconds(8));

      assertThat(e.status()).as("%s %s", e, server.serverErrors()).isEqualTo(Status.OK);
      assertThat(e.version()).isEqualTo("TLSv1.0");
      assertThat(e.cipherSuite()).contains("_CBC_SHA").doesNotContain("GCM");
      assertThat(accepted(e))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("TLSv1.0", true, "TLSv1.1", false, "TLSv1.2", false, "TLSv1.3", false));
      assertThat(e.versions().get(0).cipherSuite()).isEqualTo(e.cipherSuite());
      assertThat(e.versions().get(2).detail())
          .isEqualTo("error: the server answered with TLSv1.0, which was not offered");
      assertThat(e.versions().get(3).detail()).isEqualTo("protocol_version(70)");
    }
  }

  @Test
  void noSharedCipherIsAFatalAlertFromTheServer() {
    // a suite this probe never offers, alone: what a hardened or broken cipher policy does
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .tls(
                ServerTls.of(TestCertificates.selfSigned(HOST))
                    .versions("TLSv1.2")
                    .cipherSuites("TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"))
            .start()) {
      TlsEvidence e = run(server, HOST, false, Duration.ofSeconds(8));

      assertThat(e.status()).as("%s", e).isEqualTo(Status.ALERT);
      assertThat(e.alert()).isEqualTo("handshake_failure(40)");
      assertThat(e.error()).contains("fatal alert");
      assertThat(e.version()).isNull();
      assertThat(e.chain()).isEmpty();
      // exactly one alert record: 5-byte header + level + description
      assertThat(e.bytesReceived()).isEqualTo(7);
      assertThat(events).last().asString().endsWith(" ALERT handshake_failure(40)");
    }
  }

  @Test
  void serverClosingDuringHandshakeIsClosed() {
    try (FakeRdpServer server =
        FakeRdpServer.builder().tlsFault(TlsFault.CLOSE_AFTER_CLIENT_HELLO).start()) {
      TlsEvidence e = run(server, HOST, false, Duration.ofSeconds(8));

      assertThat(e.status()).as("%s", e).isEqualTo(Status.CLOSED);
      assertThat(e.error()).contains("FIN").contains("after 0 bytes");
      assertThat(e.bytesReceived()).isZero();
      assertThat(e.chain()).isEmpty();
      assertThat(events).last().asString().endsWith(" CLOSED");
    }
  }

  @Test
  void serverResettingDuringHandshakeIsClosed() {
    try (FakeRdpServer server =
        FakeRdpServer.builder().tlsFault(TlsFault.RESET_AFTER_CLIENT_HELLO).start()) {
      TlsEvidence e = run(server, HOST, false, Duration.ofSeconds(8));

      assertThat(e.status()).as("%s", e).isEqualTo(Status.CLOSED);
      assertThat(e.error()).containsAnyOf("reset", "FIN");
    }
  }

  @Test
  void stalledHandshakeTimesOutWithinTheDeadline() {
    try (FakeRdpServer server = FakeRdpServer.builder().tlsFault(TlsFault.STALL).start()) {
      long t0 = System.nanoTime();
      TlsEvidence e = run(server, HOST, false, Duration.ofMillis(1200));
      long took = (System.nanoTime() - t0) / 1_000_000;

      assertThat(e.status()).as("%s", e).isEqualTo(Status.TIMEOUT);
      assertThat(e.error()).contains("ServerHello never arrived");
      assertThat(e.bytesReceived()).isZero();
      assertThat(took).isBetween(1000L, 3000L);
    }
  }

  @Test
  void stalledServerEnumeratesVersionsConcurrentlyWithinBoundedTime() {
    try (FakeRdpServer server = FakeRdpServer.builder().tlsFault(TlsFault.STALL).start()) {
      long t0 = System.nanoTime();
      TlsEvidence e = run(server, HOST, true, Duration.ofMillis(1000));
      long took = (System.nanoTime() - t0) / 1_000_000;

      assertThat(e.status()).isEqualTo(Status.TIMEOUT);
      assertThat(e.versions())
          .hasSize(4)
          .allSatisfy(
              v -> {
                assertThat(v.accepted()).isFalse();
                assertThat(v.detail()).startsWith("timeout");
              });
      // main (1 s), then the versions three at a time (the run's connection slots: 2 s), not
      // five in a row; the slack is for a loaded CI machine
      assertThat(took).isLessThan(4500L);
    }
  }

  @Test
  void nonTlsAnswerIsNamed() {
    try (FakeRdpServer server = FakeRdpServer.builder().tlsFault(TlsFault.HTTP_RESPONSE).start()) {
      TlsEvidence e = run(server, HOST, false, Duration.ofSeconds(8));

      assertThat(e.status()).as("%s", e).isEqualTo(Status.ERROR);
      assertThat(e.error()).contains("not TLS (HTTP)");
    }
  }

  @Test
  void standardRdpSecurityIsNotNegotiated() {
    try (FakeRdpServer server =
        FakeRdpServer.builder().answer(Answer.select(PROTOCOL_RDP)).start()) {
      TlsEvidence e = run(server, HOST, true, Duration.ofSeconds(8));

      assertThat(e.status()).isEqualTo(Status.NOT_NEGOTIATED);
      assertThat(e.error()).contains("selected RDP (Standard RDP Security)");
      assertThat(e.versions()).as("no point enumerating without TLS").isEmpty();
      assertThat(e.chain()).isEmpty();
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void negotiationFailureIsNotNegotiatedWithTheCode() {
    try (FakeRdpServer server = FakeRdpServer.builder().answer(Answer.failure(5)).start()) {
      TlsEvidence e =
          TlsProbe.run(
              server.address(),
              server.port(),
              HOST,
              PROTOCOL_SSL,
              ctx(Duration.ofSeconds(8)),
              false);

      assertThat(e.status()).isEqualTo(Status.NOT_NEGOTIATED);
      assertThat(e.error()).startsWith("FAILURE");
      assertThat(server.requestedProtocols()).containsExactly(PROTOCOL_SSL);
    }
  }

  @Test
  void tricklingNegotiationEndsWithinTheDeadline() {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(Answer.trickle(PROTOCOL_SSL, Duration.ofMillis(400)))
            .start()) {
      long t0 = System.nanoTime();
      TlsEvidence e = run(server, HOST, false, Duration.ofMillis(1500));
      long took = (System.nanoTime() - t0) / 1_000_000;

      assertThat(e.status()).isEqualTo(Status.NOT_NEGOTIATED);
      assertThat(e.error()).startsWith("TIMEOUT");
      assertThat(took).isLessThan(3000L);
    }
  }

  @Test
  void garbageInsteadOfAConfirmIsNotNegotiated() {
    try (FakeRdpServer server = FakeRdpServer.builder().answer(Answer.sshBanner()).start()) {
      TlsEvidence e = run(server, HOST, false, Duration.ofSeconds(4));

      assertThat(e.status()).isEqualTo(Status.NOT_NEGOTIATED);
      assertThat(e.error()).startsWith("NOT_RDP");
    }
  }

  @Test
  void refusedPortIsNotNegotiated() {
    int port;
    try (FakeRdpServer server = FakeRdpServer.builder().start()) {
      port = server.port();
    }
    TlsEvidence e =
        TlsProbe.run(
            java.net.InetAddress.getLoopbackAddress(),
            port,
            HOST,
            PROTOCOL_SSL,
            ctx(Duration.ofSeconds(4)),
            true);

    assertThat(e.status()).isEqualTo(Status.NOT_NEGOTIATED);
    assertThat(e.error()).startsWith("CONNECT_FAILED");
    assertThat(e.versions()).isEmpty();
  }

  @Test
  void sniIsSentForNamesOnly() {
    assertThat(TlsClientHandshake.sniName("rdp.example.test.")).isEqualTo("rdp.example.test");
    assertThat(TlsClientHandshake.sniName("10.0.0.5")).isNull();
    assertThat(TlsClientHandshake.sniName("fe80::1")).isNull();
    assertThat(TlsClientHandshake.sniName("[2001:db8::1]")).isNull();
    assertThat(TlsClientHandshake.sniName(" ")).isNull();
    assertThat(TlsClientHandshake.sniName(null)).isNull();
  }
}

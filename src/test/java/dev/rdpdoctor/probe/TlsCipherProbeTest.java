package dev.rdpdoctor.probe;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.TlsCipherEvidence;
import dev.rdpdoctor.evidence.TlsCipherEvidence.GroupResult;
import dev.rdpdoctor.evidence.TlsCipherEvidence.Suite;
import dev.rdpdoctor.evidence.TlsCipherEvidence.VersionSuites;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsVersionResult;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.testing.FakeRdpServer.ServerTls;
import dev.rdpdoctor.testing.TestCertificates;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.junit.jupiter.api.Test;

class TlsCipherProbeTest {
  private static final String HOST = "rdp.example.test";

  private static ProbeContext ctx() {
    return new ProbeContext(
        ProbeListener.NONE, WireTrace.NONE, Duration.ofSeconds(2), Duration.ofSeconds(6));
  }

  private static TlsEvidence tls12Only(int requested) {
    return new TlsEvidence(
        "x",
        requested,
        TlsEvidence.Status.OK,
        "TLSv1.2",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        null,
        null,
        List.of(),
        List.of(
            new TlsVersionResult("TLSv1.0", false, null, "protocol_version(70)", 1),
            new TlsVersionResult("TLSv1.2", true, "x", null, 1)),
        100,
        1);
  }

  @Test
  void eliminationFindsExactlyTheServersSuitesAndItsOrder() {
    String[] allowed = {
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"
    };
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(Answer.select(PROTOCOL_SSL))
            .tls(
                ServerTls.of(TestCertificates.selfSigned(HOST))
                    .versions("TLSv1.2")
                    .cipherSuites(allowed))
            .start()) {
      TlsCipherEvidence e =
          TlsCipherProbe.run(server.address(), server.port(), HOST, tls12Only(PROTOCOL_SSL), ctx());

      assertThat(e.key()).isEqualTo("tls_ciphers");
      assertThat(e.versions()).hasSize(1);
      VersionSuites v = e.versions().get(0);
      assertThat(v.version()).isEqualTo("TLSv1.2");
      assertThat(v.accepted())
          .as("%s %s", e, server.serverErrors())
          .extracting(Suite::name)
          .containsExactlyInAnyOrder(allowed);
      assertThat(v.accepted()).allMatch(Suite::completed);
      assertThat(v.accepted()).extracting(Suite::id).contains("0xC028", "0xC02F", "0x009F");
      assertThat(v.endedWith()).startsWith("handshake_failure");
      // JSSE servers honour their own suite order by default: the elimination shows it
      assertThat(v.serverPreference()).isTrue();
      assertThat(v.accepted()).extracting(Suite::name).containsExactly(allowed);
      assertThat(e.acceptedGroups()).contains("x25519", "secp256r1", "secp384r1");
      assertThat(e.groups()).allMatch(g -> g.version().equals("TLSv1.2"));
      assertThat(e.complete()).isTrue();
      assertThat(e.connections())
          .isLessThanOrEqualTo(TlsCipherProbe.MAX_CONNECTIONS)
          // 3 accepted + the refusal + the order check + 5 groups
          .isEqualTo(10);
      assertThat(e.maxConnections()).isEqualTo(60);
      assertThat(server.peakOpenConnections())
          .isLessThanOrEqualTo(ProbeContext.MAX_CONCURRENT_CONNECTIONS);
    }
  }

  @Test
  void tls13SuitesAndGroupsOneAtATime() {
    TlsEvidence seen =
        new TlsEvidence(
            "x",
            PROTOCOL_HYBRID,
            TlsEvidence.Status.OK,
            "TLSv1.3",
            "TLS_AES_256_GCM_SHA384",
            null,
            null,
            List.of(),
            List.of(new TlsVersionResult("TLSv1.3", true, "x", null, 1)),
            100,
            1);
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(Answer.select(PROTOCOL_HYBRID))
            .tls(
                ServerTls.of(TestCertificates.selfSigned(HOST))
                    .versions("TLSv1.3")
                    .cipherSuites("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"))
            .start()) {
      TlsCipherEvidence e = TlsCipherProbe.run(server.address(), server.port(), HOST, seen, ctx());
      assertThat(e.version("TLSv1.3").orElseThrow().accepted())
          .extracting(Suite::name)
          .containsExactlyInAnyOrder("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
      assertThat(e.groups()).extracting(GroupResult::group).contains("x25519", "ffdhe2048");
      assertThat(e.acceptedGroups()).contains("x25519", "secp256r1", "secp384r1");
      // the JDK server does not speak the hybrid post-quantum group
      assertThat(e.groups())
          .filteredOn(g -> g.group().equals("X25519MLKEM768"))
          .allMatch(g -> !g.accepted());
    }
  }

  @Test
  void runsOnItsOwnOnlyForNoSharedCipher() {
    TlsEvidence failure =
        new TlsEvidence(
            "x",
            PROTOCOL_SSL,
            TlsEvidence.Status.ALERT,
            null,
            null,
            "handshake_failure(40)",
            "refused",
            List.of(),
            List.of(),
            7,
            1);
    TlsEvidence closed =
        new TlsEvidence(
            "x",
            PROTOCOL_SSL,
            TlsEvidence.Status.CLOSED,
            null,
            null,
            null,
            "FIN",
            List.of(),
            List.of(),
            0,
            1);
    assertThat(TlsCipherProbe.noSharedCipher(failure)).isTrue();
    assertThat(TlsCipherProbe.noSharedCipher(closed)).isFalse();
    assertThat(TlsCipherProbe.noSharedCipher(tls12Only(PROTOCOL_SSL))).isFalse();
    // nothing completed: every version is worth a try
    assertThat(TlsCipherProbe.versionsToTry(failure)).containsExactlyElementsOf(TlsProbe.VERSIONS);
    assertThat(TlsCipherProbe.versionsToTry(tls12Only(PROTOCOL_SSL))).containsExactly("TLSv1.2");
  }

  @Test
  void offeredListsAreBroadAndValidPerVersion() {
    int[] tls10 = TlsCipherProbe.offerable(ProtocolVersion.TLSv10);
    int[] tls12 = TlsCipherProbe.offerable(ProtocolVersion.TLSv12);
    int[] tls13 = TlsCipherProbe.offerable(ProtocolVersion.TLSv13);
    assertThat(tls10)
        .contains(
            CipherSuite.TLS_RSA_WITH_RC4_128_SHA,
            CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
            CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA)
        .doesNotContain(
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_AES_128_GCM_SHA256);
    assertThat(tls12)
        .contains(
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)
        .doesNotContain(
            CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
            CipherSuite.TLS_FALLBACK_SCSV, CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA);
    assertThat(tls12.length).isGreaterThan(100);
    assertThat(tls13)
        .contains(CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_CHACHA20_POLY1305_SHA256)
        .hasSizeLessThan(12);
    assertThat(Arrays.stream(tls12).distinct().count()).isEqualTo(tls12.length);
    assertThat(TlsCipherProbe.name(0xC02F)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(TlsCipherProbe.name(0xFAFA)).isEqualTo("0xFAFA");
  }
}

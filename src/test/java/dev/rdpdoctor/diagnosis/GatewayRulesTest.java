package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.EvidenceFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.GatewayEvidence;
import dev.rdpdoctor.evidence.GatewayEvidence.HttpAttempt;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelResult;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelStep;
import dev.rdpdoctor.evidence.GatewayEvidence.UdpResult;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * GatewayRules from canned gateway evidence, shaped like what GatewayProbe records: every cause it
 * concludes, CAP vs RAP wording, the gateway's stricter certificate rules, ranking against the
 * direct-path rules. (The password checks run the real probe: GatewaySecretsTest.)
 */
class GatewayRulesTest {
  static final String GW = "gw.lab.test";
  static final String GW_ADDR = "198.19.9.2";

  private final Diagnoser diagnoser =
      new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));

  // ------------------------------------------------------------------ builders

  static DnsEvidence gwDns() {
    return new DnsEvidence(GW, DnsEvidence.Status.RESOLVED, List.of(GW_ADDR), 2, null);
  }

  static TcpEvidence gwTcp(TcpEvidence.Outcome o) {
    return new TcpEvidence(GW_ADDR, 443, o, 1, o == TcpEvidence.Outcome.OPEN ? null : "detail");
  }

  static CertificateInfo gwCert(
      String issuer,
      Instant from,
      Instant to,
      Boolean nameMatches,
      boolean selfSigned,
      String sha256) {
    return new CertificateInfo(
        "CN=" + GW,
        GW,
        List.of("DNS:" + GW),
        issuer,
        "02",
        from,
        to,
        "RSA",
        2048,
        "SHA256withRSA",
        true,
        selfSigned,
        sha256,
        nameMatches);
  }

  static CertificateInfo goodGwCert() {
    return gwCert(
        "CN=Lab Root CA",
        Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2028-01-01T00:00:00Z"),
        true,
        false,
        "AA:BB:CC");
  }

  static TlsEvidence gwTls(CertificateInfo leaf) {
    return new TlsEvidence(
        GW_ADDR,
        0,
        TlsEvidence.Status.OK,
        "TLSv1.3",
        "TLS_AES_256_GCM_SHA384",
        null,
        null,
        List.of(leaf),
        List.of(),
        1800,
        7);
  }

  static HttpAttempt http(
      String label, int status, String reason, List<String> schemes, String hint) {
    return new HttpAttempt(
        label,
        label + " /remoteDesktopGateway/ HTTP/1.1",
        status,
        reason,
        schemes,
        "Microsoft-HTTPAPI/2.0",
        null,
        hint,
        status == 0 ? "closed" : null,
        4);
  }

  static HttpAttempt challenge() {
    return http("RDG_OUT_DATA", 401, "Unauthorized", List.of("Negotiate", "NTLM"), null);
  }

  static GatewayEvidence gateway(
      TlsEvidence tls,
      List<HttpAttempt> http,
      String expected,
      UdpResult udp,
      TunnelResult tunnel) {
    return new GatewayEvidence(
        GW,
        443,
        gwDns(),
        List.of(gwTcp(TcpEvidence.Outcome.OPEN)),
        tls,
        http,
        expected,
        udp,
        tunnel,
        List.of());
  }

  static GatewayEvidence healthyGateway(TunnelResult tunnel) {
    return gateway(
        gwTls(goodGwCert()),
        List.of(challenge(), http("websocket", 401, "Unauthorized", List.of("Negotiate"), null)),
        null,
        new UdpResult(3391, UdpResult.Outcome.ANSWERED, "HelloVerifyRequest", 3),
        tunnel);
  }

  static TunnelResult tunnel(String failingStep, String hr, String name, String detail) {
    List<TunnelStep> steps = new java.util.ArrayList<>();
    for (String s : List.of("HANDSHAKE", "TUNNEL_CREATE", "TUNNEL_AUTH", "CHANNEL_CREATE")) {
      if (s.equals(failingStep)) {
        steps.add(
            new TunnelStep(
                s,
                hr == null ? null : (int) Long.parseLong(hr.substring(2), 16),
                name,
                false,
                detail,
                3));
        return new TunnelResult("NTLM", 101, null, steps, false);
      }
      steps.add(new TunnelStep(s, 0, "S_OK", true, null, 3));
    }
    return new TunnelResult("NTLM", 101, null, steps, true);
  }

  /** Only the gateway was probed (no direct path): what diagnose --gateway records. */
  static Evidence viaGateway(GatewayEvidence g) {
    return new Evidence(
            new Target("rdp.target.test", 3389, false, ClientProfile.WINDOWS),
            NOW,
            null,
            List.of(),
            null,
            null,
            null,
            null,
            List.of(),
            List.of(),
            40)
        .with(g);
  }

  Diagnosis diagnose(GatewayEvidence g) {
    return diagnoser.diagnose(viaGateway(g));
  }

  static List<String> causes(Diagnosis d) {
    return d.findings().stream().map(Finding::cause).toList();
  }

  // ------------------------------------------------------------------ every cause

  @Test
  void healthyGatewayWithCompletedTunnelIsHealthy() {
    Diagnosis d = diagnose(healthyGateway(tunnel(null, null, null, null)));
    assertThat(causes(d)).containsExactly("healthy");
    assertThat(d.verdict()).isEqualTo(Verdict.OK);
    assertThat(d.checked())
        .anyMatch(c -> c.contains("a healthy RD Gateway before logon"))
        .anyMatch(c -> c.contains("CAP and RAP"));
  }

  @Test
  void unresolvableGatewayNameIsGatewayUnreachable() {
    GatewayEvidence g =
        new GatewayEvidence(
            GW,
            443,
            new DnsEvidence(GW, DnsEvidence.Status.NOT_FOUND, List.of(), 3, "NXDOMAIN"),
            List.of(),
            null,
            List.of(),
            null,
            null,
            null,
            List.of("gateway TCP: no address"));
    Finding f = diagnose(g).findings().get(0);
    assertThat(f.cause()).isEqualTo("gateway-unreachable");
    assertThat(f.confidence()).isEqualTo(Confidence.HIGH);
    assertThat(f.summary()).contains("does not resolve").contains(GW);
  }

  @Test
  void closedGatewayPortIsGatewayUnreachable() {
    GatewayEvidence g =
        new GatewayEvidence(
            GW,
            8443,
            gwDns(),
            List.of(new TcpEvidence(GW_ADDR, 8443, TcpEvidence.Outcome.TIMEOUT, 4000, "timeout")),
            null,
            List.of(),
            null,
            null,
            null,
            List.of());
    Diagnosis d = diagnose(g);
    assertThat(causes(d)).containsExactly("gateway-unreachable");
    assertThat(d.findings().get(0).summary()).contains(GW + ":8443").contains("timeout");
  }

  @Test
  void tlsAlertIsGatewayTlsFailed() {
    TlsEvidence broken =
        new TlsEvidence(
            GW_ADDR,
            0,
            TlsEvidence.Status.ALERT,
            null,
            null,
            "handshake_failure(40)",
            "no shared cipher",
            List.of(),
            List.of(),
            7,
            5);
    Diagnosis d = diagnose(gateway(broken, List.of(), null, null, null));
    assertThat(causes(d)).containsExactly("gateway-tls-failed");
    assertThat(d.findings().get(0).summary()).contains("handshake_failure(40)");
  }

  @Test
  void tlsOkButNoHttpAnswerIsGatewayTlsFailedMedium() {
    Diagnosis d =
        diagnose(
            gateway(
                gwTls(goodGwCert()),
                List.of(http("RDG_OUT_DATA", 0, null, List.of(), null)),
                null,
                null,
                null));
    Finding f = d.findings().get(0);
    assertThat(f.cause()).isEqualTo("gateway-tls-failed");
    assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
    assertThat(f.summary()).contains("RDG_OUT_DATA");
  }

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "403, gateway-forbidden,      MEDIUM, IIS request filtering",
    "404, gateway-not-rd-gateway, HIGH,   not an RD Gateway",
    "200, gateway-not-rd-gateway, HIGH,   not an RD Gateway",
    "302, gateway-not-rd-gateway, MEDIUM, redirects",
    "502, gateway-error,          HIGH,   reverse proxy cannot reach",
    "500, gateway-error,          HIGH,   fails internally",
    "418, gateway-not-rd-gateway, LOW,    unexpected 418",
  })
  void httpStatusBeforeLogon(int status, String cause, Confidence conf, String words) {
    HttpAttempt h =
        http(
            "RDG_OUT_DATA",
            status,
            "Reason",
            List.of(),
            status >= 500 ? "upstream connect error" : null);
    Finding f =
        diagnose(gateway(gwTls(goodGwCert()), List.of(h), null, null, null)).findings().get(0);
    assertThat(f.cause()).isEqualTo(cause);
    assertThat(f.confidence()).isEqualTo(conf);
    assertThat(f.summary()).contains(words);
    if (status >= 500) {
      assertThat(f.summary()).contains("upstream connect error");
    }
  }

  @Test
  void a401WithoutGatewaySchemesIsNotAGateway() {
    HttpAttempt h = http("RDG_OUT_DATA", 401, "Unauthorized", List.of("FancyToken"), null);
    Finding f =
        diagnose(gateway(gwTls(goodGwCert()), List.of(h), null, null, null)).findings().get(0);
    assertThat(f.cause()).isEqualTo("gateway-not-rd-gateway");
    assertThat(f.summary()).contains("FancyToken");
  }

  @Test
  void silentWebSocketUpgradeIsSuspectedInterception() {
    GatewayEvidence g =
        gateway(
            gwTls(goodGwCert()),
            List.of(challenge(), http("websocket", 0, null, List.of(), null)),
            null,
            null,
            null);
    Finding f = diagnose(g).findings().get(0);
    assertThat(f.cause()).isEqualTo("tls-interception");
    assertThat(f.severity()).isEqualTo(Severity.WARN);
    assertThat(f.confidence()).isEqualTo(Confidence.LOW);
  }

  @Test
  void wrongPasswordIsGatewayAuthFailed() {
    Diagnosis d = diagnose(healthyGateway(new TunnelResult("NTLM", 401, null, List.of(), false)));
    assertThat(causes(d)).containsExactly("gateway-auth-failed");
    assertThat(d.findings().get(0).evidence()).anyMatch(r -> r.fact().contains("HTTP 401"));
  }

  @Test
  void capDenialSaysCapAndNotRap() {
    Finding f =
        diagnose(
                healthyGateway(
                    tunnel(
                        "TUNNEL_AUTH",
                        "0x800759DB",
                        "E_PROXY_NAP_ACCESSDENIED",
                        "user not admitted")))
            .findings()
            .get(0);
    assertThat(f.cause()).isEqualTo("gateway-forbidden");
    assertThat(f.severity()).isEqualTo(Severity.FAIL);
    assertThat(f.summary())
        .contains("connection authorization policy (RD CAP)")
        .contains("TUNNEL_AUTH")
        .doesNotContain("RD RAP");
  }

  @Test
  void rapDenialSaysRapAndNotCap() {
    Finding f =
        diagnose(
                healthyGateway(
                    tunnel(
                        "CHANNEL_CREATE",
                        "0x800759DA",
                        "E_PROXY_RAP_ACCESSDENIED",
                        "resource not allowed")))
            .findings()
            .get(0);
    assertThat(f.cause()).isEqualTo("gateway-forbidden");
    assertThat(f.summary())
        .contains("resource authorization policy (RD RAP)")
        .contains("CHANNEL_CREATE")
        .doesNotContain("RD CAP");
  }

  @ParameterizedTest(name = "{1} at {0} -> {3}")
  @CsvSource({
    "CHANNEL_CREATE, 0x800759DD, E_PROXY_TS_CONNECTFAILED,   gateway-error,       cannot reach the target",
    "TUNNEL_CREATE,  0x800759D8, E_PROXY_INTERNALERROR,      gateway-error,       fails at TUNNEL_CREATE",
    "TUNNEL_AUTH,    0x800759ED, E_PROXY_QUARANTINE_ACCESSDENIED, gateway-forbidden, RD CAP",
    "HANDSHAKE,      0x800759F9, E_PROXY_UNSUPPORTED_AUTHENTICATION_METHOD, gateway-auth-failed, RD CAP",
    "TUNNEL_CREATE,  0x8007FFFF, UNKNOWN(0x8007FFFF),        gateway-error,       fails at TUNNEL_CREATE",
  })
  void otherTunnelErrors(String step, String hr, String name, String cause, String words) {
    Finding f = diagnose(healthyGateway(tunnel(step, hr, name, "detail"))).findings().get(0);
    assertThat(f.cause()).isEqualTo(cause);
    assertThat(f.summary()).contains(words).contains(hr);
  }

  @Test
  void noAnswerToATunnelStepIsGatewayError() {
    Finding f =
        diagnose(healthyGateway(tunnel("TUNNEL_CREATE", null, null, null))).findings().get(0);
    assertThat(f.cause()).isEqualTo("gateway-error");
    assertThat(f.summary()).contains("no answer to TUNNEL_CREATE");
  }

  @Test
  void logonThatCannotCompleteIsALowGatewayWarning() {
    Finding f =
        diagnose(healthyGateway(new TunnelResult("NTLM", 0, "connection reset", List.of(), false)))
            .findings()
            .get(0);
    assertThat(f.cause()).isEqualTo("gateway-error");
    assertThat(f.severity()).isEqualTo(Severity.WARN);
    assertThat(f.confidence()).isEqualTo(Confidence.LOW);
  }

  @ParameterizedTest(name = "UDP {0} -> {1}")
  @CsvSource({"SILENT, WARN, MEDIUM", "REFUSED, INFO, HIGH"})
  void udp3391(UdpResult.Outcome o, Severity sev, Confidence conf) {
    GatewayEvidence g =
        gateway(
            gwTls(goodGwCert()),
            List.of(challenge()),
            null,
            new UdpResult(3391, o, "detail", 3000),
            null);
    Finding f =
        diagnose(g).findings().stream()
            .filter(x -> x.cause().equals("gateway-udp-blocked"))
            .findFirst()
            .orElseThrow();
    assertThat(f.severity()).isEqualTo(sev);
    assertThat(f.confidence()).isEqualTo(conf);
  }

  // ------------------------------------------------------------------ certificates

  @Test
  void inspectionIssuerIsTlsInterception() {
    CertificateInfo c =
        gwCert(
            "CN=Fortinet_CA_SSL,O=Fortinet",
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2028-01-01T00:00:00Z"),
            true,
            false,
            "11:22");
    Finding f =
        diagnose(gateway(gwTls(c), List.of(challenge()), null, null, null)).findings().get(0);
    assertThat(f.cause()).isEqualTo("tls-interception");
    assertThat(f.summary()).contains("Fortinet");
    assertThat(f.evidence()).anyMatch(r -> r.fact().contains("source:"));
  }

  @Test
  void fingerprintMismatchIsTlsInterceptionAndMatchIsChecked() {
    Diagnosis bad =
        diagnose(gateway(gwTls(goodGwCert()), List.of(challenge()), "DEADBEEF", null, null));
    assertThat(bad.findings().get(0).cause()).isEqualTo("tls-interception");
    assertThat(bad.findings().get(0).summary()).contains("AABBCC").contains("DEADBEEF");
    Diagnosis good =
        diagnose(gateway(gwTls(goodGwCert()), List.of(challenge()), "AABBCC", null, null));
    assertThat(causes(good)).doesNotContain("tls-interception");
    assertThat(good.checked()).anyMatch(c -> c.contains("fingerprint matches"));
  }

  @Test
  void gatewayNameMismatchIsFatalUnlikeTheDirectPath() {
    CertificateInfo wrongName =
        gwCert(
            "CN=Lab Root CA",
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2028-01-01T00:00:00Z"),
            false,
            false,
            "AA");
    Finding gw =
        diagnose(gateway(gwTls(wrongName), List.of(challenge()), null, null, null))
            .findings()
            .get(0);
    assertThat(gw.cause()).isEqualTo("cert-name-mismatch");
    assertThat(gw.severity()).isEqualTo(Severity.FAIL);
    assertThat(gw.summary()).contains("RD Gateway").contains("refuses the gateway");
    // The same mismatch on an RDP server is only a warning: mstsc lets the user connect anyway.
    CertificateInfo direct =
        EvidenceFixtures.cert(
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2028-01-01T00:00:00Z"),
            false,
            2048,
            "SHA256withRSA",
            false);
    Finding rdp =
        diagnoser
            .diagnose(
                EvidenceFixtures.reachable(
                    ClientProfile.WINDOWS,
                    List.of(
                        EvidenceFixtures.response(
                            "client", 0x0B, SecurityProtocol.PROTOCOL_HYBRID)),
                    EvidenceFixtures.tlsOk(
                        direct, EvidenceFixtures.versions(false, false, true, true), "TLSv1.3")))
            .findings()
            .stream()
            .filter(x -> x.cause().equals("cert-name-mismatch"))
            .findFirst()
            .orElseThrow();
    assertThat(rdp.severity()).isEqualTo(Severity.WARN);
  }

  @Test
  void gatewaySelfSignedIsAWarningUnlikeTheDirectPath() {
    CertificateInfo self =
        gwCert(
            "CN=" + GW,
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2028-01-01T00:00:00Z"),
            true,
            true,
            "AA");
    Finding f =
        diagnose(gateway(gwTls(self), List.of(challenge()), null, null, null)).findings().get(0);
    assertThat(f.cause()).isEqualTo("cert-self-signed");
    assertThat(f.severity()).isEqualTo(Severity.WARN);
    assertThat(f.summary()).contains("trusted root store");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "cert-expired,       2024-01-01T00:00:00Z, 2026-01-01T00:00:00Z, FAIL",
    "cert-not-yet-valid, 2027-01-01T00:00:00Z, 2028-01-01T00:00:00Z, FAIL",
    "cert-expiring-soon, 2026-01-01T00:00:00Z, 2026-12-01T00:00:00Z, WARN",
  })
  void gatewayCertificateDates(String cause, Instant from, Instant to, Severity sev) {
    CertificateInfo c = gwCert("CN=Lab Root CA", from, to, true, false, "AA");
    Finding f =
        diagnose(gateway(gwTls(c), List.of(challenge()), null, null, null)).findings().get(0);
    assertThat(f.cause()).isEqualTo(cause);
    assertThat(f.severity()).isEqualTo(sev);
    assertThat(f.summary()).contains("RD Gateway " + GW);
  }

  // ------------------------------------------------------------------ ranking

  @Test
  void gatewayFailureOutranksADirectPathWarning() {
    // Direct path reachable but with a legacy-TLS-only server (a warning at most), gateway CAP
    // denies: the CAP denial is what stops the user and comes first.
    Evidence direct =
        EvidenceFixtures.reachable(
            ClientProfile.WINDOWS,
            List.of(EvidenceFixtures.response("client", 0x0B, SecurityProtocol.PROTOCOL_HYBRID)),
            EvidenceFixtures.tlsOk(
                EvidenceFixtures.goodCert(),
                EvidenceFixtures.versions(false, false, true, true),
                "TLSv1.3"));
    Evidence both =
        direct.with(
            healthyGateway(
                tunnel("TUNNEL_AUTH", "0x800759DB", "E_PROXY_NAP_ACCESSDENIED", "denied")));
    Diagnosis d = diagnoser.diagnose(both);
    assertThat(d.findings().get(0).cause()).isEqualTo("gateway-forbidden");
    assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    // the direct path's self-signed note is still there, ranked after the failure
    assertThat(causes(d)).contains("cert-self-signed");
    assertThat(causes(d).indexOf("gateway-forbidden"))
        .isLessThan(causes(d).indexOf("cert-self-signed"));
  }

  @Test
  void directPathFailureAndGatewayFailureAreBothReportedInSeverityOrder() {
    Evidence closed =
        EvidenceFixtures.unreachable(TcpEvidence.Outcome.REFUSED, null)
            .with(
                gateway(
                    gwTls(goodGwCert()),
                    List.of(challenge()),
                    null,
                    new UdpResult(3391, UdpResult.Outcome.SILENT, "no datagram", 3000),
                    null));
    Diagnosis d = diagnoser.diagnose(closed);
    assertThat(causes(d)).containsSubsequence("port-closed", "gateway-udp-blocked");
    assertThat(d.findings().get(0).severity()).isEqualTo(Severity.FAIL);
  }
}

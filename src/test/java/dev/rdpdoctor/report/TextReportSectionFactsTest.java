package dev.rdpdoctor.report;

import static dev.rdpdoctor.report.TextReportPathFactsTest.ADDR;
import static dev.rdpdoctor.report.TextReportPathFactsTest.core;
import static dev.rdpdoctor.report.TextReportPathFactsTest.facts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.diagnosis.Diagnoser;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.EventLogEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.EvidenceSection;
import dev.rdpdoctor.evidence.GatewayEvidence;
import dev.rdpdoctor.evidence.GatewayEvidence.HttpAttempt;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelResult;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelStep;
import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.RdpFileEvidence;
import dev.rdpdoctor.evidence.RdpFileIssue;
import dev.rdpdoctor.evidence.RdpSecurityEvidence;
import dev.rdpdoctor.evidence.SectionFacts;
import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsCipherEvidence;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every kind of evidence section has its lines in the text report's facts table. */
class TextReportSectionFactsTest {
  static final Instant NOW = TextReportPathFactsTest.NOW;

  /** One of each section kind, with facts a reader would look for. */
  static List<EvidenceSection> oneOfEach() {
    return List.of(
        new NlaEvidence(
            ADDR,
            "HYBRID",
            NlaEvidence.Status.MALFORMED,
            "TLSv1.3",
            6,
            null,
            null,
            null,
            null,
            "TSRequest did not parse",
            12),
        new SessionEvidence(
            ADDR,
            SessionEvidence.Status.MALFORMED,
            null,
            "TLS",
            List.of(new SessionEvidence.Step("TLS", 9, null)),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of(),
            null,
            null,
            "MCS Connect Response did not parse",
            20),
        new PathEvidence(
            ADDR,
            null,
            null,
            null,
            null,
            null,
            List.of(
                new PathEvidence.InterfaceMtu(
                    "eth0", "eth0", 1500, true, false, false, List.of()))),
        new TlsCipherEvidence(
            ADDR,
            List.of(
                new TlsCipherEvidence.VersionSuites(
                    "TLSv1.2",
                    List.of(new TlsCipherEvidence.Suite("TLS_AES_X", "0x1301", true)),
                    null,
                    "alert")),
            List.of(),
            3,
            40,
            5000,
            true,
            List.of(),
            30),
        new GatewayEvidence(
            "gw.lab.test",
            443,
            new DnsEvidence(
                "gw.lab.test", DnsEvidence.Status.RESOLVED, List.of("198.19.9.9"), 1, null),
            List.of(new TcpEvidence("198.19.9.9", 443, TcpEvidence.Outcome.OPEN, 1, null)),
            null,
            List.of(
                new HttpAttempt(
                    "RDG_OUT_DATA",
                    "RDG_OUT_DATA /remoteDesktopGateway/",
                    401,
                    "Unauthorized",
                    List.of("NTLM"),
                    "Microsoft-IIS/10.0",
                    null,
                    null,
                    null,
                    5)),
            null,
            null,
            new TunnelResult(
                "NTLM",
                101,
                null,
                List.of(
                    new TunnelStep(
                        "CHANNEL_CREATE",
                        0x800759DA,
                        "E_PROXY_RAP_ACCESSDENIED",
                        false,
                        "denied",
                        4)),
                false),
            List.of()),
        new RdpSecurityEvidence(
            ADDR,
            RdpSecurityEvidence.Status.ERROR,
            List.of(),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            "every Connect Initial refused",
            7),
        new RdpFileEvidence(
            "/tmp/x.rdp",
            "UTF-8",
            4,
            "srv.lab.test:3390",
            null,
            null,
            "srv.lab.test",
            3390,
            null,
            null,
            null,
            0,
            null,
            null,
            null,
            null,
            false,
            List.of(
                new RdpFileIssue(
                    "credssp-disabled", "warn", 2, "enablecredsspsupport", "CredSSP is off", null)),
            List.of(),
            null),
        new EventLogEvidence(
            List.of(
                new LogEvent(
                    "rdp.evtx",
                    1L,
                    NOW,
                    "Microsoft-Windows-" + "TerminalServices-RDPClient/Operational",
                    "RDPClient",
                    1026,
                    "info",
                    "pc",
                    null,
                    Map.of("Value", "2308"),
                    "disconnected")),
            List.of("rdp.evtx")));
  }

  @Test
  void theSamplesCoverEverySectionKind() {
    Set<Class<?>> sampled = oneOfEach().stream().map(Object::getClass).collect(Collectors.toSet());
    assertThat(sampled)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.asList(EvidenceSection.class.getPermittedSubclasses()));
  }

  @Test
  void everySectionRendersItsOwnFacts() {
    Evidence e = core();
    for (EvidenceSection s : oneOfEach()) {
      assertThat(SectionFacts.of(s)).as(s.key()).isNotEmpty();
      e = e.with(s);
    }
    List<String> facts =
        facts(
            new TextReport(false)
                .render(
                    new Report(
                        "test",
                        e,
                        new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC))
                            .diagnose(e))));
    assertThat(facts).anyMatch(l -> l.startsWith("  nla ") && l.contains("malformed"));
    assertThat(facts).anyMatch(l -> l.contains("MCS Connect Response did not parse"));
    assertThat(facts).anyMatch(l -> l.startsWith("  iface ") && l.contains("eth0"));
    assertThat(facts).anyMatch(l -> l.contains("TLS_AES_X"));
    assertThat(facts)
        .anyMatch(
            l ->
                l.startsWith("  gateway ")
                    && l.contains("CHANNEL_CREATE -> E_PROXY_RAP_ACCESSDENIED 0x800759DA"));
    assertThat(facts).anyMatch(l -> l.startsWith("  gateway ") && l.contains("RDG_OUT_DATA"));
    assertThat(facts)
        .anyMatch(l -> l.startsWith("  rdp_sec ") && l.contains("every Connect Initial refused"));
    assertThat(facts).anyMatch(l -> l.startsWith("  rdp_file ") && l.contains("/tmp/x.rdp"));
    assertThat(facts).anyMatch(l -> l.startsWith("  event_log ") && l.contains("1026"));
  }
}

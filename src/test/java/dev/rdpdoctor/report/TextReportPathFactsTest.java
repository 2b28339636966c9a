package dev.rdpdoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.diagnosis.Diagnoser;
import dev.rdpdoctor.evidence.AlternateAddressCheck;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.ConnectionLimitCheck;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.MtuCheck;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.QualityCheck;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.UdpCheck;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The path section in the text report's facts table: every check, its cost and its bound. */
class TextReportPathFactsTest {
  static final String HOST = "srv.lab.test";
  static final String ADDR = "198.19.115.2";
  static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  final Diagnoser diagnoser = new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));

  /** A server that answers RDP (TLS not probed): enough core evidence for a diagnosis. */
  static Evidence core() {
    int offer = SecurityProtocol.PROTOCOL_SSL | SecurityProtocol.PROTOCOL_HYBRID;
    NegotiationAttempt a =
        new NegotiationAttempt(
            "client",
            offer,
            SecurityProtocol.names(offer),
            NegotiationAttempt.Outcome.RESPONSE,
            SecurityProtocol.PROTOCOL_SSL,
            SecurityProtocol.names(SecurityProtocol.PROTOCOL_SSL),
            1,
            List.of("EXTENDED_CLIENT_DATA_SUPPORTED"),
            null,
            null,
            null,
            "030000130ed0",
            3,
            null);
    return new Evidence(
        new Target(HOST, 3389, false, ClientProfile.WINDOWS),
        NOW,
        new DnsEvidence(HOST, DnsEvidence.Status.RESOLVED, List.of(ADDR), 2, null),
        List.of(new TcpEvidence(ADDR, 3389, TcpEvidence.Outcome.OPEN, 1, null)),
        null,
        ADDR,
        new NegotiationEvidence(ADDR, List.of(a)),
        null,
        List.of(),
        List.of(),
        50);
  }

  static QualityCheck slowLink() {
    return new QualityCheck(
        ADDR,
        3389,
        12,
        List.of(298.7, 305.0, 320.1),
        0,
        0,
        298.7,
        305.0,
        320.1,
        5.8,
        0.0,
        "asked (--path)",
        3664,
        new PathEvidence.Bounds(48, 30.0),
        null,
        null);
  }

  static UdpCheck udpRejected() {
    return new UdpCheck(
        ADDR,
        3389,
        UdpCheck.Outcome.PORT_UNREACHABLE,
        UdpCheck.Outcome.PORT_UNREACHABLE,
        UdpCheck.Offer.YES,
        "--expect-udp",
        null,
        null,
        null,
        "ICMP port unreachable",
        353,
        new PathEvidence.Bounds(4, 1.5));
  }

  static MtuCheck mtu1280() {
    return new MtuCheck(
        ADDR,
        MtuCheck.Status.MEASURED,
        1280,
        1252,
        1500,
        "eth0",
        11,
        "ping -M do",
        null,
        5400,
        new PathEvidence.Bounds(13, 32.5));
  }

  static ConnectionLimitCheck limited() {
    return new ConnectionLimitCheck(
        ADDR,
        3389,
        8,
        4,
        4,
        0,
        0,
        "connect failed",
        false,
        1632,
        new PathEvidence.Bounds(46, 13.5));
  }

  static AlternateAddressCheck otherMachine(String subject) {
    return new AlternateAddressCheck(
        "198.19.1.9",
        List.of(ADDR),
        false,
        "open",
        "selected SSL",
        true,
        "AA:BB",
        subject,
        "CC:DD",
        420,
        new PathEvidence.Bounds(20, 16.0));
  }

  static List<PathEvidence.InterfaceMtu> interfaces() {
    return List.of(
        new PathEvidence.InterfaceMtu(
            "eth0", "eth0", 1500, true, false, false, List.of("198.18.115.2")),
        new PathEvidence.InterfaceMtu(
            "tun0", "OpenVPN TAP", 1400, true, false, true, List.of("10.8.0.2")),
        new PathEvidence.InterfaceMtu("lo", "lo", 65536, true, true, false, List.of()));
  }

  String render(Evidence e) {
    return new TextReport(false).render(new Report("test", e, diagnoser.diagnose(e)));
  }

  /** The facts table only: the lines after "Facts". */
  static List<String> facts(String text) {
    List<String> lines = Arrays.asList(text.split("\n"));
    return lines.subList(lines.indexOf("Facts") + 1, lines.size());
  }

  @Test
  void everyPathCheckIsAFactLineWithItsCostAndBound() {
    Evidence e =
        core()
            .with(
                new PathEvidence(
                    ADDR,
                    udpRejected(),
                    slowLink(),
                    mtu1280(),
                    limited(),
                    otherMachine("CN=right.lab.test"),
                    interfaces()));
    List<String> facts = facts(render(e));

    assertThat(facts)
        .contains(
            "  udp       UDP 198.19.115.2:3389: 1232-byte RDP-UDP SYN -> ICMP port unreachable;"
                + " small datagram -> ICMP port unreachable; the server offers RDP-UDP"
                + " (--expect-udp) [took 353 ms; bound 4 packets, 1.5 s]",
            "  quality   12 TCP handshakes to 198.19.115.2: RTT min 298.7 / median 305.0 / p95"
                + " 320.1 ms, jitter 5.8 ms; 0 retransmitted, 0 failed (loss about 0 %); ran"
                + " because asked (--path) [took 3664 ms; bound 48 packets, 30.0 s]",
            "  mtu       path MTU to 198.19.115.2: 1280 bytes (11 pings with Don't-Fragment; local"
                + " eth0 MTU 1500) [took 5400 ms; bound 13 packets, 32.5 s]",
            "  connlimit 8 connections at once to 198.19.115.2:3389: 4 accepted, 4 refused, 0 timed"
                + " out, 0 dropped while held; an RDP request meanwhile: connect failed"
                + " [took 1632 ms; bound 46 packets, 13.5 s]",
            "  given-ip  given address 198.19.1.9 (the name resolves to 198.19.115.2): TCP open,"
                + " RDP selected SSL, certificate CN=right.lab.test SHA-256 AA:BB; the name's server"
                + " has another certificate (SHA-256 CC:DD) [took 420 ms; bound 20 packets, 16.0 s]",
            "  iface     eth0 MTU 1500 up (198.18.115.2)",
            "  iface     tun0 \"OpenVPN TAP\" MTU 1400 up, likely VPN (10.8.0.2)",
            "  iface     lo MTU 65536 up, loopback");
    // the path lines follow the core facts, in the order of the README's path table
    assertThat(
            facts.indexOf(
                facts.stream().filter(l -> l.startsWith("  udp")).findFirst().orElseThrow()))
        .isGreaterThan(
            facts.indexOf(
                facts.stream().filter(l -> l.startsWith("  x224")).findFirst().orElseThrow()));
  }

  @Test
  void checksThatDidNotRunHaveNoLineAndNoPathSectionMeansNoPathFacts() {
    MtuCheck silent =
        new MtuCheck(
            ADDR,
            MtuCheck.Status.NO_REPLY,
            null,
            null,
            1500,
            "eth0",
            1,
            "ping",
            "no reply even to a 64-byte ping",
            1000,
            new PathEvidence.Bounds(13, 32.5));
    List<String> some =
        facts(
            render(core().with(new PathEvidence(ADDR, null, null, silent, null, null, List.of()))));
    assertThat(some)
        .contains(
            "  mtu       path MTU to 198.19.115.2 not measured: no reply even"
                + " to a 64-byte ping [took 1000 ms; bound 13 packets, 32.5 s]");
    assertThat(some).noneMatch(l -> l.matches("  (udp|quality|connlimit|given-ip|iface) .*"));

    List<String> none = facts(render(core()));
    assertThat(none).noneMatch(l -> l.matches("  (udp|quality|mtu|connlimit|given-ip|iface) .*"));
    assertThat(none).anyMatch(l -> l.startsWith("  x224"));
  }

  @Test
  void unknownUdpOfferAndNoCompletedHandshakeAreSaidPlainly() {
    UdpCheck silent =
        new UdpCheck(
            ADDR,
            3389,
            UdpCheck.Outcome.SILENT,
            UdpCheck.Outcome.SILENT,
            UdpCheck.Offer.UNKNOWN,
            "unknown",
            null,
            null,
            null,
            null,
            1500,
            new PathEvidence.Bounds(4, 1.5));
    QualityCheck dead =
        new QualityCheck(
            ADDR,
            3389,
            12,
            List.of(),
            0,
            12,
            null,
            null,
            null,
            null,
            1.0,
            "an RDP request timed out",
            30000,
            new PathEvidence.Bounds(48, 30.0),
            null,
            null);
    List<String> facts =
        facts(
            render(core().with(new PathEvidence(ADDR, silent, dead, null, null, null, List.of()))));
    assertThat(facts)
        .contains(
            "  udp       UDP 198.19.115.2:3389: 1232-byte RDP-UDP SYN -> no answer; small datagram"
                + " -> no answer; whether the server offers RDP-UDP is unknown"
                + " [took 1500 ms; bound 4 packets, 1.5 s]",
            "  quality   12 TCP handshakes to 198.19.115.2: none completed; ran because an RDP"
                + " request timed out [took 30000 ms; bound 48 packets, 30.0 s]");
  }

  @Test
  void serverControlledTextInThePathFactsCannotDriveTheTerminal() {
    // the certificate subject at the --ip address comes from whoever answers there
    Evidence e =
        core()
            .with(
                new PathEvidence(
                    ADDR,
                    null,
                    null,
                    null,
                    null,
                    otherMachine("CN=x\u001b[2J\rFAKE\u202Eline"),
                    List.of()));
    String text = render(e);
    assertThat(text).doesNotContain("\u001b").doesNotContain("\r").doesNotContain("\u202E");
    assertThat(facts(text))
        .anyMatch(
            l -> l.startsWith("  given-ip") && l.contains("CN=x\\x1b[2J\\x0dFAKE\\u202eline"));
  }
}

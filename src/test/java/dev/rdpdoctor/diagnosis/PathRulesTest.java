package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.EvidenceFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.AlternateAddressCheck;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.ConnectionLimitCheck;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.MtuCheck;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.QualityCheck;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.UdpCheck;
import dev.rdpdoctor.evidence.UdpCheck.Offer;
import dev.rdpdoctor.evidence.UdpCheck.Outcome;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathRulesTest {
  final Diagnoser diagnoser = new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));
  static final PathEvidence.Bounds B = new PathEvidence.Bounds(4, 1.5);
  static final ClientProfile WIN = ClientProfile.byName("windows").orElseThrow();

  static Evidence healthy() {
    int offer = WIN.requestedProtocols();
    return reachable(
        WIN,
        List.of(response("client", offer, SecurityProtocol.PROTOCOL_HYBRID)),
        tlsOk(goodCert(), List.of(), "TLSv1.3"));
  }

  static Evidence stalled() {
    int offer = WIN.requestedProtocols();
    TlsEvidence t =
        new TlsEvidence(
            ADDR,
            offer,
            TlsEvidence.Status.TIMEOUT,
            null,
            null,
            null,
            "timed out",
            List.of(),
            List.of(),
            0,
            8000);
    return reachable(WIN, List.of(response("client", offer, SecurityProtocol.PROTOCOL_HYBRID)), t);
  }

  static PathEvidence path(
      UdpCheck u, QualityCheck q, MtuCheck m, ConnectionLimitCheck c, AlternateAddressCheck a) {
    return new PathEvidence(ADDR, u, q, m, c, a, List.of());
  }

  static QualityCheck quality(double median, int unclean) {
    List<Double> rtts = Collections.nCopies(12 - unclean, median);
    double loss = 1 - Math.sqrt((12 - unclean) / 12.0);
    return new QualityCheck(
        ADDR,
        3389,
        12,
        rtts,
        unclean,
        0,
        median,
        median,
        median,
        1.0,
        loss,
        "asked (--path)",
        100,
        B,
        12,
        unclean);
  }

  static UdpCheck udp(Outcome full, Outcome small, Offer offer) {
    return new UdpCheck(ADDR, 3389, full, small, offer, "test", null, null, null, null, 10, B);
  }

  Diagnosis run(Evidence e) {
    return diagnoser.diagnose(e);
  }

  @Test
  void stalledTlsWithMeasuredSmallMtuIsABlackHoleWithTheValueInTheFix() {
    MtuCheck m =
        new MtuCheck(
            ADDR, MtuCheck.Status.MEASURED, 1280, 1252, 1500, "eth0", 12, "ping", null, 900, B);
    Diagnosis d = run(stalled().with(path(null, quality(2, 0), m, null, null)));
    Finding top = d.findings().get(0);
    assertThat(top.cause()).isEqualTo("pmtu-blackhole");
    assertThat(top.confidence()).isEqualTo(Confidence.HIGH);
    assertThat(top.summary()).contains("1280");
    assertThat(top.fixes().get(0).steps())
        .anyMatch(
            s ->
                s.text()
                    .equals(
                        "netsh interface ipv4 set subinterface \"eth0\" mtu=1280 store=persistent"));
    assertThat(top.fixes().get(0).undo()).anyMatch(s -> s.text().contains("mtu=1500"));
  }

  @Test
  void stalledTlsWithFullMtuIsNotABlackHole() {
    MtuCheck m =
        new MtuCheck(
            ADDR, MtuCheck.Status.MEASURED, 1500, 1472, 1500, "eth0", 2, "ping", null, 90, B);
    Diagnosis d = run(stalled().with(path(null, quality(2, 0), m, null, null)));
    assertThat(d.findings()).noneMatch(f -> f.cause().equals("pmtu-blackhole"));
    assertThat(d.findings().get(0).cause()).isEqualTo("tls-handshake-failed");
  }

  @Test
  void stalledTlsWithoutAMeasuredMtuIsNoBlackHole() {
    // issue 14: a stall alone is no signature; the TLS finding names the MTU as one reason
    MtuCheck m =
        new MtuCheck(
            ADDR,
            MtuCheck.Status.UNAVAILABLE,
            null,
            null,
            1500,
            "eth0",
            0,
            null,
            "no ping program found on this machine",
            1,
            B);
    List<Finding> found = run(stalled().with(path(null, null, m, null, null))).findings();
    assertThat(found.get(0).cause()).isEqualTo("tls-handshake-failed");
    assertThat(found.get(0).summary()).contains("MTU");
    assertThat(found).noneMatch(f -> f.cause().equals("pmtu-blackhole"));
  }

  @Test
  void aStallOnLoopbackIsNeverBlamedOnTheMtu() {
    // 65504 bytes is the largest ping payload loopback carries, not a black hole
    MtuCheck lo =
        new MtuCheck(
            "127.0.0.1",
            MtuCheck.Status.MEASURED,
            65532,
            65504,
            65536,
            "lo",
            17,
            "ping",
            null,
            900,
            B);
    List<Finding> found =
        run(stalled().with(path(null, quality(0.1, 0), lo, null, null))).findings();
    assertThat(found).noneMatch(f -> f.cause().equals("pmtu-blackhole"));
    assertThat(found.get(0).cause()).isEqualTo("tls-handshake-failed");
  }

  @Test
  void aBlackHoleNeedsAPathMtuBelowTheFlightsPackets() {
    MtuCheck jumboLocal =
        new MtuCheck(
            ADDR, MtuCheck.Status.MEASURED, 1500, 1472, 9000, "eth0", 12, "ping", null, 900, B);
    assertThat(run(stalled().with(path(null, quality(2, 0), jumboLocal, null, null))).findings())
        .noneMatch(f -> f.cause().equals("pmtu-blackhole"));
    MtuCheck tunnel =
        new MtuCheck(
            ADDR, MtuCheck.Status.MEASURED, 1400, 1372, 9000, "eth0", 12, "ping", null, 900, B);
    assertThat(
            run(stalled().with(path(null, quality(2, 0), tunnel, null, null)))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("pmtu-blackhole");
  }

  @Test
  void lossAndLatencyThresholds() {
    assertThat(
            run(healthy().with(path(null, quality(3, 0), null, null, null)))
                .findings()
                .get(0)
                .cause())
        .isEqualTo("healthy");
    Diagnosis lossy = run(healthy().with(path(null, quality(3, 5), null, null, null)));
    assertThat(lossy.findings().get(0).cause()).isEqualTo("packet-loss");
    assertThat(lossy.findings().get(0).severity()).isEqualTo(Severity.FAIL);
    Diagnosis some = run(healthy().with(path(null, quality(3, 2), null, null, null)));
    assertThat(some.findings().get(0).severity()).isEqualTo(Severity.WARN);
    assertThat(
            run(healthy().with(path(null, quality(3, 1), null, null, null)))
                .findings()
                .get(0)
                .cause())
        .as("one unlucky packet is not a finding")
        .isEqualTo("healthy");
    Diagnosis slow = run(healthy().with(path(null, quality(310, 0), null, null, null)));
    assertThat(slow.findings().get(0).cause()).isEqualTo("high-latency");
    assertThat(slow.verdict()).isEqualTo(Verdict.WARN);
  }

  @Test
  void lossOnlyInTheRunsOwnBurstsIsTheServersListenQueueNotTheLink() {
    QualityCheck q = quality(3, 5);
    QualityCheck burstsOnly = q.withSeries(12, 0);
    Diagnosis d = run(healthy().with(path(null, burstsOnly, null, null, null)));
    assertThat(d.findings().get(0).cause()).isEqualTo("healthy");
    assertThat(d.checked()).anyMatch(c -> c.contains("paced series of 12 handshakes lost nothing"));

    Diagnosis shortSeries =
        run(
            healthy()
                .with(
                    path(
                        null,
                        q.withSeries(QualityCheck.SERIES_CLEAN_MIN - 1, 0),
                        null,
                        null,
                        null)));
    assertThat(shortSeries.findings().get(0).cause())
        .as("a few clean handshakes on a lossy link are luck, not proof of a clean link")
        .isEqualTo("packet-loss");
    assertThat(shortSeries.findings().get(0).confidence()).isEqualTo(Confidence.MEDIUM);

    Diagnosis confirmed = run(healthy().with(path(null, q.withSeries(12, 1), null, null, null)));
    assertThat(confirmed.findings().get(0).cause()).isEqualTo("packet-loss");
    assertThat(confirmed.findings().get(0).confidence()).isEqualTo(Confidence.HIGH);

    QualityCheck passiveOnly =
        new QualityCheck(
            q.address(),
            q.port(),
            q.samples(),
            q.rttMillis(),
            q.retransmitted(),
            q.failed(),
            q.minMillis(),
            q.medianMillis(),
            q.p95Millis(),
            q.jitterMillis(),
            q.lossEstimate(),
            "it is measured on every run",
            0,
            B,
            null,
            null);
    Diagnosis unpaced = run(healthy().with(path(null, passiveOnly, null, null, null)));
    assertThat(unpaced.findings().get(0).cause()).isEqualTo("packet-loss");
    assertThat(unpaced.findings().get(0).confidence())
        .as("without a paced series a burst could have filled the listen queue")
        .isEqualTo(Confidence.MEDIUM);
  }

  @Test
  void udpBlockedOnlyWhenTheServerIsKnownToOfferIt() {
    Diagnosis unknown =
        run(
            healthy()
                .with(
                    path(
                        udp(Outcome.SILENT, Outcome.SILENT, Offer.UNKNOWN),
                        null,
                        null,
                        null,
                        null)));
    assertThat(unknown.findings().get(0).cause()).isEqualTo("healthy");
    assertThat(unknown.checked()).anyMatch(c -> c.contains("unknown"));
    Diagnosis known =
        run(
            healthy()
                .with(
                    path(
                        udp(Outcome.PORT_UNREACHABLE, Outcome.PORT_UNREACHABLE, Offer.YES),
                        null,
                        null,
                        null,
                        null)));
    assertThat(known.findings().get(0).cause()).isEqualTo("udp-blocked");
    assertThat(known.findings().get(0).fixes())
        .anyMatch(f -> f.id().equals("client-disable-udp") && !f.undo().isEmpty());
    Diagnosis large =
        run(
            healthy()
                .with(
                    path(
                        udp(Outcome.SILENT, Outcome.ANSWERED, Offer.YES), null, null, null, null)));
    assertThat(large.findings().get(0).cause()).isEqualTo("client-udp-enabled-on-bad-path");
    Diagnosis fine =
        run(
            healthy()
                .with(
                    path(
                        udp(Outcome.ANSWERED, Outcome.ANSWERED, Offer.YES),
                        null,
                        null,
                        null,
                        null)));
    assertThat(fine.findings().get(0).cause()).isEqualTo("healthy");
  }

  @Test
  void connectionLimit() {
    ConnectionLimitCheck bad =
        new ConnectionLimitCheck(ADDR, 3389, 8, 3, 5, 0, 0, "connect failed", false, 1600, B);
    assertThat(run(healthy().with(path(null, null, null, bad, null))).findings().get(0).cause())
        .isEqualTo("connection-limit");
    ConnectionLimitCheck ok =
        new ConnectionLimitCheck(ADDR, 3389, 8, 8, 0, 0, 0, "selected HYBRID", true, 1600, B);
    assertThat(run(healthy().with(path(null, null, null, ok, null))).findings().get(0).cause())
        .isEqualTo("healthy");
  }

  @Test
  void givenAddressWorksWhereTheNameDoesNot() {
    Evidence dead = unreachable(TcpEvidence.Outcome.TIMEOUT, null);
    AlternateAddressCheck a =
        new AlternateAddressCheck(
            "198.19.1.9",
            List.of(ADDR),
            false,
            "open",
            "selected HYBRID",
            true,
            "AA",
            "CN=x",
            null,
            300,
            B);
    Finding top = run(dead.with(path(null, null, null, null, a))).findings().get(0);
    assertThat(top.cause()).isEqualTo("dns-wrong-address");
    assertThat(top.confidence()).isEqualTo(Confidence.HIGH);
    assertThat(top.fixes())
        .anyMatch(f -> f.steps().stream().anyMatch(s -> s.text().contains("198.19.1.9")));
  }

  @Test
  void nameLeadsToADifferentLiveMachine() {
    AlternateAddressCheck a =
        new AlternateAddressCheck(
            "2001:db8::9",
            List.of(ADDR),
            false,
            "open",
            "selected HYBRID",
            true,
            "AA:BB",
            "CN=right",
            "CC:DD",
            300,
            B);
    assertThat(run(healthy().with(path(null, null, null, null, a))).findings().get(0).cause())
        .isEqualTo("dns-wrong-address");
    AlternateAddressCheck same =
        new AlternateAddressCheck(
            "2001:db8::9",
            List.of(ADDR),
            false,
            "open",
            "selected HYBRID",
            true,
            "CC:DD",
            "CN=right",
            "CC:DD",
            300,
            B);
    assertThat(run(healthy().with(path(null, null, null, null, same))).findings().get(0).cause())
        .isEqualTo("healthy");
  }
}

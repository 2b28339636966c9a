package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.QualityCheck;
import dev.rdpdoctor.evidence.Target;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The passive link estimate from a run's own connect times, on sample sets recorded in the lab
 * (connect millis as the run's events carried them): whether it asks for the dedicated series, and
 * what it estimates.
 */
class LinkEstimateTest {
  private static final InetAddress ADDR = InetAddress.getLoopbackAddress();

  /** Core evidence with nothing stalled, so only the link estimate can ask for the series. */
  private static final Evidence NO_CORE_FAULT =
      new Evidence(
          new Target("127.0.0.1", 3389, true, ClientProfile.WINDOWS),
          Instant.EPOCH,
          null,
          List.of(),
          null,
          null,
          null,
          null,
          List.of(),
          List.of(),
          0);

  private static List<Double> ms(double... v) {
    return java.util.Arrays.stream(v).boxed().toList();
  }

  static Stream<Arguments> recorded() {
    return Stream.of(
        // healthy-tls: 19 connects on a clean LAN, all under 1 ms but one at 2 ms
        Arguments.of(
            "clean",
            ms(0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0),
            0,
            false,
            0.0,
            0.0),
        // high-latency (300 +/- 10 ms one way): every connect is one round trip
        Arguments.of(
            "slow",
            ms(307, 311, 298, 302, 305, 309, 300, 313, 306, 304, 301, 310, 299, 303, 308, 306, 302),
            0,
            true,
            298.0,
            0.0),
        // lossy-link (25 % each way): a SYN or SYN+ACK lost costs the 1 s RTO, two cost 3 s
        Arguments.of(
            "lossy",
            ms(1, 0, 1003, 1, 0, 1002, 0, 3004, 1, 0, 1001, 0, 1, 0, 1003, 0),
            3,
            true,
            0.0,
            0.24),
        // mixed: a steady link with a burst of jitter, no retransmission
        Arguments.of(
            "mixed", ms(20, 22, 21, 19, 240, 260, 23, 21, 20, 250, 22, 21), 0, true, 19.0, 0.0),
        // too few: one connect says nothing, and asks for nothing
        Arguments.of("too few", ms(1), 0, false, 1.0, 0.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recorded")
  void estimatesFromTheRunsOwnConnects(
      String name,
      List<Double> connects,
      int timeouts,
      boolean asksForSeries,
      double min,
      double loss) {
    LinkSampler.Samples s = new LinkSampler.Samples(connects, timeouts);
    QualityCheck q = QualityProbe.passive(ADDR, 3389, s);

    assertThat(q.samples()).isEqualTo(connects.size() + timeouts);
    assertThat(q.minMillis()).isEqualTo(min);
    assertThat(q.lossEstimate()).isCloseTo(loss, org.assertj.core.data.Offset.offset(0.01));
    String trigger =
        new PathProbes(PathProbes.PathOptions.defaults(), TlsProbe::run).trigger(NO_CORE_FAULT, q);
    assertThat(trigger != null).as("asks for the series: %s", trigger).isEqualTo(asksForSeries);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recorded")
  void theSamplerKeepsOnlyConnectsToTheServer(
      String name, List<Double> connects, int timeouts, boolean asks, double min, double loss)
      throws Exception {
    LinkSampler sampler = new LinkSampler();
    InetAddress other = InetAddress.getByName("127.0.0.2");
    for (double c : connects) {
      sampler.on(
          new dev.rdpdoctor.probe.event.ProbeEvent.ConnectEnded(0, "tcp", ADDR, 3389, (long) c));
      sampler.on(
          new dev.rdpdoctor.probe.event.ProbeEvent.ConnectEnded(0, "tcp", other, 3389, 5_000));
    }
    sampler.on(
        new dev.rdpdoctor.probe.event.ProbeEvent.ConnectFailed(0, "tcp", ADDR, 3389, "refused", 1));
    for (int i = 0; i < timeouts; i++) {
      sampler.on(
          new dev.rdpdoctor.probe.event.ProbeEvent.ConnectFailed(
              0, "tcp", ADDR, 3389, "timeout", 4000));
    }
    LinkSampler.Samples s = sampler.to(ADDR, 3389);
    assertThat(s.millis()).hasSize(connects.size());
    assertThat(s.timeouts()).as("refused is an answer, not loss").isEqualTo(timeouts);
  }
}

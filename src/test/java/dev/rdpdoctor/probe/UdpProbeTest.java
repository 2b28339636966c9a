package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.UdpCheck;
import dev.rdpdoctor.evidence.UdpCheck.Offer;
import dev.rdpdoctor.evidence.UdpCheck.Outcome;
import dev.rdpdoctor.testing.RdpUdpResponder;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpProbeTest {
  static final InetAddress LO = InetAddress.getLoopbackAddress();
  static final Duration WAIT = Duration.ofMillis(600);

  @Test
  void theWaitFollowsTheRunsOwnHandshakes() {
    Duration cap = Duration.ofMillis(1500);
    // a LAN: the floor, not 1.5 s of silence for a filtered port
    assertThat(UdpProbe.waitFor(new LinkSampler.Samples(List.of(0.4, 1.2, 0.8), 0), cap))
        .isEqualTo(Duration.ofMillis(UdpProbe.WAIT_FLOOR_MS));
    // 300 ms round trips: four of the slowest
    assertThat(UdpProbe.waitFor(new LinkSampler.Samples(List.of(290.0, 310.0), 0), cap))
        .isEqualTo(Duration.ofMillis(1240));
    // a retransmitted SYN (1 s late), a timeout, or nothing to go by: the whole cap
    assertThat(UdpProbe.waitFor(new LinkSampler.Samples(List.of(2.0, 1003.0), 0), cap))
        .isEqualTo(cap);
    assertThat(UdpProbe.waitFor(new LinkSampler.Samples(List.of(2.0), 1), cap)).isEqualTo(cap);
    assertThat(UdpProbe.waitFor(new LinkSampler.Samples(List.of(), 0), cap)).isEqualTo(cap);
  }

  @Test
  void answeredBySpecResponder() throws Exception {
    try (RdpUdpResponder r = new RdpUdpResponder(Integer.MAX_VALUE)) {
      UdpCheck c = UdpProbe.run(LO, r.port(), WAIT, false, ProbeContext.defaults());
      assertThat(c.full()).isEqualTo(Outcome.ANSWERED);
      assertThat(c.small()).isEqualTo(Outcome.ANSWERED);
      assertThat(c.serverOffersUdp()).isEqualTo(Offer.YES);
      assertThat(c.synAckFlags()).isEqualTo(0x0005);
      assertThat(c.serverUpMtu()).isEqualTo(1232);
      assertThat(c.bounds().maxPackets()).isEqualTo(4);
    }
  }

  @Test
  void largeDatagramsDroppedSmallOnesAnswered() throws Exception {
    try (RdpUdpResponder r = new RdpUdpResponder(1000)) {
      UdpCheck c = UdpProbe.run(LO, r.port(), WAIT, false, ProbeContext.defaults());
      assertThat(c.full()).isEqualTo(Outcome.SILENT);
      assertThat(c.small()).isEqualTo(Outcome.ANSWERED);
      assertThat(c.serverOffersUdp()).isEqualTo(Offer.YES);
    }
  }

  @Test
  void closedPortGivesIcmpPortUnreachable() throws Exception {
    int port;
    try (DatagramSocket s = new DatagramSocket(0, LO)) {
      port = s.getLocalPort();
    }
    UdpCheck c = UdpProbe.run(LO, port, WAIT, false, ProbeContext.defaults());
    assertThat(c.full()).isEqualTo(Outcome.PORT_UNREACHABLE);
    assertThat(c.small()).isEqualTo(Outcome.PORT_UNREACHABLE);
    assertThat(c.serverOffersUdp()).isEqualTo(Offer.UNKNOWN);
  }

  @Test
  void silentListenerWithinTheStatedBound() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, LO)) {
      long t0 = System.nanoTime();
      UdpCheck c = UdpProbe.run(LO, silent.getLocalPort(), WAIT, true, ProbeContext.defaults());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(c.full()).isEqualTo(Outcome.SILENT);
      assertThat(c.small()).isEqualTo(Outcome.SILENT);
      assertThat(c.serverOffersUdp()).as("the user said so").isEqualTo(Offer.YES);
      assertThat(ms).isLessThanOrEqualTo((long) (c.bounds().maxSeconds() * 1000) + 500);
    }
  }
}

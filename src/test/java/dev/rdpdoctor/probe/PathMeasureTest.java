package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.QualityCheck;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathMeasureTest {
  @Test
  void binarySearchFindsTheLargestPassingPayloadWithinThePingBound() {
    int[] calls = {0};
    MtuProbe.Search s =
        MtuProbe.search(
            size -> {
              calls[0]++;
              return size <= 1252;
            },
            1472);
    assertThat(s.largest()).isEqualTo(1252);
    assertThat(calls[0]).isLessThanOrEqualTo(MtuProbe.MAX_PINGS).isEqualTo(s.probes());
    assertThat(MtuProbe.search(size -> false, 1472).largest()).isNull();
    assertThat(MtuProbe.search(size -> true, 1472).largest()).isEqualTo(1472);
  }

  @Test
  void pingCommandsSetDontFragmentPerPlatform() {
    assertThat(MtuProbe.command("ping", MtuProbe.Os.LINUX, false, 1252, "198.19.1.2"))
        .containsSequence("-M", "do")
        .containsSequence("-s", "1252")
        .contains("-4");
    assertThat(MtuProbe.command("ping", MtuProbe.Os.WINDOWS, false, 1252, "198.19.1.2"))
        .contains("-f")
        .containsSequence("-l", "1252");
    assertThat(MtuProbe.command("ping", MtuProbe.Os.MAC, false, 1252, "198.19.1.2")).contains("-D");
    assertThat(MtuProbe.likelyVpn("tun0", null, false)).isTrue();
    assertThat(MtuProbe.likelyVpn("eth0", "Intel Ethernet", false)).isFalse();
  }

  @Test
  void qualityStatisticsSeparateRetransmittedHandshakes() {
    QualityCheck q =
        QualityProbe.summarise("a", 1, List.of(10.0, 12.0, 11.0, 1010.0, 13.0, -1.0), 1, "t", 5);
    assertThat(q.samples()).isEqualTo(6); // the refused one is no sample
    assertThat(q.retransmitted()).isEqualTo(1);
    assertThat(q.failed()).isEqualTo(1);
    assertThat(q.minMillis()).isEqualTo(10.0);
    assertThat(q.medianMillis()).isEqualTo(11.0);
    assertThat(q.p95Millis()).isEqualTo(13.0);
    assertThat(q.lossEstimate()).isBetween(0.18, 0.19); // 1 - sqrt(4/6)
    assertThat(q.bounds().maxPackets()).isEqualTo(48);
    assertThat(MtuProbe.roundDown(1284)).isEqualTo(1280);
  }

  @Test
  void retransmissionsLandOnWholeSecondsOfTheTimers() {
    // SYN lost (1 s), SYN and SYN+ACK lost (2 s: the server's own timer), two SYNs lost (3 s)
    assertThat(QualityProbe.retransmission(1003)).isTrue();
    assertThat(QualityProbe.retransmission(2010)).isTrue();
    assertThat(QualityProbe.retransmission(3004)).isTrue();
    assertThat(QualityProbe.retransmission(960)).isTrue();
    // a connect that waited on a busy machine matches no timer
    assertThat(QualityProbe.retransmission(40)).isFalse();
    assertThat(QualityProbe.retransmission(600)).isFalse();
    assertThat(QualityProbe.retransmission(1600)).isFalse();
    assertThat(QualityProbe.retransmission(2600)).isFalse();
  }

  @Test
  void qualitySeriesOnLoopbackIsCleanAndBounded() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      QualityCheck q =
          QualityProbe.run(
              InetAddress.getLoopbackAddress(),
              server.getLocalPort(),
              "test",
              ProbeContext.defaults());
      assertThat(q.samples()).isEqualTo(QualityProbe.SAMPLES);
      assertThat(q.retransmitted() + q.failed()).isZero();
      assertThat(q.lossEstimate()).isZero();
      assertThat(q.medianMillis()).isLessThan(100.0);
    }
  }

  /**
   * A listener with a one-slot queue that accepts a connection every 40 ms, slower than handshakes
   * back to back but faster than the series' pace: bursts overflow its queue and a SYN waits for
   * its retransmission; the paced series never does.
   */
  @Test
  void thePacedSeriesDoesNotFillASlowAcceptorsListenQueue() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (!server.isClosed()) {
                        server.accept().close();
                        Thread.sleep(40);
                      }
                    } catch (Exception stopped) {
                      // the server closed: the test is over
                    }
                  });
      InetAddress lo = InetAddress.getLoopbackAddress();
      java.time.Duration timeout = QualityProbe.CONNECT_TIMEOUT;
      ProbeContext ctx = ProbeContext.defaults();
      // the mechanism: back to back, one of a few handshakes waits out the SYN timer
      double slowest = 0;
      for (int i = 0; i < 6; i++) {
        Double ms = QualityProbe.handshake(lo, server.getLocalPort(), timeout, ctx);
        slowest = Math.max(slowest, ms == null ? timeout.toMillis() : ms);
      }
      assertThat(slowest).as("a burst overflows the one-slot queue").isGreaterThan(800.0);
      Thread.sleep(200); // let the acceptor drain the queue
      QualityCheck q = QualityProbe.run(lo, server.getLocalPort(), "test", ctx);
      assertThat(q.seriesHandshakes()).isEqualTo(QualityProbe.SAMPLES);
      assertThat(q.seriesUnclean()).isZero();
      assertThat(q.seriesClean()).isTrue();
      acceptor.interrupt();
    }
  }

  @Test
  void connectionLimitSeesAServerThatResetsTheExcess() throws Exception {
    // A listener that accepts two connections and resets every later one: what a server with
    // a pending-connection limit of two does.
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread t =
          Thread.ofVirtual()
              .start(
                  () -> {
                    int n = 0;
                    while (!server.isClosed()) {
                      try {
                        java.net.Socket s = server.accept();
                        if (++n > 2) {
                          s.setSoLinger(true, 0);
                          s.close();
                        }
                      } catch (java.io.IOException e) {
                        return;
                      }
                    }
                  });
      var c =
          ConnectionLimitProbe.run(
              InetAddress.getLoopbackAddress(), server.getLocalPort(), ProbeContext.defaults());
      assertThat(c.attempted()).isEqualTo(ConnectionLimitProbe.PENDING);
      // a reset can land before or after our connect returns: either way it is counted
      assertThat(c.droppedWhileHeld() + c.refused()).isEqualTo(ConnectionLimitProbe.PENDING - 2);
      assertThat(c.negotiationWorked()).isFalse();
      server.close();
      t.join(2_000);
    }
  }
}

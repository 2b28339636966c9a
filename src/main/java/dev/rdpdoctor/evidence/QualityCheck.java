package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * A bounded series of TCP handshakes to the RDP port. A handshake whose SYN or SYN+ACK is lost
 * completes only after the client's retransmission timer (1 s on Linux and Windows), so its connect
 * time shows the loss; one that never completes lost several in a row.
 *
 * @param rttMillis connect times of the handshakes that completed without a retransmission
 * @param retransmitted handshakes that completed only after a retransmission
 * @param failed handshakes that did not complete within the connect timeout
 * @param jitterMillis mean absolute difference between consecutive clean RTTs (RFC 3550 style)
 * @param lossEstimate share of packets lost, from the handshakes (two packets each can be lost)
 * @param seriesHandshakes handshakes of the dedicated, paced series among the samples; null when
 *     only the run's own connections were sampled
 * @param seriesUnclean of those, the ones that needed a retransmission or never completed. The
 *     run's own connections come in bursts that can fill a small listen queue, so a SYN dropped
 *     there may be the server's; one dropped in the paced series is the path's.
 */
public record QualityCheck(
    String address,
    int port,
    int samples,
    List<Double> rttMillis,
    int retransmitted,
    int failed,
    Double minMillis,
    Double medianMillis,
    Double p95Millis,
    Double jitterMillis,
    double lossEstimate,
    String trigger,
    long millis,
    PathEvidence.Bounds bounds,
    Integer seriesHandshakes,
    Integer seriesUnclean) {
  /**
   * Microsoft's Azure Virtual Desktop guidance: a round trip under 150 ms for a good experience;
   * above it RDP feels sluggish.
   */
  public static final double HIGH_LATENCY_MS = 150;

  /** Connect times this far apart (p95 minus median) are not one steady link. */
  public static final double ERRATIC_SPREAD_MS = 150;

  /** This estimate with the dedicated series' own share of it. */
  public QualityCheck withSeries(int handshakes, int unclean) {
    return new QualityCheck(
        address,
        port,
        samples,
        rttMillis,
        retransmitted,
        failed,
        minMillis,
        medianMillis,
        p95Millis,
        jitterMillis,
        lossEstimate,
        trigger,
        millis,
        bounds,
        handshakes,
        unclean);
  }

  /**
   * Paced handshakes that must all come through before the series calls the link clean: on a link
   * losing 25 % of packets, six clean ones in a row happen 3 times in 100.
   */
  public static final int SERIES_CLEAN_MIN = 6;

  /** Whether a paced series of at least {@link #SERIES_CLEAN_MIN} handshakes lost nothing. */
  public boolean seriesClean() {
    return seriesHandshakes != null && seriesHandshakes >= SERIES_CLEAN_MIN && seriesUnclean == 0;
  }
}

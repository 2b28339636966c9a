package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.UdpCheck;
import dev.rdpdoctor.evidence.UdpCheck.Offer;
import dev.rdpdoctor.evidence.UdpCheck.Outcome;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.RdpUdpSyn;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Future;

/**
 * RDP over UDP: sends the [MS-RDPEUDP] SYN, padded to 1232 bytes as the spec requires, and a small
 * datagram of the same shape, each from its own connected socket, and classifies what comes back. A
 * connected socket is what lets the ICMP port-unreachable reach us: Linux and Windows report it on
 * the next receive as {@link PortUnreachableException}.
 */
public final class UdpProbe {
  /** Each variant sends its datagram at most this many times (one resend covers one loss). */
  static final int SENDS_PER_VARIANT = 2;

  /** The small variant: header plus a little padding, far below any tunnel's MTU. */
  static final int SMALL_LENGTH = 64;

  /**
   * The least wait on a fast path: a server answers a SYN within a round trip, but a busy one takes
   * its time, and ICMP unreachables are rate-limited per destination.
   */
  static final long WAIT_FLOOR_MS = 400;

  /** Round trips to wait per the slowest of the run's TCP handshakes: two sends, one to spare. */
  static final int WAIT_ROUND_TRIPS = 4;

  private static final SecureRandom RANDOM = new SecureRandom();

  private UdpProbe() {}

  /**
   * How long to wait for an answer, from the run's own TCP handshakes to the server: four of the
   * slowest round trips, at least {@link #WAIT_FLOOR_MS}, at most {@code cap}. With no handshake to
   * go by, or one that timed out or was retransmitted (a lossy or slow path), the whole cap.
   * Silence (a filtered port, the common case) costs this wait in full, so on a LAN it is short.
   */
  public static Duration waitFor(LinkSampler.Samples connects, Duration cap) {
    if (connects.count() == 0 || connects.timeouts() > 0) {
      return cap;
    }
    double slowest = connects.millis().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    long wait = Math.max(WAIT_FLOOR_MS, Math.round(WAIT_ROUND_TRIPS * slowest));
    return Duration.ofMillis(Math.min(cap.toMillis(), wait));
  }

  public static PathEvidence.Bounds bounds(Duration wait) {
    return new PathEvidence.Bounds(2 * SENDS_PER_VARIANT, wait.toMillis() / 1000.0);
  }

  /**
   * @param wait the whole probe's deadline (both variants run at once)
   * @param userSaysOffered the user told us the server offers RDP-UDP ({@code --expect-udp})
   */
  public static UdpCheck run(
      InetAddress address, int port, Duration wait, boolean userSaysOffered, ProbeContext ctx) {
    Stopwatch t0 = ctx.stopwatch();
    String subject = address.getHostAddress() + ":" + port + "/udp";
    Span span = ctx.span("udp", subject);
    Future<Result> full =
        Threads.submit(() -> exchange(address, port, RdpUdpSyn.SYN_DATAGRAM_LENGTH, wait, ctx));
    Result small = exchange(address, port, SMALL_LENGTH, wait, ctx);
    Result big = join(full, wait);
    UdpCheck check = evidence(address, port, big, small, userSaysOffered, t0.millis(), wait);
    span.end(check.full().name().toLowerCase(java.util.Locale.ROOT), check.millis());
    return check;
  }

  static UdpCheck evidence(
      InetAddress address,
      int port,
      Result big,
      Result small,
      boolean userSaysOffered,
      long millis,
      Duration wait) {
    Result answer = big.syn != null ? big : small.syn != null ? small : null;
    Offer offer = answer != null || userSaysOffered ? Offer.YES : Offer.UNKNOWN;
    String source =
        answer != null
            ? "the server answered the RDP-UDP SYN"
            : userSaysOffered
                ? "the user says the server offers RDP-UDP (--expect-udp)"
                : "unknown: rdpdoctor does not read the server's multitransport offer; pass"
                    + " --expect-udp when the server is known to offer RDP-UDP";
    String detail = big.detail != null ? big.detail : small.detail;
    return new UdpCheck(
        address.getHostAddress(),
        port,
        big.outcome,
        small.outcome,
        offer,
        source,
        answer == null ? null : answer.syn.flags(),
        answer == null ? null : answer.syn.upStreamMtu(),
        answer == null ? null : answer.syn.downStreamMtu(),
        detail,
        millis,
        bounds(wait));
  }

  /** What one variant saw. */
  record Result(Outcome outcome, RdpUdpSyn syn, String detail) {}

  static Result exchange(
      InetAddress address, int port, int length, Duration wait, ProbeContext ctx) {
    int isn = RANDOM.nextInt();
    byte[] out = RdpUdpSyn.clientSyn(isn).encode(length);
    Deadline deadline = ctx.runDeadline().min(wait);
    String stream = "rdp-udp " + length;
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(address, port));
      byte[] in = new byte[RdpUdpSyn.MAX_DATAGRAM + 1];
      long perSend = Math.max(1, wait.toMillis() / SENDS_PER_VARIANT);
      for (int send = 0; send < SENDS_PER_VARIANT && !deadline.expired(); send++) {
        s.send(new DatagramPacket(out, out.length));
        ctx.trace().bytes(">>", stream, "RDPUDP SYN", out, 0, Math.min(out.length, 32));
        Deadline until = deadline.min(Duration.ofMillis(perSend));
        // Datagrams that are not for us (stale, spoofed) do not end the wait early; the loop
        // is bounded by the time left.
        while (true) {
          long left = until.remainingMillis();
          if (left <= 0) {
            break;
          }
          s.setSoTimeout((int) left);
          DatagramPacket p = new DatagramPacket(in, in.length);
          try {
            s.receive(p);
          } catch (SocketTimeoutException e) {
            break;
          }
          ctx.trace().bytes("<<", stream, "datagram", in, 0, Math.min(p.getLength(), 64));
          try {
            RdpUdpSyn reply = RdpUdpSyn.decode(in, p.getLength());
            if (reply.isSynAck() && reply.snSourceAck() == isn) {
              return new Result(Outcome.ANSWERED, reply, null);
            }
            return new Result(
                Outcome.OTHER_REPLY,
                null,
                "a SYN that does not acknowledge ours"
                    + " (flags 0x"
                    + Integer.toHexString(reply.flags())
                    + ")");
          } catch (MalformedPduException e) {
            return new Result(
                Outcome.OTHER_REPLY,
                null,
                p.getLength() + " bytes that are not an" + " RDP-UDP SYN+ACK: " + e.getMessage());
          }
        }
      }
      return new Result(Outcome.SILENT, null, null);
    } catch (PortUnreachableException e) {
      return new Result(Outcome.PORT_UNREACHABLE, null, "ICMP port unreachable");
    } catch (IOException | RuntimeException e) {
      return new Result(Outcome.ERROR, null, TcpConnector.message(e));
    }
  }

  private static Result join(Future<Result> f, Duration wait) {
    try {
      return f.get(wait.toMillis() + 2_000, java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      return new Result(Outcome.ERROR, null, "interrupted");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      return new Result(Outcome.ERROR, null, "the probe did not finish");
    }
  }
}

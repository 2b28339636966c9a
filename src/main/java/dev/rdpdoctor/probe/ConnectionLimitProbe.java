package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.ConnectionLimitCheck;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.TcpEvidence;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Opt-in ({@code --connection-limit}): does the server drop connections when several are pending at
 * once? Windows counts connections that have not finished logging on against
 * MaxOutstandingConnections and drops the excess; xrdp's listen backlog stalls them. Opens {@link
 * #PENDING} connections at once (deliberately past the run's usual three slots), holds them silent
 * for {@link #HOLD}, then sends one RDP request while they are still held.
 */
public final class ConnectionLimitProbe {
  /** Small on purpose: enough to pass the limits seen in practice, never a flood. */
  public static final int PENDING = 8;

  static final Duration HOLD = Duration.ofMillis(1500);

  /** Per connection: SYN, two retransmissions, ACK, RST; plus the one negotiation (about 6). */
  static final int PACKETS = PENDING * 5 + 6;

  private ConnectionLimitProbe() {}

  public static PathEvidence.Bounds bounds(ProbeContext ctx) {
    return new PathEvidence.Bounds(
        PACKETS,
        (ctx.connectTimeout().toMillis() + HOLD.toMillis() + ctx.probeTimeout().toMillis())
            / 1000.0);
  }

  public static ConnectionLimitCheck run(InetAddress address, int port, ProbeContext ctx) {
    Stopwatch t0 = ctx.stopwatch();
    String subject = address.getHostAddress() + ":" + port + " x" + PENDING;
    Span span = ctx.span("connection-limit", subject);
    List<Future<TcpConnector.Result>> futures = new ArrayList<>();
    for (int i = 0; i < PENDING; i++) {
      futures.add(
          Threads.submit(
              () ->
                  TcpConnector.connect(
                      address, port, ctx.connectTimeout(), ctx, "connection-limit")));
    }
    List<Socket> held = new ArrayList<>();
    int refused = 0;
    int timedOut = 0;
    for (Future<TcpConnector.Result> f : futures) {
      TcpConnector.Result r = await(f, ctx.connectTimeout().toMillis() + 2_000);
      if (r == null || r.evidence().outcome() == TcpEvidence.Outcome.TIMEOUT) {
        timedOut++;
      } else if (r.socket() != null) {
        held.add(r.socket());
      } else {
        refused++;
      }
    }
    int dropped = 0;
    NegotiationAttempt during;
    try {
      sleep(HOLD);
      during =
          RdpConnector.negotiate(
                  address,
                  port,
                  dev.rdpdoctor.evidence.NegotiationEvidence.CLIENT_LABEL,
                  dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL
                      | dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID,
                  ctx,
                  false)
              .attempt();
      for (Socket s : held) {
        if (closedByPeer(s)) {
          dropped++;
        }
      }
    } finally {
      for (Socket s : held) {
        try {
          s.setSoLinger(true, 0);
        } catch (IOException ignored) {
          // closing anyway
        }
        TcpConnector.closeQuietly(s);
      }
    }
    boolean worked =
        during.outcome() == NegotiationAttempt.Outcome.RESPONSE
            || during.outcome() == NegotiationAttempt.Outcome.FAILURE;
    ConnectionLimitCheck c =
        new ConnectionLimitCheck(
            address.getHostAddress(),
            port,
            PENDING,
            held.size(),
            refused,
            timedOut,
            dropped,
            ProbeEngine.describe(during),
            worked,
            t0.millis(),
            bounds(ctx));
    span.end(
        held.size()
            + " held, "
            + dropped
            + " dropped, request while held: "
            + c.negotiationWhileHeld(),
        c.millis());
    return c;
  }

  /** A closed or reset connection reads EOF or fails at once; a live one times out. */
  static boolean closedByPeer(Socket s) {
    try {
      s.setSoTimeout(20);
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T await(Future<T> f, long ms) {
    return Threads.await(f, ms);
  }
}

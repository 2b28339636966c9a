package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TcpEvidence.Outcome;
import dev.rdpdoctor.probe.event.ProbeEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;

/** Opens TCP connections and turns every way that can fail into a {@link TcpEvidence}. */
public final class TcpConnector {
  private TcpConnector() {}

  /** The evidence, plus the socket when it opened (the caller owns and closes it). */
  public record Result(TcpEvidence evidence, Socket socket) {}

  /**
   * One connect, on the run's event stream: {@link ProbeEvent.ConnectStarted}, then {@link
   * ProbeEvent.ConnectEnded} (a sample of the path's round trip) or {@link
   * ProbeEvent.ConnectFailed}; the evidence's millis are the events' difference.
   */
  public static Result connect(
      InetAddress address, int port, Duration timeout, ProbeContext ctx, String probe) {
    long t0 = ctx.now();
    ctx.emit(new ProbeEvent.ConnectStarted(t0, probe, address, port));
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(address, port), (int) Math.max(1, timeout.toMillis()));
      long now = ctx.now();
      long ms = (now - t0) / 1_000_000;
      ctx.emit(new ProbeEvent.ConnectEnded(now, probe, address, port, ms));
      return new Result(new TcpEvidence(address.getHostAddress(), port, Outcome.OPEN, ms, null), s);
    } catch (IOException e) {
      closeQuietly(s);
      long now = ctx.now();
      long ms = (now - t0) / 1_000_000;
      Outcome outcome = classify(e);
      ctx.emit(
          new ProbeEvent.ConnectFailed(
              now, probe, address, port, outcome.name().toLowerCase(Locale.ROOT), ms));
      return new Result(
          new TcpEvidence(address.getHostAddress(), port, outcome, ms, message(e)), null);
    }
  }

  static Outcome classify(IOException e) {
    String m = message(e).toLowerCase(Locale.ROOT);
    if (e instanceof SocketTimeoutException) {
      return Outcome.TIMEOUT;
    }
    if (e instanceof NoRouteToHostException
        || m.contains("no route to host")
        || m.contains("host is unreachable")
        || m.contains("host unreachable")) {
      return Outcome.HOST_UNREACHABLE;
    }
    if (m.contains("network is unreachable") || m.contains("network unreachable")) {
      return Outcome.NETWORK_UNREACHABLE;
    }
    if (e instanceof ConnectException && m.contains("refused")) {
      return Outcome.REFUSED;
    }
    if (m.contains("timed out")) {
      return Outcome.TIMEOUT;
    }
    return Outcome.ERROR;
  }

  /** The failure in words; an exception's class name is no message for a helpdesk. */
  static String message(Throwable e) {
    String m = e.getMessage();
    if (m != null && !m.isBlank()) {
      return m;
    }
    return e instanceof SocketTimeoutException
        ? "timed out"
        : e instanceof java.io.EOFException
            ? "closed by the peer"
            : "failed (" + e.getClass().getSimpleName().replace("Exception", "") + ")";
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to report: the socket never carried evidence
    }
  }
}

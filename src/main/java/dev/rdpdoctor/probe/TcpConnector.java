package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TcpEvidence.Outcome;
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

  public static Result connect(InetAddress address, int port, Duration timeout) {
    long t0 = System.nanoTime();
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(address, port), (int) Math.max(1, timeout.toMillis()));
      return new Result(
          new TcpEvidence(address.getHostAddress(), port, Outcome.OPEN, ms(t0), null), s);
    } catch (IOException e) {
      closeQuietly(s);
      return new Result(new TcpEvidence(
          address.getHostAddress(), port, classify(e), ms(t0), message(e)), null);
    }
  }

  static Outcome classify(IOException e) {
    String m = message(e).toLowerCase(Locale.ROOT);
    if (e instanceof SocketTimeoutException) {
      return Outcome.TIMEOUT;
    }
    if (e instanceof NoRouteToHostException || m.contains("no route to host")
        || m.contains("host is unreachable") || m.contains("host unreachable")) {
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

  static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to report: the socket never carried evidence
    }
  }
}

package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.LivenessEvidence;
import dev.rdpdoctor.evidence.TcpEvidence;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * When the RDP port gives no answer, is the host there at all? A reset from any other common port,
 * or an ICMP echo reply, proves something answers for the address; then the silence on the RDP port
 * is a filter, not a dead host.
 */
public final class LivenessProbe {
  /** SSH, HTTP, HTTPS, SMB, RPC endpoint mapper, WinRM: what Windows and Linux hosts run. */
  public static final List<Integer> PORTS = List.of(22, 80, 443, 445, 135, 5985);

  private LivenessProbe() {}

  public static LivenessEvidence check(InetAddress address, Duration timeout, ProbeContext ctx) {
    String subject = address.getHostAddress();
    Span span = ctx.span("liveness", subject);
    Stopwatch t0 = span.stopwatch();
    List<Future<TcpEvidence>> tcp = new ArrayList<>();
    for (int port : PORTS) {
      tcp.add(
          Threads.submit(
              () -> {
                TcpConnector.Result r =
                    TcpConnector.connect(address, port, timeout, ctx, "liveness");
                if (r.socket() != null) {
                  TcpConnector.closeQuietly(r.socket());
                }
                return r.evidence();
              }));
    }
    // As root the JDK sends a real ICMP echo; otherwise it tries TCP port 7, which still
    // proves liveness when refused.
    Future<Boolean> icmp =
        Threads.submitNative(
            () -> {
              try {
                return address.isReachable((int) timeout.toMillis());
              } catch (IOException e) {
                return null;
              }
            });
    List<TcpEvidence> results = new ArrayList<>();
    for (int i = 0; i < tcp.size(); i++) {
      results.add(
          await(
              tcp.get(i),
              timeout,
              new TcpEvidence(
                  subject,
                  PORTS.get(i),
                  TcpEvidence.Outcome.TIMEOUT,
                  timeout.toMillis(),
                  "no result in time")));
    }
    Boolean echo = await(icmp, timeout, null);
    LivenessEvidence e = new LivenessEvidence(subject, List.copyOf(results), echo, t0.millis());
    span.end(e.hostAlive() ? "host answers" : "no answer", e.millis());
    return e;
  }

  private static <T> T await(Future<T> f, Duration timeout, T fallback) {
    // small grace: the task's own timeout fires first, this only guards against a stuck one
    T r = Threads.await(f, timeout.toMillis() + 500);
    return r != null ? r : fallback;
  }
}

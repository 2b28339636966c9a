package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.DnsEvidence.Status;
import dev.rdpdoctor.probe.event.ProbeEvent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Resolves the name through the platform resolver (hosts file, DNS, search domains), as the RDP
 * client would. The JDK lookup cannot be interrupted, so it runs on a thread of its own and is
 * abandoned at the deadline.
 */
public final class DnsProbe {
  /** More addresses than this are not probed one by one; round-robin pools get the first few. */
  public static final int MAX_ADDRESSES = 8;

  private DnsProbe() {}

  /** The evidence and the addresses to probe (empty when resolution failed). */
  public record Result(DnsEvidence evidence, List<InetAddress> addresses) {}

  public static Result resolve(String host, boolean literal, Duration timeout, ProbeContext ctx) {
    Span span = ctx.span("dns", host);
    Stopwatch t0 = span.stopwatch();
    if (literal) {
      try {
        InetAddress a = InetAddress.getByName(host);
        DnsEvidence e =
            new DnsEvidence(host, Status.SKIPPED_LITERAL, List.of(a.getHostAddress()), 0, null);
        span.end("literal", 0);
        ctx.emit(new ProbeEvent.DnsResolved(ctx.now(), host, List.of(a), 0));
        return new Result(e, List.of(a));
      } catch (UnknownHostException e) {
        // a literal that the JDK rejects; the CLI validates first, so report it as not found
        return fail(host, Status.NOT_FOUND, t0, TcpConnector.message(e), ctx, span);
      }
    }
    try {
      InetAddress[] all = lookup(host, timeout);
      List<InetAddress> addrs = Arrays.stream(all).distinct().limit(MAX_ADDRESSES).toList();
      long ms = t0.millis();
      DnsEvidence e =
          new DnsEvidence(
              host,
              Status.RESOLVED,
              addrs.stream().map(InetAddress::getHostAddress).toList(),
              ms,
              null);
      span.end(addrs.size() + " address(es)", ms);
      ctx.emit(new ProbeEvent.DnsResolved(ctx.now(), host, addrs, ms));
      return new Result(e, addrs);
    } catch (Unanswered e) {
      return fail(host, Status.TIMEOUT, t0, e.getMessage(), ctx, span);
    } catch (UnknownHostException e) {
      return fail(host, Status.NOT_FOUND, t0, TcpConnector.message(e), ctx, span);
    }
  }

  /**
   * The platform resolver's addresses for {@code host}, looked up off the virtual threads (the
   * lookup blocks in native code and would hold a carrier).
   *
   * @throws Unanswered when the resolver has not answered within {@code timeout}
   * @throws UnknownHostException when it says the name does not exist or cannot be looked up
   */
  public static InetAddress[] lookup(String host, Duration timeout) throws UnknownHostException {
    Future<InetAddress[]> f = Threads.submitNative(() -> InetAddress.getAllByName(host));
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new Unanswered("no answer from the resolver within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException u) {
        throw u;
      }
      throw new UnknownHostException(TcpConnector.message(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unanswered("interrupted");
    }
  }

  /** The resolver gave no answer in time: not the same as "no such name". */
  public static final class Unanswered extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    Unanswered(String message) {
      super(message);
    }
  }

  private static Result fail(
      String host, Status status, Stopwatch t0, String error, ProbeContext ctx, Span span) {
    long ms = t0.millis();
    span.end(status.name().toLowerCase(Locale.ROOT), ms);
    ctx.emit(new ProbeEvent.DnsResolved(ctx.now(), host, List.of(), ms));
    return new Result(new DnsEvidence(host, status, List.of(), ms, error), List.of());
  }
}

package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsEvidence.Status;
import dev.rdpdoctor.evidence.TlsVersionResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.tls.ProtocolVersion;

/**
 * The TLS handshake an RDP client performs right after the X.224 Connection Confirm ([MS-RDPBCGR]
 * 1.3.1.1 step 2, 5.4.5.1): same socket, no STARTTLS-style framing.
 *
 * <p>BouncyCastle's low-level client is used rather than JSSE because it runs per connection with
 * no JVM-wide switches, still speaks TLS 1.0/1.1 and legacy suites (which JDK 21+ disables
 * globally), and reports the server's choices as they happen. The server certificate is captured,
 * never trusted: judging it is the diagnosis layer's job.
 */
public final class TlsProbe {
  /** The names used in evidence for the versions we can offer on their own. */
  public static final List<String> VERSIONS = List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  private static final ProtocolVersion[] ALL =
      ProtocolVersion.TLSv13.downTo(ProtocolVersion.TLSv10);

  private TlsProbe() {}

  /**
   * Negotiates with {@code requestedProtocols}, then runs the TLS handshake on the same socket;
   * with {@code enumerateVersions}, also one connection per TLS version offered alone. Never throws
   * for a network outcome.
   *
   * @param typedHost what the user typed: sent as SNI when it is a name, and checked against the
   *     leaf certificate
   */
  public static TlsEvidence run(
      InetAddress address,
      int port,
      String typedHost,
      int requestedProtocols,
      ProbeContext ctx,
      boolean enumerateVersions) {
    String where = address.getHostAddress() + ":" + port;
    Handshake main =
        handshake(address, port, typedHost, requestedProtocols, ctx, Offer.all(), where);
    List<CertificateInfo> chain = new ArrayList<>();
    List<String> certErrors = new ArrayList<>();
    for (int i = 0; i < main.chain().size(); i++) {
      CertificateInspector.Inspection ins =
          CertificateInspector.inspect(main.chain().get(i), i == 0 ? typedHost : null);
      if (ins.info() != null) {
        chain.add(ins.info());
      }
      if (ins.error() != null) {
        certErrors.add("certificate " + i + ": " + ins.error());
      }
    }
    String error = main.error();
    if (!certErrors.isEmpty()) {
      String joined = String.join("; ", certErrors);
      error = error == null ? joined : error + "; " + joined;
    }
    List<TlsVersionResult> versions = List.of();
    if (enumerateVersions && main.status() != Status.NOT_NEGOTIATED) {
      versions = enumerate(address, port, typedHost, requestedProtocols, ctx, where);
    }
    return new TlsEvidence(
        where,
        requestedProtocols,
        main.status(),
        main.version(),
        main.cipherSuite(),
        main.alert(),
        error,
        List.copyOf(chain),
        versions,
        main.bytesIn(),
        main.millis());
  }

  /** One connection per version, all at once: each is independent and has its own deadline. */
  private static List<TlsVersionResult> enumerate(
      InetAddress address,
      int port,
      String typedHost,
      int requested,
      ProbeContext ctx,
      String where) {
    ProtocolVersion[] each = {
      ProtocolVersion.TLSv10, ProtocolVersion.TLSv11, ProtocolVersion.TLSv12, ProtocolVersion.TLSv13
    };
    List<TlsVersionResult> out = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Handshake>> futures = new ArrayList<>();
      for (ProtocolVersion v : each) {
        String subject = where + " " + TlsNames.version(v);
        futures.add(
            pool.submit(
                () ->
                    handshake(
                        address,
                        port,
                        typedHost,
                        requested,
                        ctx,
                        new Offer(new ProtocolVersion[] {v}, null, null),
                        subject)));
      }
      for (int i = 0; i < each.length; i++) {
        String name = TlsNames.version(each[i]);
        out.add(versionResult(name, futures.get(i)));
      }
    }
    return List.copyOf(out);
  }

  private static TlsVersionResult versionResult(String name, Future<Handshake> f) {
    try {
      Handshake h = f.get();
      boolean accepted = h.status() == Status.OK && name.equals(h.version());
      String detail =
          switch (h.status()) {
            case OK -> accepted ? null : "the server answered with " + h.version();
            case ALERT -> h.alert();
            default ->
                h.status().name().toLowerCase(Locale.ROOT)
                    + (h.error() == null ? "" : ": " + h.error());
          };
      return new TlsVersionResult(
          name, accepted, accepted ? h.cipherSuite() : null, detail, h.millis());
    } catch (ExecutionException e) {
      return new TlsVersionResult(name, false, null, "probe failed: " + e.getCause(), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TlsVersionResult(name, false, null, "interrupted", 0);
    }
  }

  /**
   * The outcome of one connection: negotiation, then handshake.
   *
   * @param suiteId the ServerHello's suite, {@link #NO_SUITE} when none arrived
   */
  record Handshake(
      Status status,
      String version,
      String cipherSuite,
      String alert,
      String error,
      List<byte[]> chain,
      long bytesIn,
      long millis,
      int suiteId) {
    static final int NO_SUITE = -1;

    /** A connection that never reached a TLS handshake, and why. */
    static Handshake without(Status status, String why, long millis) {
      return new Handshake(status, null, null, null, why, List.of(), 0, millis, NO_SUITE);
    }
  }

  /**
   * What one handshake offers. Null suites mean the probe's broad default list (filtered to what
   * BouncyCastle can complete); given suites are sent as they are, so a server's choice of a suite
   * BouncyCastle cannot complete (RC4 ...) is still seen in its ServerHello. Null groups mean
   * BouncyCastle's defaults.
   */
  record Offer(ProtocolVersion[] versions, int[] suites, int[] groups) {
    /** Every version this probe can speak, as the client's own connection offers them. */
    static Offer all() {
      return new Offer(ALL, null, null);
    }
  }

  static Handshake handshake(
      InetAddress address,
      int port,
      String typedHost,
      int requested,
      ProbeContext ctx,
      Offer offer,
      String subject) {
    Span span = ctx.span("tls", subject);
    Stopwatch t0 = ctx.stopwatch();
    ProtocolVersion[] versions = offer.versions();
    String label = versions.length == 1 ? "tls " + TlsNames.version(versions[0]) : "tls";
    Connection.Opened o =
        Connection.open(
            address,
            port,
            typedHost,
            requested,
            label,
            ctx,
            offer,
            t0,
            SecurityProtocol::usesTls,
            false);
    Handshake h = handshakeOf(o, t0);
    span.end(outcome(h), t0.millis());
    return h;
  }

  private static String outcome(Handshake h) {
    return switch (h.status()) {
      case OK -> "OK " + h.version();
      case ALERT -> "ALERT " + h.alert();
      default -> h.status().name();
    };
  }

  /** The handshake the connection made, or why it made none. */
  private static Handshake handshakeOf(Connection.Opened o, Stopwatch t0) {
    if (o.tls() != null) {
      return o.tls();
    }
    NegotiationAttempt a = o.attempt();
    if (!o.negotiated()) {
      return notNegotiated(a.outcome().name() + (a.detail() == null ? "" : ": " + a.detail()), t0);
    }
    return notNegotiated(
        "the server selected "
            + SecurityProtocol.names(o.selected())
            + " ("
            + SecurityProtocol.friendly(o.selected())
            + "), which has no TLS handshake",
        t0);
  }

  private static Handshake notNegotiated(String why, Stopwatch t0) {
    return Handshake.without(Status.NOT_NEGOTIATED, why, t0.millis());
  }
}

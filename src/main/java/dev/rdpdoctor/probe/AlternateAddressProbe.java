package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.AlternateAddressCheck;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * The address the user says is right ({@code --ip}): one RDP negotiation with the client's own
 * offer and, when it agrees to TLS, one handshake for the certificate, so the machine there can be
 * compared with the one the name leads to.
 */
public final class AlternateAddressProbe {
  /** One negotiation (about 6 packets) and one TLS handshake (about 12 at most). */
  static final int PACKETS = 20;

  private AlternateAddressProbe() {}

  public static PathEvidence.Bounds bounds(ProbeContext ctx) {
    return new PathEvidence.Bounds(PACKETS, 2 * ctx.probeTimeout().toMillis() / 1000.0);
  }

  public static AlternateAddressCheck run(
      InetAddress ip,
      int port,
      String typedHost,
      int offer,
      List<String> resolved,
      String nameCertSha256,
      TlsStep tls,
      ProbeContext ctx) {
    Stopwatch t0 = ctx.stopwatch();
    String subject = ip.getHostAddress() + ":" + port;
    Span span = ctx.span("alternate", subject);
    NegotiationAttempt a =
        RdpConnector.negotiate(ip, port, NegotiationEvidence.CLIENT_LABEL, offer, ctx, false)
            .attempt();
    boolean tcpOpen = a.outcome() != NegotiationAttempt.Outcome.CONNECT_FAILED;
    boolean rdp =
        a.outcome() == NegotiationAttempt.Outcome.RESPONSE
            || a.outcome() == NegotiationAttempt.Outcome.FAILURE
            || a.outcome() == NegotiationAttempt.Outcome.NO_NEGOTIATION_DATA;
    String sha = null;
    String certSubject = null;
    if (rdp) {
      TlsEvidence t = tls.run(ip, port, typedHost, ProbeEngine.ANY_TLS, ctx, false);
      if (t != null && t.ok() && !t.chain().isEmpty()) {
        sha = t.chain().get(0).sha256();
        certSubject = t.chain().get(0).subject();
      }
    }
    String tcpOutcome =
        tcpOpen ? "open" : a.detail() == null ? "failed" : a.detail().toLowerCase(Locale.ROOT);
    AlternateAddressCheck c =
        new AlternateAddressCheck(
            ip.getHostAddress(),
            resolved,
            resolved.contains(ip.getHostAddress()),
            tcpOutcome,
            tcpOpen ? ProbeEngine.describe(a) : null,
            rdp,
            sha,
            certSubject,
            nameCertSha256,
            t0.millis(),
            bounds(ctx));
    span.end(rdp ? "speaks RDP" : tcpOutcome, c.millis());
    return c;
  }
}

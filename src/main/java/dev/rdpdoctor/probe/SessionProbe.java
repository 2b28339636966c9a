package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.SessionEvidence.Status;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.probe.connect.CredSspOutcome;
import dev.rdpdoctor.probe.connect.CredSspSequence;
import dev.rdpdoctor.probe.connect.SessionLog;
import dev.rdpdoctor.probe.connect.SessionSequence;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;

/**
 * The connection sequence past security ([MS-RDPBCGR] 1.3.1.1), as the client would run it: after
 * CredSSP with delegated credentials when the user gave an account whose logon test passed, else
 * over TLS when the server offers it, else under Standard RDP Security (5.3). The phases are {@link
 * SessionSequence} and {@link CredSspSequence}; {@link Connection} drives them on one connection
 * under one deadline. Never throws for a network outcome.
 */
public final class SessionProbe {
  static final String STREAM = "session";

  /** Server PDUs read after the Client Info before giving up on reaching an end. */
  static final int MAX_SERVER_PDUS = SessionSequence.MAX_SERVER_PDUS;

  private SessionProbe() {}

  /** How the sequence is protected: what the client would use with this server. */
  public enum Security {
    /** PROTOCOL_SSL: Enhanced RDP Security, the PDUs travel inside TLS unencrypted. */
    TLS(SecurityProtocol.PROTOCOL_SSL),
    /** PROTOCOL_RDP: Standard RDP Security, RC4 or FIPS 3DES keys from a Security Exchange. */
    STANDARD(SecurityProtocol.PROTOCOL_RDP),
    /**
     * PROTOCOL_HYBRID(_EX): TLS, then CredSSP with the user's credentials delegated, as mstsc does;
     * the offer is mstsc's own and the server picks.
     */
    NLA(SecurityProtocol.MSTSC_OFFER);

    final int protocol;

    Security(int protocol) {
      this.protocol = protocol;
    }

    /** Whether the server's choice is the one this sequence runs with. */
    boolean accepts(int selected) {
      return this == NLA ? SecurityProtocol.usesCredSsp(selected) : selected == protocol;
    }
  }

  /**
   * Over TLS when a negotiation got PROTOCOL_SSL selected and the core TLS handshake worked; under
   * Standard RDP Security when the server offers no TLS but lets a client choose PROTOCOL_RDP (or
   * is a legacy server that never negotiates). A server whose TLS failed gets no fallback: the
   * client would not fall back either, and the TLS findings say why.
   */
  public static SectionStep step() {
    return step(null);
  }

  /**
   * As {@link #step()}, and with credentials whose CredSSP logon test was ACCEPTED (the {@code nla}
   * section before this step), the sequence a user with NLA gets: TLS, CredSSP with the credentials
   * delegated, then MCS on the same stream. It takes precedence, since it is the client's real path
   * and the one where the server's post-logon answers (Set Error Info, logon errors) show. A
   * password the logon test did not accept is never tried again.
   */
  public static SectionStep step(Credentials creds) {
    return (core, address, ctx) -> {
      if (core.negotiation() == null) {
        return null;
      }
      boolean logonAccepted =
          creds != null
              && core.section(NlaEvidence.class)
                  .map(
                      n -> n.logon() != null && n.logon().outcome() == NlaEvidence.Outcome.ACCEPTED)
                  .orElse(false);
      int port = core.target().port();
      String host = core.target().host();
      if (logonAccepted) {
        return run(address, port, host, Security.NLA, creds, ctx);
      }
      List<NegotiationAttempt> attempts = core.negotiation().attempts();
      boolean ssl =
          attempts.stream()
              .anyMatch(
                  a ->
                      a.outcome() == NegotiationAttempt.Outcome.RESPONSE
                          && a.selectedProtocol() != null
                          && a.selectedProtocol() == SecurityProtocol.PROTOCOL_SSL);
      boolean tlsOk = core.tls() == null || core.tls().status() == TlsEvidence.Status.OK;
      if (ssl) {
        return tlsOk ? run(address, port, host, Security.TLS, ctx) : null;
      }
      boolean offersTls =
          attempts.stream()
              .anyMatch(
                  a ->
                      a.selectedProtocol() != null
                          && SecurityProtocol.usesTls(a.selectedProtocol()));
      if (!offersTls && RdpSecurityProbe.allowsRdp(attempts)) {
        return run(address, port, host, Security.STANDARD, ctx);
      }
      return null;
    };
  }

  public static SessionEvidence run(
      InetAddress address, int port, String typedHost, ProbeContext ctx) {
    return run(address, port, typedHost, Security.TLS, ctx);
  }

  public static SessionEvidence run(
      InetAddress address, int port, String typedHost, Security security, ProbeContext ctx) {
    return run(address, port, typedHost, security, null, ctx);
  }

  /**
   * @param creds for {@link Security#NLA} only; never stored in the evidence
   */
  public static SessionEvidence run(
      InetAddress address,
      int port,
      String typedHost,
      Security security,
      Credentials creds,
      ProbeContext ctx) {
    if ((security == Security.NLA) != (creds != null)) {
      throw new IllegalArgumentException("credentials go with the NLA sequence only");
    }
    String where = address.getHostAddress() + ":" + port;
    Span span = ctx.span(SessionEvidence.KEY, where);
    Stopwatch t0 = span.stopwatch();
    SessionLog log = new SessionLog(where, t0::millis);
    SessionEvidence e = sequence(address, port, typedHost, security, creds, ctx, log, t0);
    span.end(e.status().name() + " after " + e.reached(), e.millis());
    return e;
  }

  private static SessionEvidence sequence(
      InetAddress address,
      int port,
      String typedHost,
      Security mode,
      Credentials creds,
      ProbeContext ctx,
      SessionLog log,
      Stopwatch t0) {
    String asked = SecurityProtocol.names(mode.protocol);
    Connection.Opened o =
        Connection.open(
            address,
            port,
            typedHost,
            mode.protocol,
            STREAM,
            ctx,
            TlsProbe.Offer.all(),
            t0,
            mode::accepts,
            true);
    NegotiationAttempt a = o.attempt();
    if (!o.negotiated()) {
      return log.end(
          Status.NOT_STARTED,
          "the X.224 negotiation for "
              + asked
              + " ended "
              + ProbeEngine.describe(a)
              + (a.detail() == null ? "" : ": " + a.detail()));
    }
    if (!mode.accepts(o.selected())) {
      return log.end(
          Status.NOT_STARTED,
          "asked for " + asked + ", the server selected " + SecurityProtocol.names(o.selected()));
    }
    log.done(
        "X.224",
        a.selectedProtocol() == null
            ? "legacy confirm (no negotiation data)"
            : SecurityProtocol.names(o.selected()));
    if (o.connection() == null) {
      TlsProbe.Handshake h = o.tls();
      log.waitFor("TLS");
      return log.end(
          Status.NOT_STARTED,
          "the TLS handshake failed: "
              + (h.alert() != null ? "the server sent the alert " + h.alert() : h.error()));
    }
    try (Connection c = o.connection()) {
      if (mode == Security.STANDARD) {
        log.protection("Standard RDP Security");
      } else {
        log.protection("TLS (" + o.tls().version() + " " + o.tls().cipherSuite() + ")");
        log.done("TLS", o.tls().version() + " " + o.tls().cipherSuite());
      }
      if (mode == Security.NLA) {
        log.waitFor("CredSSP");
        CredSspOutcome cs =
            c.run(CredSspProbe.sequence(c, o.selected(), creds, true, ctx), CredSspProbe.STREAM);
        if (!cs.accepted()) {
          return log.end(
              Status.NOT_STARTED,
              "CredSSP as "
                  + creds.account()
                  + " ended "
                  + (cs.logon() != null ? cs.logon().outcome() : cs.status())
                      .name()
                      .toLowerCase(Locale.ROOT)
                  + ": "
                  + cs.why());
        }
        log.protection(log.protection() + " + CredSSP (NLA) as " + creds.account());
        log.done("CredSSP", cs.logon().detail());
      }
      return c.run(
          new SessionSequence(log, mode == Security.STANDARD, o.selected(), new SecureRandom()),
          STREAM);
    }
  }
}

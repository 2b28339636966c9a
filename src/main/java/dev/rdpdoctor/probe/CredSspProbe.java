package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.NlaEvidence.Status;
import dev.rdpdoctor.probe.connect.CredSspOutcome;
import dev.rdpdoctor.probe.connect.CredSspSequence;
import dev.rdpdoctor.probe.connect.Ntlm;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.TsRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * CredSSP the way mstsc starts it ([MS-CSSP] 3.1.5): X.224 asking for SSL|HYBRID|HYBRID_EX, TLS on
 * the same socket, then {@link CredSspSequence}: the CHALLENGE names the server and carries its
 * clock, which needs no credentials; with credentials the logon test goes on to the server's proof
 * of its TLS key and the Early User Authorization Result. Never throws for a network outcome.
 */
public final class CredSspProbe {
  static final int REQUESTED = SecurityProtocol.MSTSC_OFFER;
  static final String STREAM = "credssp";

  private CredSspProbe() {}

  /**
   * The engine step: runs when some negotiation got CredSSP selected, or when credentials ask for a
   * logon test (which then says why it could not run).
   */
  public static SectionStep step(Credentials creds) {
    return (core, address, ctx) -> {
      boolean speaks =
          core.negotiation() != null
              && core.negotiation().attempts().stream()
                  .anyMatch(
                      a ->
                          a.outcome() == NegotiationAttempt.Outcome.RESPONSE
                              && a.selectedProtocol() != null
                              && SecurityProtocol.usesCredSsp(a.selectedProtocol()));
      if (!speaks && creds == null) {
        return null;
      }
      return run(address, core.target().port(), core.target().host(), ctx, creds);
    };
  }

  /**
   * @param creds null for the identity probe alone; never stored, never printed
   */
  public static NlaEvidence run(
      InetAddress address, int port, String typedHost, ProbeContext ctx, Credentials creds) {
    String where = address.getHostAddress() + ":" + port;
    Span span = ctx.span("nla", where);
    Stopwatch t0 = span.stopwatch();
    NlaEvidence e = exchange(address, port, typedHost, ctx, creds, where, t0);
    span.end(
        e.status().name() + (e.logon() == null ? "" : " logon " + e.logon().outcome()), e.millis());
    return e;
  }

  private static NlaEvidence exchange(
      InetAddress address,
      int port,
      String typedHost,
      ProbeContext ctx,
      Credentials creds,
      String where,
      Stopwatch t0) {
    Connection.Opened o =
        Connection.open(
            address,
            port,
            typedHost,
            REQUESTED,
            "nla",
            ctx,
            TlsProbe.Offer.all(),
            t0,
            SecurityProtocol::usesCredSsp,
            true);
    NegotiationAttempt a = o.attempt();
    if (!o.negotiated()) {
      return failed(
          where,
          null,
          Status.NOT_NEGOTIATED,
          null,
          "the X.224 negotiation for "
              + SecurityProtocol.names(REQUESTED)
              + " ended "
              + a.outcome().name().toLowerCase(Locale.ROOT)
              + (a.detail() == null ? "" : ": " + a.detail()),
          t0);
    }
    String selName = SecurityProtocol.names(o.selected());
    if (!SecurityProtocol.usesCredSsp(o.selected())) {
      return failed(
          where,
          selName,
          Status.NOT_NEGOTIATED,
          null,
          "asked for "
              + SecurityProtocol.names(REQUESTED)
              + ", the server selected "
              + selName
              + ": it does not offer CredSSP (NLA) to this client",
          t0);
    }
    TlsProbe.Handshake h = o.tls();
    if (o.connection() == null) {
      return failed(
          where,
          selName,
          Status.TLS_FAILED,
          h.version(),
          "the TLS handshake before"
              + " CredSSP failed: "
              + (h.alert() != null ? "the server sent the alert " + h.alert() : h.error()),
          t0);
    }
    try (Connection c = o.connection()) {
      CredSspOutcome r = c.run(sequence(c, o.selected(), creds, false, ctx), STREAM);
      return new NlaEvidence(
          where,
          selName,
          r.status(),
          h.version(),
          r.serverVersion(),
          r.info(),
          r.logon(),
          r.errorCode(),
          r.errorName(),
          r.detail(),
          t0.millis());
    }
  }

  /**
   * The CredSSP phase on an open TLS connection. With {@code delegate} (before MCS), HYBRID too
   * ends with the delegated credentials; without, the logon test stops at the server's proof.
   */
  static CredSspSequence sequence(
      Connection c, int selected, Credentials creds, boolean delegate, ProbeContext ctx) {
    Stopwatch t0 = ctx.stopwatch();
    return new CredSspSequence(
        ntlm(creds),
        selected,
        subjectPublicKey(c.chain()),
        delegate,
        Instant::now,
        t0::millis,
        new SecureRandom());
  }

  /** NTLM for CredSSP over {@link NtlmClient}; the password stays in here. */
  static Ntlm ntlm(Credentials creds) {
    NtlmClient client = new NtlmClient();
    return new Ntlm() {
      @Override
      public byte[] negotiate() {
        return client.negotiateMessage();
      }

      @Override
      public boolean hasCredentials() {
        return creds != null;
      }

      @Override
      public String account() {
        return creds == null ? null : creds.account();
      }

      @Override
      public byte[] authenticate(byte[] challengeBytes, NtlmChallenge challenge) {
        return client.authenticate(challengeBytes, challenge, creds, NtlmClient.Randoms.fresh());
      }

      @Override
      public byte[] seal(byte[] message) {
        return client.seal(message);
      }

      @Override
      public byte[] unseal(byte[] message) {
        return client.unseal(message);
      }

      @Override
      public byte[] sealedCredentials() {
        char[] pw = creds.password();
        byte[] pw16 = NtlmClient.utf16(pw);
        Arrays.fill(pw, '\0');
        byte[] plain =
            TsRequest.passwordCredentials(
                creds.domain().getBytes(StandardCharsets.UTF_16LE),
                creds.user().getBytes(StandardCharsets.UTF_16LE),
                pw16);
        Arrays.fill(pw16, (byte) 0);
        byte[] sealed = client.seal(plain);
        Arrays.fill(plain, (byte) 0);
        return sealed;
      }
    };
  }

  /**
   * The BIT STRING contents of the leaf's SubjectPublicKeyInfo, what CredSSP binds; null when the
   * server sent no certificate or one that does not parse.
   */
  static byte[] subjectPublicKey(List<byte[]> chain) {
    if (chain.isEmpty()) {
      return null;
    }
    try {
      return Certificate.getInstance(chain.get(0))
          .getSubjectPublicKeyInfo()
          .getPublicKeyData()
          .getBytes();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static NlaEvidence failed(
      String where,
      String selected,
      Status status,
      String tlsVersion,
      String detail,
      Stopwatch t0) {
    return new NlaEvidence(
        where, selected, status, tlsVersion, null, null, null, null, null, detail, t0.millis());
  }
}

package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.NtStatus;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.NlaEvidence.Logon;
import dev.rdpdoctor.evidence.NlaEvidence.NtlmInfo;
import dev.rdpdoctor.evidence.NlaEvidence.Outcome;
import dev.rdpdoctor.evidence.NlaEvidence.Status;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.TsRequest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * CredSSP the way mstsc starts it ([MS-CSSP] 3.1.5): X.224 asking for SSL|HYBRID|HYBRID_EX, TLS
 * on the same socket, then a TSRequest carrying an NTLM NEGOTIATE. The CHALLENGE that comes
 * back names the server and carries its clock, which needs no credentials. With credentials it
 * goes on: AUTHENTICATE plus pubKeyAuth bound to the server's TLS key, the server's proof of
 * that key (or its errorCode), and with HYBRID_EX the delegated credentials and the Early User
 * Authorization Result. Never throws for a network outcome.
 */
public final class CredSspProbe {
  /** The version we speak: the current one, with the CVE-2018-0886 nonce-bound hash. */
  static final int OUR_VERSION = 6;
  /** From version 5 on, pubKeyAuth is a hash bound to a client nonce ([MS-CSSP] 3.1.5). */
  static final int FIRST_HASHED_VERSION = 5;
  static final int REQUESTED = SecurityProtocol.PROTOCOL_SSL | SecurityProtocol.PROTOCOL_HYBRID
      | SecurityProtocol.PROTOCOL_HYBRID_EX;
  private static final byte[] CLIENT_MAGIC =
      "CredSSP Client-To-Server Binding Hash\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_MAGIC =
      "CredSSP Server-To-Client Binding Hash\0".getBytes(StandardCharsets.US_ASCII);
  static final String STREAM = "credssp";

  private CredSspProbe() {}

  /**
   * The engine step: runs when some negotiation got CredSSP selected, or when credentials ask
   * for a logon test (which then says why it could not run).
   */
  public static SectionStep step(Credentials creds) {
    return (core, address, ctx) -> {
      boolean speaks = core.negotiation() != null && core.negotiation().attempts().stream()
          .anyMatch(a -> a.outcome() == NegotiationAttempt.Outcome.RESPONSE
              && a.selectedProtocol() != null && (a.selectedProtocol()
                  & (SecurityProtocol.PROTOCOL_HYBRID | SecurityProtocol.PROTOCOL_HYBRID_EX)) != 0);
      if (!speaks && creds == null) {
        return null;
      }
      return run(address, core.target().port(), core.target().host(), ctx, creds);
    };
  }

  /**
   * @param creds null for the identity probe alone; never stored, never printed
   */
  public static NlaEvidence run(InetAddress address, int port, String typedHost,
      ProbeContext ctx, Credentials creds) {
    String where = address.getHostAddress() + ":" + port;
    Span span = ctx.span("nla", where);
    Stopwatch t0 = ctx.stopwatch();
    NlaEvidence e = exchange(address, port, typedHost, ctx, creds, where, t0);
    span.end(e.status().name()
        + (e.logon() == null ? "" : " logon " + e.logon().outcome()), t0.millis());
    return e;
  }

  private static NlaEvidence exchange(InetAddress address, int port, String typedHost,
      ProbeContext ctx, Credentials creds, String where, Stopwatch t0) {
    RdpConnector.Negotiated n = RdpConnector.negotiate(address, port, "nla", REQUESTED, ctx,
        true);
    NegotiationAttempt a = n.attempt();
    if (n.socket() == null) {
      return failed(where, null, Status.NOT_NEGOTIATED, null, "the X.224 negotiation for "
          + SecurityProtocol.names(REQUESTED) + " ended " + a.outcome().name().toLowerCase(
              java.util.Locale.ROOT) + (a.detail() == null ? "" : ": " + a.detail()), t0);
    }
    int selected = a.selectedProtocol() == null ? 0 : a.selectedProtocol();
    String selName = SecurityProtocol.names(selected);
    try (ProbeSocket s = n.socket()) {
      if ((selected & (SecurityProtocol.PROTOCOL_HYBRID | SecurityProtocol.PROTOCOL_HYBRID_EX))
          == 0) {
        return failed(where, selName, Status.NOT_NEGOTIATED, null, "asked for "
            + SecurityProtocol.names(REQUESTED) + ", the server selected " + selName
            + ": it does not offer CredSSP (NLA) to this client", t0);
      }
      TlsProbe.Session tls;
      try {
        tls = TlsProbe.open(s, typedHost);
      } catch (IOException | RuntimeException e) {
        return failed(where, selName, Status.TLS_FAILED, null, "the TLS handshake before CredSSP"
            + " failed: " + TcpConnector.message(e), t0);
      }
      try {
        return credssp(s, tls, selected, selName, where, creds, ctx, t0);
      } finally {
        tls.close();
      }
    }
  }

  private static NlaEvidence credssp(ProbeSocket s, TlsProbe.Session tls, int selected,
      String selName, String where, Credentials creds, ProbeContext ctx, Stopwatch t0) {
    NtlmClient ntlm = new NtlmClient();
    TsRequest answer;
    byte[] challengeBytes;
    Instant local;
    try {
      Answered first = negotiate(tls, ntlm, ctx);
      answer = first.answer();
      local = first.at();
    } catch (MalformedPduException e) {
      return failed(where, selName, Status.MALFORMED, tls.version(), "the server's answer to"
          + " the NTLM NEGOTIATE is not a TSRequest: " + e.getMessage(), t0);
    } catch (IOException e) {
      return ioFailure(e, s, where, selName, tls.version(), "the NTLM NEGOTIATE", t0);
    }
    if (answer.errorCode() != null) {
      NtStatus st = NtStatus.valueOf(answer.errorCode());
      return new NlaEvidence(where, selName, Status.REFUSED, tls.version(), answer.version(),
          null, null, answer.errorCode(), st.name(), "the server answered the NTLM NEGOTIATE"
              + " with errorCode " + st.hex() + " " + st.name(), t0.millis());
    }
    if (answer.negoToken() == null) {
      return new NlaEvidence(where, selName, Status.MALFORMED, tls.version(), answer.version(),
          null, null, null, null, "the server's TSRequest carries no NTLM CHALLENGE",
          t0.millis());
    }
    challengeBytes = answer.negoToken();
    NtlmChallenge ch;
    try {
      ch = NtlmChallenge.decode(challengeBytes);
    } catch (MalformedPduException e) {
      return new NlaEvidence(where, selName, Status.MALFORMED, tls.version(), answer.version(),
          null, null, null, null, "the NTLM CHALLENGE is malformed: " + e.getMessage(),
          t0.millis());
    }
    NtlmInfo info = info(ch, local);
    Logon logon = creds == null ? null
        : logon(s, tls, ntlm, challengeBytes, ch, answer.version(), selected, creds, ctx,
            false);
    return new NlaEvidence(where, selName, Status.OK, tls.version(), answer.version(), info,
        logon, null, null, null, t0.millis());
  }

  /**
   * CredSSP as mstsc runs it before the connection sequence, on a TLS session already open
   * after an X.224 that selected HYBRID or HYBRID_EX: NEGOTIATE, CHALLENGE, AUTHENTICATE with
   * pubKeyAuth, the server's key proof, then the delegated credentials (and with HYBRID_EX
   * the Early User Authorization Result). ACCEPTED means the MCS Connect Initial may follow on
   * the same TLS stream; anything else says why not. The password reaches only the NTLM
   * response and the sealed credentials, as in the logon test.
   */
  static Logon logonAndDelegate(ProbeSocket s, TlsProbe.Session tls, int selected,
      Credentials creds, ProbeContext ctx) {
    NtlmClient ntlm = new NtlmClient();
    TsRequest answer;
    try {
      answer = negotiate(tls, ntlm, ctx).answer();
      if (answer.errorCode() != null || answer.negoToken() == null) {
        return new Logon(creds.account(), Outcome.ERROR, answer.errorCode(),
            answer.errorCode() == null ? null : NtStatus.valueOf(answer.errorCode()).name(),
            null, "the server's answer to the NTLM NEGOTIATE carries no CHALLENGE", 0);
      }
      NtlmChallenge ch = NtlmChallenge.decode(answer.negoToken());
      return logon(s, tls, ntlm, answer.negoToken(), ch, answer.version(), selected, creds,
          ctx, true);
    } catch (MalformedPduException e) {
      return new Logon(creds.account(), Outcome.ERROR, null, null, null,
          "the server's CredSSP answer did not parse: " + e.getMessage(), 0);
    } catch (IOException e) {
      return new Logon(creds.account(), isTimeout(e, s) ? Outcome.ERROR : Outcome.CLOSED, null,
          null, null, "the connection ended during the NTLM NEGOTIATE: " + closedHow(e), 0);
    }
  }

  /** The server's first TSRequest and when it arrived (the clock-skew reference). */
  private record Answered(TsRequest answer, Instant at) {}

  /** TSRequest with the NTLM NEGOTIATE, and the server's answer. */
  private static Answered negotiate(TlsProbe.Session tls, NtlmClient ntlm, ProbeContext ctx)
      throws IOException, MalformedPduException {
    byte[] req = TsRequest.negotiate(OUR_VERSION, ntlm.negotiateMessage()).encode();
    ctx.trace().sent(STREAM, "TSRequest v" + OUR_VERSION + " NTLM NEGOTIATE", req);
    tls.out().write(req);
    tls.out().flush();
    byte[] raw = TsRequest.readFrom(tls.in());
    Instant at = Instant.now();
    ctx.trace().received(STREAM, "TSRequest", raw);
    return new Answered(TsRequest.decode(raw), at);
  }

  static NtlmInfo info(NtlmChallenge ch, Instant local) {
    Instant server = ch.timestamp();
    // rounded, not truncated: a server that stamps whole seconds must not read as -1 s
    Long skew = server == null ? null
        : Math.round(Duration.between(local, server).toMillis() / 1000.0);
    return new NtlmInfo(ch.targetName(), ch.av(NtlmChallenge.AV_NB_COMPUTER),
        ch.av(NtlmChallenge.AV_NB_DOMAIN), ch.av(NtlmChallenge.AV_DNS_COMPUTER),
        ch.av(NtlmChallenge.AV_DNS_DOMAIN), ch.av(NtlmChallenge.AV_DNS_TREE),
        ch.version() == null ? null : ch.version().product(),
        ch.version() == null ? null : ch.version().ntlmRevision(), server, local, skew,
        String.format("0x%08x", ch.flags()));
  }

  /**
   * AUTHENTICATE + pubKeyAuth, the server's answer, then (HYBRID_EX) credentials and EUA. With
   * {@code delegate}, HYBRID too ends with the delegated credentials, as before MCS.
   */
  private static Logon logon(ProbeSocket s, TlsProbe.Session tls, NtlmClient ntlm,
      byte[] challengeBytes, NtlmChallenge ch, int serverVersion, int selected,
      Credentials creds, ProbeContext ctx, boolean delegate) {
    Stopwatch t0 = ctx.stopwatch();
    String account = creds.account();
    byte[] pubKey;
    try {
      pubKey = subjectPublicKey(tls.chain());
    } catch (IllegalArgumentException e) {
      return new Logon(account, Outcome.ERROR, null, null, null,
          "cannot read the server certificate's public key: " + e.getMessage(), 0);
    }
    boolean hashed = serverVersion >= FIRST_HASHED_VERSION;
    byte[] nonce = null;
    byte[] clientProof;
    if (hashed) {
      nonce = new byte[32];
      new SecureRandom().nextBytes(nonce);
      clientProof = sha256(CLIENT_MAGIC, nonce, pubKey);
    } else {
      clientProof = pubKey;
    }
    TsRequest answer;
    try {
      byte[] auth = ntlm.authenticate(challengeBytes, ch, creds, NtlmClient.Randoms.fresh());
      byte[] req = new TsRequest(OUR_VERSION, auth, null, ntlm.seal(clientProof), null, nonce)
          .encode();
      // the AUTHENTICATE carries a password-derived response: its length only, never its bytes
      ctx.trace().sent(STREAM, "TSRequest NTLM AUTHENTICATE + pubKeyAuth (" + req.length
          + " bytes, contents withheld)", new byte[0]);
      tls.out().write(req);
      tls.out().flush();
      byte[] raw = TsRequest.readFrom(tls.in());
      ctx.trace().received(STREAM, "TSRequest", raw);
      answer = TsRequest.decode(raw);
    } catch (MalformedPduException e) {
      return new Logon(account, Outcome.ERROR, null, null, null,
          "the server's answer to the AUTHENTICATE is not a TSRequest: " + e.getMessage(),
          t0.millis());
    } catch (EOFException | SocketException e) {
      return new Logon(account, Outcome.CLOSED, null, null, null, "the server "
          + (e instanceof EOFException ? "closed" : "reset") + " the connection after the NTLM"
          + " AUTHENTICATE without an error code", t0.millis());
    } catch (IOException e) {
      return new Logon(account, isTimeout(e, s) ? Outcome.ERROR : Outcome.CLOSED, null, null,
          null, (isTimeout(e, s) ? "no answer to the NTLM AUTHENTICATE before the deadline"
              : "the connection ended after the NTLM AUTHENTICATE: " + closedHow(e)),
          t0.millis());
    }
    if (answer.errorCode() != null) {
      NtStatus st = NtStatus.valueOf(answer.errorCode());
      return new Logon(account, Outcome.REJECTED, answer.errorCode(), st.name(), null,
          "the server refused the logon with errorCode " + st.hex() + " " + st.name() + ": "
              + st.description(), t0.millis());
    }
    if (answer.pubKeyAuth() == null) {
      return new Logon(account, Outcome.ERROR, null, null, null,
          "the server's answer carries neither pubKeyAuth nor an error code",
          t0.millis());
    }
    byte[] proof = ntlm.unseal(answer.pubKeyAuth());
    byte[] expected = hashed ? sha256(SERVER_MAGIC, nonce, pubKey) : plusOne(pubKey);
    if (proof == null || !MessageDigest.isEqual(proof, expected)) {
      return new Logon(account, Outcome.KEY_MISMATCH, null, null, null, "the server accepted the"
          + " NTLM AUTHENTICATE but its pubKeyAuth does not match the TLS key we saw"
          + (proof == null ? " (bad signature)" : "") + ": something between us re-terminates"
          + " TLS, or the server's CredSSP is broken", t0.millis());
    }
    if ((selected & SecurityProtocol.PROTOCOL_HYBRID_EX) == 0) {
      if (delegate) {
        try {
          sendCredentials(tls, ntlm, creds, ctx);
        } catch (IOException e) {
          return new Logon(account, Outcome.CLOSED, null, null, null, "the connection ended"
              + " while the client delegated its credentials: " + closedHow(e),
              t0.millis());
        }
      }
      return new Logon(account, Outcome.ACCEPTED, null, null, null, "NTLM accepted the"
          + " account and password, and the server proved its TLS key (CredSSP v"
          + serverVersion + ")" + (delegate ? "; credentials delegated" : ""),
          t0.millis());
    }
    return earlyAuthorization(s, tls, ntlm, creds, ctx, account, serverVersion, t0);
  }

  /**
   * HYBRID_EX: the client delegates its credentials, and the server says in a 4-byte Early User
   * Authorization Result ([MS-RDPBCGR] 2.2.10.2) whether the user may log on here.
   */
  private static Logon earlyAuthorization(ProbeSocket s, TlsProbe.Session tls, NtlmClient ntlm,
      Credentials creds, ProbeContext ctx, String account, int serverVersion, Stopwatch t0) {
    try {
      sendCredentials(tls, ntlm, creds, ctx);
      byte[] result = readFully(tls.in(), 4);
      ctx.trace().received(STREAM, "Early User Authorization Result", result);
      int code = (result[0] & 0xFF) | (result[1] & 0xFF) << 8 | (result[2] & 0xFF) << 16
          | (result[3] & 0xFF) << 24;
      if (code == 0) {
        return new Logon(account, Outcome.ACCEPTED, null, null, 0, "NTLM accepted the account"
            + " and password, the server proved its TLS key (CredSSP v" + serverVersion
            + "), and its Early User Authorization Result is SUCCESS", t0.millis());
      }
      return new Logon(account, Outcome.REJECTED, null, null, code, "the password is right, but"
          + " the server's Early User Authorization Result is " + (code == 5 ? "ACCESS_DENIED"
              : String.format("0x%08x", code)) + ": this user may not log on here over Remote"
          + " Desktop", t0.millis());
    } catch (IOException e) {
      return new Logon(account, Outcome.ACCEPTED, null, null, null, "NTLM accepted the account"
          + " and password and the server proved its TLS key (CredSSP v" + serverVersion
          + "); after the delegated credentials the server sent no Early User Authorization"
          + " Result (" + closedHow(e) + ")", t0.millis());
    }
  }

  /** TSRequest authInfo: the TSCredentials sealed under the NTLM session, never traced. */
  private static void sendCredentials(TlsProbe.Session tls, NtlmClient ntlm, Credentials creds,
      ProbeContext ctx) throws IOException {
    char[] pw = creds.password();
    byte[] pw16 = NtlmClient.utf16(pw);
    Arrays.fill(pw, '\0');
    byte[] plain = TsRequest.passwordCredentials(
        creds.domain().getBytes(StandardCharsets.UTF_16LE),
        creds.user().getBytes(StandardCharsets.UTF_16LE), pw16);
    Arrays.fill(pw16, (byte) 0);
    byte[] sealed = ntlm.seal(plain);
    Arrays.fill(plain, (byte) 0);
    byte[] req = new TsRequest(OUR_VERSION, null, sealed, null, null, null).encode();
    ctx.trace().sent(STREAM, "TSRequest authInfo (sealed TSCredentials, " + req.length
        + " bytes, contents withheld)", new byte[0]);
    tls.out().write(req);
    tls.out().flush();
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(b, got, n - got);
      if (r < 0) {
        throw new EOFException("closed after " + got + " of " + n + " bytes");
      }
      got += r;
    }
    return b;
  }

  /** The BIT STRING contents of the leaf's SubjectPublicKeyInfo, what CredSSP binds. */
  static byte[] subjectPublicKey(List<byte[]> chain) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("the server sent no certificate");
    }
    return org.bouncycastle.asn1.x509.Certificate.getInstance(chain.get(0))
        .getSubjectPublicKeyInfo().getPublicKeyData().getBytes();
  }

  static byte[] sha256(byte[] magic, byte[] nonce, byte[] pubKey) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(magic);
      d.update(nonce);
      d.update(pubKey);
      return d.digest();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Versions 2-4: the server returns the public key with its first byte incremented. */
  static byte[] plusOne(byte[] pubKey) {
    byte[] b = pubKey.clone();
    b[0]++;
    return b;
  }

  private static NlaEvidence ioFailure(IOException e, ProbeSocket s, String where,
      String selected, String tlsVersion, String after, Stopwatch t0) {
    Status st = isTimeout(e, s) ? Status.TIMEOUT : Status.CLOSED;
    String what = st == Status.TIMEOUT ? "no answer to " + after + " before the deadline"
        : "the connection ended after " + after + ": " + closedHow(e);
    return failed(where, selected, st, tlsVersion, what, t0);
  }

  private static String closedHow(IOException e) {
    if (e instanceof EOFException) {
      return "the server closed it (FIN)";
    }
    if (e instanceof SocketException) {
      return "the server reset it";
    }
    return TcpConnector.message(e);
  }

  private static boolean isTimeout(IOException e, ProbeSocket s) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof java.io.InterruptedIOException) {
        return true;
      }
    }
    return s.deadline().expired();
  }

  private static NlaEvidence failed(String where, String selected, Status status,
      String tlsVersion, String detail, Stopwatch t0) {
    return new NlaEvidence(where, selected, status, tlsVersion, null, null, null, null, null,
        detail, t0.millis());
  }
}

package dev.rdpdoctor.probe.connect;

import dev.rdpdoctor.codes.NtStatus;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NlaEvidence.Logon;
import dev.rdpdoctor.evidence.NlaEvidence.NtlmInfo;
import dev.rdpdoctor.evidence.NlaEvidence.Outcome;
import dev.rdpdoctor.evidence.NlaEvidence.Status;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.TsRequest;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * CredSSP as mstsc runs it on the TLS stream after an X.224 that selected HYBRID or HYBRID_EX
 * ([MS-CSSP] 3.1.5): a TSRequest with the NTLM NEGOTIATE; the CHALLENGE names the server and
 * carries its clock, which needs no account. With an account: AUTHENTICATE plus pubKeyAuth bound to
 * the server's TLS key, the server's proof of that key (or its errorCode), then the delegated
 * credentials and, with HYBRID_EX, the Early User Authorization Result. One sequence for the
 * identity check, the logon test and the NLA session; no I/O.
 */
public final class CredSspSequence implements Sequence<CredSspOutcome> {
  /** The version we speak: the current one, with the CVE-2018-0886 nonce-bound hash. */
  public static final int OUR_VERSION = 6;

  /** [MS-RDPBCGR] 2.2.10.2: ACCESS_DENIED. */
  static final int EUA_ACCESS_DENIED = 5;

  private enum Phase {
    NEGOTIATE,
    AUTHENTICATE,
    EARLY_AUTHORIZATION,
    DELEGATED
  }

  private final Ntlm ntlm;
  private final int selected;
  private final byte[] serverPublicKey;
  private final boolean delegate;
  private final Supplier<Instant> wallClock;
  private final LongSupplier millis;
  private final RandomGenerator random;
  private Phase phase = Phase.NEGOTIATE;
  private Integer serverVersion;
  private NtlmInfo info;
  private byte[] nonce;
  private long logonStart;

  /**
   * @param selected the protocol the server selected (HYBRID or HYBRID_EX)
   * @param serverPublicKey the BIT STRING of the TLS leaf's SubjectPublicKeyInfo, what pubKeyAuth
   *     binds; null when none could be read (the logon then cannot run)
   * @param delegate with HYBRID too, end with the delegated credentials, as before MCS
   * @param wallClock the local time the CHALLENGE is compared with (clock skew)
   * @param millis milliseconds on the run's clock, for the logon's duration
   */
  public CredSspSequence(
      Ntlm ntlm,
      int selected,
      byte[] serverPublicKey,
      boolean delegate,
      Supplier<Instant> wallClock,
      LongSupplier millis,
      RandomGenerator random) {
    this.ntlm = ntlm;
    this.selected = selected;
    this.serverPublicKey = serverPublicKey;
    this.delegate = delegate;
    this.wallClock = wallClock;
    this.millis = millis;
    this.random = random;
  }

  @Override
  public Next<CredSspOutcome> start() {
    return Next.read(
        Frame.TS_REQUEST,
        List.of(
            Out.Send.of(
                "TSRequest v" + OUR_VERSION + " NTLM NEGOTIATE",
                TsRequest.negotiate(OUR_VERSION, ntlm.negotiate()).encode()),
            new Out.Phase("NEGOTIATE sent", "TSRequest v" + OUR_VERSION)));
  }

  @Override
  public Out.Note view(byte[] frame) {
    return new Out.Note(
        phase == Phase.EARLY_AUTHORIZATION ? "Early User Authorization Result" : "TSRequest",
        frame);
  }

  @Override
  public Next<CredSspOutcome> received(byte[] frame) {
    return switch (phase) {
      case NEGOTIATE -> challenge(frame);
      case AUTHENTICATE -> proof(frame);
      case EARLY_AUTHORIZATION -> earlyAuthorization(frame);
      case DELEGATED -> throw new IllegalStateException("the sequence has ended");
    };
  }

  @Override
  public Next<CredSspOutcome> ended(Ending how, String detail) {
    String closed =
        switch (how) {
          case CLOSED -> "the server closed it (FIN)";
          case RESET -> "the server reset it";
          default -> detail;
        };
    return switch (phase) {
      case NEGOTIATE ->
          how == Ending.MALFORMED
              ? failed(
                  Status.MALFORMED,
                  "the server's answer to the NTLM NEGOTIATE is not a" + " TSRequest: " + detail)
              : how == Ending.TIMEOUT
                  ? failed(Status.TIMEOUT, "no answer to the NTLM NEGOTIATE before the deadline")
                  : failed(
                      Status.CLOSED, "the connection ended after the NTLM NEGOTIATE: " + closed);
      case AUTHENTICATE ->
          switch (how) {
            case MALFORMED ->
                logon(
                    Outcome.ERROR,
                    null,
                    null,
                    null,
                    "the server's answer to the" + " AUTHENTICATE is not a TSRequest: " + detail);
            case CLOSED, RESET ->
                logon(
                    Outcome.CLOSED,
                    null,
                    null,
                    null,
                    "the server "
                        + (how == Ending.CLOSED ? "closed" : "reset")
                        + " the connection after the NTLM"
                        + " AUTHENTICATE without an error code");
            case TIMEOUT ->
                logon(
                    Outcome.ERROR,
                    null,
                    null,
                    null,
                    "no answer to the NTLM AUTHENTICATE before the deadline");
            case FAILED ->
                logon(
                    Outcome.CLOSED,
                    null,
                    null,
                    null,
                    "the connection ended after the NTLM AUTHENTICATE: " + detail);
          };
      case EARLY_AUTHORIZATION ->
          logon(
              Outcome.ACCEPTED,
              null,
              null,
              null,
              "NTLM accepted the"
                  + " account and password and the server proved its TLS key (CredSSP v"
                  + serverVersion
                  + "); after the delegated credentials the server sent no Early User"
                  + " Authorization Result ("
                  + closed
                  + ")");
      case DELEGATED ->
          logon(
              Outcome.CLOSED,
              null,
              null,
              null,
              "the connection ended while" + " the client delegated its credentials: " + closed);
    };
  }

  /** The first answer: a CHALLENGE, or the server's errorCode. */
  private Next<CredSspOutcome> challenge(byte[] frame) {
    Instant local = wallClock.get();
    TsRequest answer;
    try {
      answer = TsRequest.decode(frame);
    } catch (MalformedPduException e) {
      return failed(
          Status.MALFORMED,
          "the server's answer to the NTLM NEGOTIATE is not a" + " TSRequest: " + e.getMessage());
    }
    serverVersion = answer.version();
    if (answer.errorCode() != null) {
      NtStatus st = NtStatus.valueOf(answer.errorCode());
      return Next.end(
          new CredSspOutcome(
              Status.REFUSED,
              serverVersion,
              null,
              null,
              answer.errorCode(),
              st.name(),
              "the server answered the NTLM NEGOTIATE with errorCode "
                  + st.hex()
                  + " "
                  + st.name()),
          false,
          List.of());
    }
    if (answer.negoToken() == null) {
      return failed(Status.MALFORMED, "the server's TSRequest carries no NTLM CHALLENGE");
    }
    NtlmChallenge ch;
    try {
      ch = NtlmChallenge.decode(answer.negoToken());
    } catch (MalformedPduException e) {
      return failed(Status.MALFORMED, "the NTLM CHALLENGE is malformed: " + e.getMessage());
    }
    info = info(ch, local);
    List<Out> out = new ArrayList<>();
    out.add(new Out.Phase("CHALLENGE received", ch.targetName()));
    if (!ntlm.hasCredentials()) {
      return done(null, out);
    }
    logonStart = millis.getAsLong();
    if (serverPublicKey == null) {
      return logon(
          Outcome.ERROR, null, null, null, "cannot read the server certificate's public key");
    }
    byte[] clientProof = serverPublicKey;
    if (PubKeyAuth.hashed(serverVersion)) {
      nonce = new byte[PubKeyAuth.NONCE_LENGTH];
      random.nextBytes(nonce);
      clientProof = PubKeyAuth.client(nonce, serverPublicKey);
    }
    byte[] auth = ntlm.authenticate(answer.negoToken(), ch);
    byte[] req =
        new TsRequest(OUR_VERSION, auth, null, ntlm.seal(clientProof), null, nonce).encode();
    // the AUTHENTICATE carries a password-derived response: its length only, never its bytes
    out.add(
        new Out.Send(
            "TSRequest NTLM AUTHENTICATE + pubKeyAuth ("
                + req.length
                + " bytes, contents withheld)",
            req,
            true));
    out.add(new Out.Phase("AUTHENTICATE sent", ntlm.account()));
    phase = Phase.AUTHENTICATE;
    return Next.read(Frame.TS_REQUEST, out);
  }

  /** The server's answer to the AUTHENTICATE: its key proof, or an errorCode. */
  private Next<CredSspOutcome> proof(byte[] frame) {
    TsRequest answer;
    try {
      answer = TsRequest.decode(frame);
    } catch (MalformedPduException e) {
      return ended(Ending.MALFORMED, e.getMessage());
    }
    if (answer.errorCode() != null) {
      NtStatus st = NtStatus.valueOf(answer.errorCode());
      return logon(
          Outcome.REJECTED,
          answer.errorCode(),
          st.name(),
          null,
          "the server refused"
              + " the logon with errorCode "
              + st.hex()
              + " "
              + st.name()
              + ": "
              + st.description());
    }
    if (answer.pubKeyAuth() == null) {
      return logon(
          Outcome.ERROR,
          null,
          null,
          null,
          "the server's answer carries neither pubKeyAuth nor an error code");
    }
    byte[] proof = ntlm.unseal(answer.pubKeyAuth());
    byte[] expected =
        nonce != null
            ? PubKeyAuth.server(nonce, serverPublicKey)
            : PubKeyAuth.plusOne(serverPublicKey);
    if (proof == null || !MessageDigest.isEqual(proof, expected)) {
      return logon(
          Outcome.KEY_MISMATCH,
          null,
          null,
          null,
          "the server accepted the NTLM"
              + " AUTHENTICATE but its pubKeyAuth does not match the TLS key we saw"
              + (proof == null ? " (bad signature)" : "")
              + ": something between us re-terminates"
              + " TLS, or the server's CredSSP is broken");
    }
    List<Out> out = new ArrayList<>();
    out.add(new Out.Phase("pubKeyAuth verified", "CredSSP v" + serverVersion));
    boolean earlyAuthorization = (selected & SecurityProtocol.PROTOCOL_HYBRID_EX) != 0;
    if (!earlyAuthorization && !delegate) {
      return done(accepted(""), out);
    }
    byte[] req =
        new TsRequest(OUR_VERSION, null, ntlm.sealedCredentials(), null, null, null).encode();
    out.add(
        new Out.Send(
            "TSRequest authInfo (sealed TSCredentials, "
                + req.length
                + " bytes, contents withheld)",
            req,
            true));
    out.add(new Out.Phase("credentials delegated", null));
    if (earlyAuthorization) {
      phase = Phase.EARLY_AUTHORIZATION;
      return Next.read(Frame.EARLY_USER_AUTHORIZATION, out);
    }
    phase = Phase.DELEGATED;
    return done(accepted("; credentials delegated"), out);
  }

  /** HYBRID_EX: may this user log on here ([MS-RDPBCGR] 2.2.10.2)? */
  private Next<CredSspOutcome> earlyAuthorization(byte[] result) {
    int code =
        (result[0] & 0xFF)
            | (result[1] & 0xFF) << 8
            | (result[2] & 0xFF) << 16
            | (result[3] & 0xFF) << 24;
    List<Out> out =
        List.of(
            new Out.Phase(
                "Early User Authorization", code == 0 ? "SUCCESS" : String.format("0x%08x", code)));
    if (code == 0) {
      return done(
          logonOf(
              Outcome.ACCEPTED,
              null,
              null,
              0,
              "NTLM accepted the account and"
                  + " password, the server proved its TLS key (CredSSP v"
                  + serverVersion
                  + "), and its"
                  + " Early User Authorization Result is SUCCESS"),
          out);
    }
    return done(
        logonOf(
            Outcome.REJECTED,
            null,
            null,
            code,
            "the password is right, but the"
                + " server's Early User Authorization Result is "
                + (code == EUA_ACCESS_DENIED ? "ACCESS_DENIED" : String.format("0x%08x", code))
                + ": this user may not log on"
                + " here over Remote Desktop"),
        out);
  }

  private Logon accepted(String tail) {
    return logonOf(
        Outcome.ACCEPTED,
        null,
        null,
        null,
        "NTLM accepted the account and password,"
            + " and the server proved its TLS key (CredSSP v"
            + serverVersion
            + ")"
            + tail);
  }

  private Logon logonOf(Outcome o, Integer status, String statusName, Integer eua, String detail) {
    return new Logon(
        ntlm.account(), o, status, statusName, eua, detail, millis.getAsLong() - logonStart);
  }

  private Next<CredSspOutcome> logon(
      Outcome o, Integer status, String statusName, Integer eua, String detail) {
    return done(logonOf(o, status, statusName, eua, detail), List.of());
  }

  private Next<CredSspOutcome> done(Logon logon, List<Out> out) {
    phase = Phase.DELEGATED;
    return Next.end(
        new CredSspOutcome(Status.OK, serverVersion, info, logon, null, null, null), false, out);
  }

  private Next<CredSspOutcome> failed(Status status, String detail) {
    return Next.end(
        new CredSspOutcome(status, serverVersion, null, null, null, null, detail),
        false,
        List.of());
  }

  static NtlmInfo info(NtlmChallenge ch, Instant local) {
    Instant server = ch.timestamp();
    // rounded, not truncated: a server that stamps whole seconds must not read as -1 s
    Long skew =
        server == null ? null : Math.round(Duration.between(local, server).toMillis() / 1000.0);
    return new NtlmInfo(
        ch.targetName(),
        ch.av(NtlmChallenge.AV_NB_COMPUTER),
        ch.av(NtlmChallenge.AV_NB_DOMAIN),
        ch.av(NtlmChallenge.AV_DNS_COMPUTER),
        ch.av(NtlmChallenge.AV_DNS_DOMAIN),
        ch.av(NtlmChallenge.AV_DNS_TREE),
        ch.version() == null ? null : ch.version().product(),
        ch.version() == null ? null : ch.version().ntlmRevision(),
        server,
        local,
        skew,
        String.format("0x%08x", ch.flags()));
  }
}

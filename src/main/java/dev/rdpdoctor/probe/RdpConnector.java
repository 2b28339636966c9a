package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsDisconnectProviderUltimatum;
import dev.rdpdoctor.wire.PeerProtocol;
import dev.rdpdoctor.wire.RdpNegotiation;
import dev.rdpdoctor.wire.Tpkt;
import dev.rdpdoctor.wire.X224ConnectionConfirm;
import dev.rdpdoctor.wire.X224ConnectionRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Connects and performs the X.224 negotiation the way a client does ([MS-RDPBCGR] 1.3.1.1 step 1),
 * turning whatever the server does into a {@link NegotiationAttempt}.
 */
public final class RdpConnector {
  /** A Connection Confirm is 11 or 19 bytes; anything past this is not a confirm. */
  static final int MAX_CONFIRM_LENGTH = 512;

  /** How much of a non-RDP answer is kept as evidence. */
  static final int MAX_SNIFF_BYTES = 64;

  /** How long to wait for more bytes of a non-RDP banner once the first arrived. */
  static final Duration SNIFF_WAIT = Duration.ofMillis(300);

  /** The cookie Windows would put the user name in; we say who we are instead. */
  static final String COOKIE = "rdpdoctor";

  private RdpConnector() {}

  /**
   * The attempt's evidence; when the server chose a protocol (or, legacy, confirmed without
   * negotiation data), also the still-open socket so the caller can go on with TLS or Standard RDP
   * Security on it. The caller closes the socket.
   */
  public record Negotiated(NegotiationAttempt attempt, ProbeSocket socket) {}

  public static Negotiated negotiate(
      InetAddress address,
      int port,
      String label,
      int requested,
      ProbeContext ctx,
      boolean keepOpen) {
    String stream = label.equals("client") ? "x224 client" : "x224 " + label;
    Stopwatch t0 = ctx.stopwatch();
    try {
      // The wait for a slot has its own bound, so a probe queued behind stalled ones still gets
      // its full deadline once it runs; see ProbeContext.slotWait for why it is several timeouts.
      if (!ctx.connectionSlots().tryAcquire(ctx.slotWait().toMillis(), TimeUnit.MILLISECONDS)) {
        return new Negotiated(
            attempt(
                label,
                requested,
                Outcome.TIMEOUT,
                null,
                t0.millis(),
                "no free connection slot before the deadline"),
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Negotiated(
          attempt(label, requested, Outcome.TIMEOUT, null, t0.millis(), "interrupted"), null);
    }
    Runnable release = ctx.connectionSlots()::release;
    Deadline deadline = ctx.deadline();
    TcpConnector.Result tcp =
        TcpConnector.connect(
            address,
            port,
            Duration.ofMillis(
                Math.min(ctx.connectTimeout().toMillis(), deadline.remainingMillis())),
            ctx,
            stream);
    if (!tcp.evidence().open()) {
      release.run();
      TcpEvidence e = tcp.evidence();
      return new Negotiated(
          attempt(
              label,
              requested,
              Outcome.CONNECT_FAILED,
              null,
              t0.millis(),
              "TCP "
                  + e.outcome().name().toLowerCase(Locale.ROOT)
                  + (e.detail() == null ? "" : ": " + e.detail())),
          null);
    }
    ProbeSocket s;
    try {
      s = new ProbeSocket(tcp.socket(), deadline, ctx.trace(), stream, release);
    } catch (IOException e) {
      TcpConnector.closeQuietly(tcp.socket());
      release.run();
      return new Negotiated(
          attempt(label, requested, Outcome.RESET, null, t0.millis(), TcpConnector.message(e)),
          null);
    }
    NegotiationAttempt result = exchange(s, label, requested, t0, ctx);
    ctx.emit(new ProbeEvent.NegotiationDone(ctx.now(), result));
    // a legacy server's bare Connection Confirm means "go on with Standard RDP Security"
    if (keepOpen
        && (result.outcome() == Outcome.RESPONSE
            || result.outcome() == Outcome.NO_NEGOTIATION_DATA)) {
      return new Negotiated(result, s);
    }
    s.close();
    return new Negotiated(result, null);
  }

  private static NegotiationAttempt exchange(
      ProbeSocket s, String label, int requested, Stopwatch t0, ProbeContext ctx) {
    byte[] cr =
        new X224ConnectionRequest(COOKIE, new RdpNegotiation.Request(0, requested)).encode();
    byte[] first = new byte[0];
    try {
      s.send("X.224 CR requestedProtocols=" + SecurityProtocol.names(requested), cr);
      long sent = ctx.now();
      int b0 = s.in().read();
      if (b0 >= 0) {
        // request to the first byte of the confirm: one round trip plus the server's think time
        long now = ctx.now();
        ctx.emit(
            new ProbeEvent.RoundTrip(now, label, "X.224 Connection Request", (now - sent) / 1_000));
      }
      if (b0 < 0) {
        return attempt(
            label,
            requested,
            Outcome.CLOSED,
            null,
            t0.millis(),
            "the server closed the connection (FIN) right after the X.224 request");
      }
      first = new byte[] {(byte) b0};
      if (b0 != Tpkt.VERSION) {
        byte[] sniff = sniff(s, b0);
        NegotiationAttempt a =
            attempt(
                label,
                requested,
                Outcome.NOT_RDP,
                sniff,
                t0.millis(),
                "the answer is not a TPKT header");
        return a.withPeer(PeerProtocol.identify(sniff, sniff.length));
      }
      // the one capped frame reader; what it consumed stays evidence if the frame is bad
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      seen.write(b0);
      byte[] pdu;
      try {
        pdu =
            Tpkt.readFrame(
                new SequenceInputStream(
                    new ByteArrayInputStream(first), new TeeInputStream(s.in(), seen)),
                MAX_CONFIRM_LENGTH);
      } finally {
        first = seen.toByteArray();
      }
      if (McsDisconnectProviderUltimatum.is(pdu)) {
        McsDisconnectProviderUltimatum dpum = McsDisconnectProviderUltimatum.decode(pdu);
        return attempt(
            label,
            requested,
            Outcome.DISCONNECTED,
            pdu,
            t0.millis(),
            "the server answered with an MCS Disconnect Provider Ultimatum ("
                + dpum.reasonName()
                + ") instead of a Connection Confirm");
      }
      X224ConnectionConfirm cc = X224ConnectionConfirm.decode(pdu);
      return fromConfirm(label, requested, cc, pdu, t0.millis());
    } catch (MalformedPduException e) {
      return attempt(label, requested, Outcome.MALFORMED, first, t0.millis(), e.getMessage());
    } catch (EOFException e) {
      return attempt(
          label,
          requested,
          Outcome.CLOSED,
          first,
          t0.millis(),
          "the server closed the connection mid-answer: " + e.getMessage());
    } catch (SocketTimeoutException e) {
      return attempt(
          label,
          requested,
          Outcome.TIMEOUT,
          first,
          t0.millis(),
          s.bytesIn() == 0
              ? "no answer to the X.224 request before the deadline"
              // bytesIn, not first: a partial readFully does not hand back what it got
              : "the answer stopped arriving after " + s.bytesIn() + " bytes");
    } catch (SocketException e) {
      return attempt(
          label,
          requested,
          Outcome.RESET,
          first,
          t0.millis(),
          "the server reset the connection: " + TcpConnector.message(e));
    } catch (IOException e) {
      return attempt(label, requested, Outcome.RESET, first, t0.millis(), TcpConnector.message(e));
    }
  }

  private static NegotiationAttempt fromConfirm(
      String label, int requested, X224ConnectionConfirm cc, byte[] pdu, long millis) {
    String hex = Hex.of(pdu, 0, Math.min(pdu.length, MAX_SNIFF_BYTES));
    BiFunction<Outcome, String, NegotiationAttempt> answered =
        (outcome, detail) -> NegotiationAttempt.of(label, requested, outcome, hex, millis, detail);
    return switch (cc.negotiation()) {
      case null ->
          answered.apply(
              Outcome.NO_NEGOTIATION_DATA,
              "X.224 Connection Confirm without negotiation data (legacy server)");
      case RdpNegotiation.Response rsp ->
          answered
              .apply(Outcome.RESPONSE, null)
              .withAnswer(rsp.selectedProtocol(), rsp.flags(), flagNames(rsp.flags()), null, null);
      case RdpNegotiation.Failure f ->
          answered
              .apply(Outcome.FAILURE, f.failureCode().description())
              .withAnswer(
                  null, f.flags(), List.of(), f.failureCode().code(), f.failureCode().name());
      case RdpNegotiation.Request req ->
          answered.apply(Outcome.MALFORMED, "the server echoed a negotiation request");
      case RdpNegotiation.Unknown u ->
          answered
              .apply(
                  Outcome.MALFORMED,
                  String.format("negotiation type 0x%02x is not defined", u.type()))
              .withAnswer(null, u.flags(), List.of(), null, null);
    };
  }

  static List<String> flagNames(int flags) {
    String[] names = {
      "EXTENDED_CLIENT_DATA_SUPPORTED",
      "DYNVC_GFX_PROTOCOL_SUPPORTED",
      "NEGRSP_FLAG_RESERVED",
      "RESTRICTED_ADMIN_MODE_SUPPORTED",
      "REDIRECTED_AUTHENTICATION_MODE_SUPPORTED"
    };
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      if ((flags & (1 << i)) != 0) {
        out.add(i < names.length ? names[i] : String.format("0x%02x", 1 << i));
      }
    }
    return out;
  }

  /** Collects the opening bytes of a non-RDP answer, briefly, without waiting for more. */
  private static byte[] sniff(ProbeSocket s, int b0) {
    byte[] buf = new byte[MAX_SNIFF_BYTES];
    buf[0] = (byte) b0;
    int len = 1;
    Deadline until = s.deadline().min(SNIFF_WAIT);
    try {
      while (len < buf.length && !until.expired()) {
        s.socket().setSoTimeout((int) Math.max(1, until.remainingMillis()));
        int r = s.socket().getInputStream().read(buf, len, buf.length - len);
        if (r < 0) {
          break;
        }
        len += r;
      }
    } catch (IOException stop) {
      // the banner ended or the peer went quiet: what we have is the evidence
    }
    return Arrays.copyOf(buf, len);
  }

  private static NegotiationAttempt attempt(
      String label, int requested, Outcome outcome, byte[] bytes, long millis, String detail) {
    String hex =
        bytes == null || bytes.length == 0
            ? null
            : Hex.of(bytes, 0, Math.min(bytes.length, MAX_SNIFF_BYTES));
    return NegotiationAttempt.of(label, requested, outcome, hex, millis, detail);
  }

  /** Copies what is read into a sink, up to {@link #MAX_SNIFF_BYTES}: the evidence's bytes. */
  private static final class TeeInputStream extends FilterInputStream {
    private final ByteArrayOutputStream sink;

    TeeInputStream(InputStream in, ByteArrayOutputStream sink) {
      super(in);
      this.sink = sink;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0 && sink.size() < MAX_SNIFF_BYTES) {
        sink.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int r = super.read(b, off, len);
      if (r > 0) {
        sink.write(b, off, Math.min(r, Math.max(0, MAX_SNIFF_BYTES - sink.size())));
      }
      return r;
    }
  }
}

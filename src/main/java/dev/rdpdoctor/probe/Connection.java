package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.probe.connect.Ending;
import dev.rdpdoctor.probe.connect.Frame;
import dev.rdpdoctor.probe.connect.Next;
import dev.rdpdoctor.probe.connect.Out;
import dev.rdpdoctor.probe.connect.Sequence;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsDisconnectProviderUltimatum;
import dev.rdpdoctor.wire.Tpkt;
import dev.rdpdoctor.wire.TsRequest;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The one driver of the connection sequence: it owns the socket, the TLS session on it, the framing
 * (one capped reader per {@link Frame}), the deadline, the wire trace, the events and the
 * politeness of ending an MCS domain with a Disconnect Provider Ultimatum. The phases ({@link
 * Sequence}) never see a socket; {@link #open} runs X.224 and the classified TLS handshake that
 * every TLS-based probe shares, {@link #run} drives a phase to its outcome.
 */
final class Connection implements Closeable {
  /** The server's goodbye reason we send: rn-user-requested (T.125). */
  static final int GOODBYE_REASON = 3;

  /** An Early User Authorization Result is one 32-bit code. */
  static final int EARLY_USER_AUTHORIZATION_LENGTH = 4;

  private final ProbeSocket socket;
  private final TlsClientHandshake.Session tls;
  private final ProbeContext ctx;
  private final String label;

  private Connection(
      ProbeSocket socket, TlsClientHandshake.Session tls, ProbeContext ctx, String label) {
    this.socket = socket;
    this.tls = tls;
    this.ctx = ctx;
    this.label = label;
  }

  /**
   * The X.224 attempt; the TLS handshake when the server selected a TLS protocol; and, when both
   * went well and the caller keeps it, the open connection. Null parts did not happen.
   *
   * @param selected the protocol the server chose, RDP for a legacy confirm
   */
  record Opened(
      NegotiationAttempt attempt, int selected, TlsProbe.Handshake tls, Connection connection) {
    /** The server answered the X.224 request with a protocol (or a legacy confirm). */
    boolean negotiated() {
      return attempt.outcome() == NegotiationAttempt.Outcome.RESPONSE
          || attempt.outcome() == NegotiationAttempt.Outcome.NO_NEGOTIATION_DATA;
    }
  }

  /**
   * Connects, negotiates {@code requested} and, when the server selected a TLS protocol that {@code
   * proceed} accepts, runs the handshake on the same socket. "Connect + TLS" for every probe: the
   * TLS probe, the CredSSP check and the session sequence.
   *
   * @param t0 the probe's stopwatch, for the handshake's time as the evidence records it
   * @param keep hand back the open connection instead of closing it
   */
  static Opened open(
      InetAddress address,
      int port,
      String typedHost,
      int requested,
      String label,
      ProbeContext ctx,
      TlsProbe.Offer offer,
      Stopwatch t0,
      IntPredicate proceed,
      boolean keep) {
    RdpConnector.Negotiated n = RdpConnector.negotiate(address, port, label, requested, ctx, true);
    NegotiationAttempt a = n.attempt();
    Integer chosen = a.selectedProtocol();
    int selected = chosen == null ? SecurityProtocol.PROTOCOL_RDP : chosen;
    ProbeSocket s = n.socket();
    if (s == null || !proceed.test(selected)) {
      if (s != null) {
        s.close();
      }
      return new Opened(a, selected, null, null);
    }
    if (!SecurityProtocol.usesTls(selected)) {
      if (!keep) {
        s.close();
      }
      return new Opened(a, selected, null, keep ? new Connection(s, null, ctx, label) : null);
    }
    long start = ctx.now();
    TlsClientHandshake.Shaken t = TlsClientHandshake.shake(s, typedHost, offer, t0, keep);
    TlsProbe.Handshake h = t.handshake();
    ctx.emit(
        new ProbeEvent.TlsDone(
            ctx.now(),
            label,
            address.getHostAddress() + ":" + port,
            h.status() == TlsEvidence.Status.OK,
            h.version(),
            h.cipherSuite(),
            h.error(),
            ctx.clock().millisSince(start)));
    if (t.session() == null) {
      s.close();
      return new Opened(a, selected, h, null);
    }
    return new Opened(a, selected, h, new Connection(s, t.session(), ctx, label));
  }

  /** The server's certificate chain as TLS delivered it, leaf first; empty without TLS. */
  List<byte[]> chain() {
    return tls == null ? List.of() : tls.chain();
  }

  /**
   * Drives a phase to its outcome: writes what it asks, reads the frame it expects (traced as the
   * phase names it), hands it back, until the phase ends; then the goodbye it asks for. Never
   * throws for a network outcome.
   */
  <R> R run(Sequence<R> phase, String stream) {
    Next<R> next = phase.start();
    while (true) {
      String lastSent;
      try {
        lastSent = write(next, stream);
      } catch (IOException e) {
        return finish(phase.ended(ending(e), TcpConnector.message(e)), stream);
      }
      if (next.done()) {
        return finish(next, stream);
      }
      try {
        byte[] frame = read(next.read(), lastSent);
        if (ctx.trace().enabled()) {
          Out.Note view = phase.view(frame);
          ctx.trace().received(stream, view.what(), view.bytes());
        }
        next = phase.received(frame);
      } catch (MalformedPduException e) {
        next = phase.ended(Ending.MALFORMED, e.getMessage());
      } catch (IOException e) {
        next = phase.ended(ending(e), TcpConnector.message(e));
      }
    }
  }

  /** Writes the sends, traces the notes, emits the phases; the name of the last send. */
  private String write(Next<?> next, String stream) throws IOException {
    String last = null;
    for (Out o : next.out()) {
      switch (o) {
        case Out.Send send -> {
          if (send.withheld()) {
            ctx.trace().sent(stream, send.what(), new byte[0]);
          } else {
            ctx.trace().sent(stream, send.what(), send.bytes());
          }
          out().write(send.bytes());
          out().flush();
          last = send.what();
        }
        case Out.Note note -> ctx.trace().received(stream, note.what(), note.bytes());
        case Out.Phase p -> ctx.emit(new ProbeEvent.CredSspPhase(ctx.now(), p.phase(), p.detail()));
      }
    }
    return last;
  }

  private <R> R finish(Next<R> end, String stream) {
    if (end.goodbye()) {
      try {
        ctx.trace()
            .sent(
                stream,
                "MCS Disconnect Provider Ultimatum",
                new McsDisconnectProviderUltimatum(GOODBYE_REASON).encode());
        out().write(new McsDisconnectProviderUltimatum(GOODBYE_REASON).encode());
        out().flush();
      } catch (IOException ignored) {
        // the evidence is complete; a goodbye the server no longer hears changes nothing
      }
    }
    return end.result();
  }

  /**
   * One frame of the kind asked for. The wait for its first byte after a request is one round trip
   * of the path plus the server's think time, emitted as such.
   */
  private byte[] read(Frame frame, String request) throws IOException, MalformedPduException {
    long asked = ctx.now();
    int first = in().read();
    if (first < 0) {
      throw new EOFException("the server closed the connection");
    }
    if (request != null) {
      ctx.emit(new ProbeEvent.RoundTrip(ctx.now(), label, request, (ctx.now() - asked) / 1_000));
    }
    InputStream rest =
        new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) first}), in());
    return switch (frame) {
      case TPKT -> Tpkt.readFrame(rest, Frame.MAX_TPKT);
      case TS_REQUEST -> TsRequest.readFrom(rest);
      case EARLY_USER_AUTHORIZATION -> {
        byte[] b = rest.readNBytes(EARLY_USER_AUTHORIZATION_LENGTH);
        if (b.length < EARLY_USER_AUTHORIZATION_LENGTH) {
          throw new EOFException(
              "closed after " + b.length + " of " + EARLY_USER_AUTHORIZATION_LENGTH + " bytes");
        }
        yield b;
      }
    };
  }

  /** EOF is a close, a socket error a reset, a timeout (or a read past the deadline) a timeout. */
  private Ending ending(IOException e) {
    if (e instanceof EOFException) {
      return Ending.CLOSED;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedIOException) {
        return Ending.TIMEOUT;
      }
    }
    if (socket.deadline().expired()) {
      return Ending.TIMEOUT;
    }
    return e instanceof SocketException ? Ending.RESET : Ending.FAILED;
  }

  private InputStream in() {
    return tls != null ? tls.in() : socket.in();
  }

  /**
   * Over TLS the session's stream; under Standard RDP Security the socket's own, since each PDU is
   * traced by name and the raw stream would trace its bytes twice.
   */
  private OutputStream out() throws IOException {
    return tls != null ? tls.out() : socket.socket().getOutputStream();
  }

  @Override
  public void close() {
    if (tls != null) {
      tls.close();
    }
    socket.close();
  }
}

package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.TlsEvidence.Status;
import dev.rdpdoctor.probe.TlsProbe.Handshake;
import dev.rdpdoctor.probe.TlsProbe.Offer;
import dev.rdpdoctor.wire.PeerProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.List;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * One TLS client handshake on a socket already past the X.224 exchange, every way it can end
 * classified; {@link TlsProbe} decides which handshakes to run, this class runs one.
 */
final class TlsClientHandshake {
  private TlsClientHandshake() {}

  /** A handshake's evidence and, when asked for and it worked, the session left open. */
  record Shaken(Handshake handshake, Session session) {}

  /**
   * The TLS handshake on a negotiated socket, every failure classified (not TLS, timeout, reset,
   * close, alert). With {@code keepOpen} a successful session stays open for what runs inside it
   * (CredSSP, MCS); otherwise it ends with close_notify.
   */
  static Shaken shake(
      ProbeSocket s, String typedHost, Offer offer, Stopwatch t0, boolean keepOpen) {
    long before = s.bytesIn();
    WatchedStreams.In in = new WatchedStreams.In(s.in());
    WatchedStreams.Out out = new WatchedStreams.Out(s.out());
    InspectingTlsClient client =
        new InspectingTlsClient(new InspectingCrypto(), offer, sniName(typedHost));
    TlsClientProtocol tls = new TlsClientProtocol(in, out);
    try {
      tls.connect(client);
      Handshake ok = ended(Status.OK, client, null, null, s, before, t0);
      if (keepOpen) {
        return new Shaken(ok, new Session(tls, client.chain, ok.version(), ok.cipherSuite()));
      }
      closePolitely(tls);
      return new Shaken(ok, null);
    } catch (TlsFatalAlertReceived e) {
      Handshake h =
          ended(
              Status.ALERT,
              client,
              TlsNames.alert(e.getAlertDescription()),
              "the server refused the handshake with a fatal alert",
              s,
              before,
              t0);
      closeQuietly(tls);
      return new Shaken(h, null);
    } catch (IOException | RuntimeException e) {
      Handshake h = classify(e, client, in, out, s, before, t0);
      closeQuietly(tls);
      return new Shaken(h, null);
    }
  }

  private static Handshake classify(
      Exception e,
      InspectingTlsClient client,
      WatchedStreams.In in,
      WatchedStreams.Out out,
      ProbeSocket s,
      long before,
      Stopwatch t0) {
    long got = s.bytesIn() - before;
    // a peer that is not speaking TLS is the finding, however the socket ended afterwards
    if (in.sniffed > 0 && !looksLikeTls(in.first, in.sniffed)) {
      return ended(
          Status.ERROR,
          client,
          null,
          "the server answered with something that is not"
              + " TLS ("
              + PeerProtocol.identify(in.first, in.sniffed)
              + ")",
          s,
          before,
          t0);
    }
    if (isTimeout(e) || s.deadline().expired()) {
      return ended(
          Status.TIMEOUT,
          client,
          null,
          got == 0
              ? "no TLS answer before the deadline (ServerHello never arrived)"
              : "the handshake stalled after " + got + " bytes from the server",
          s,
          before,
          t0);
    }
    if (in.reset || out.reset) {
      return ended(
          Status.CLOSED,
          client,
          null,
          "the server reset the connection after " + got + " bytes of the handshake",
          s,
          before,
          t0);
    }
    if (in.eof) {
      return ended(
          Status.CLOSED,
          client,
          null,
          "the server closed the connection (FIN) after " + got + " bytes of the handshake",
          s,
          before,
          t0);
    }
    String why = TcpConnector.message(e);
    String answered = serverHelloVersion(in.first, in.sniffed);
    if (e instanceof TlsFatalAlert fa) {
      if (fa.getAlertDescription() == AlertDescription.protocol_version && answered != null) {
        // BC rejects a ServerHello version it did not offer before telling the client about it
        return new Handshake(
            Status.ERROR,
            answered,
            null,
            null,
            "the server answered with " + answered + ", which was not offered",
            List.of(),
            got,
            t0.millis(),
            Handshake.NO_SUITE);
      }
      why =
          "the handshake was aborted here with "
              + TlsNames.alert(fa.getAlertDescription())
              + (client.raised == null ? "" : ": " + client.raised);
    }
    return ended(Status.ERROR, client, null, why, s, before, t0);
  }

  /** What the client saw of the handshake, however it ended. */
  private static Handshake ended(
      Status status,
      InspectingTlsClient client,
      String alert,
      String error,
      ProbeSocket s,
      long before,
      Stopwatch t0) {
    return new Handshake(
        status,
        TlsNames.version(client.serverVersion),
        suite(client),
        alert,
        error,
        client.chain,
        s.bytesIn() - before,
        t0.millis(),
        client.cipherSuite);
  }

  private static String suite(InspectingTlsClient client) {
    return client.cipherSuite < 0 ? null : TlsNames.cipherSuite(client.cipherSuite);
  }

  /**
   * The version in a ServerHello at the start of the server's flight (RFC 5246 7.4.1.3): record
   * header (5 bytes), handshake type 2 and length (4), then server_version (2).
   */
  static String serverHelloVersion(byte[] b, int len) {
    if (len < 11 || b[0] != 22 || b[5] != 2) {
      return null;
    }
    return TlsNames.version(ProtocolVersion.get(b[9] & 0xFF, b[10] & 0xFF));
  }

  /** TLS record header: content type 20..24, then major version 3. */
  private static boolean looksLikeTls(byte[] b, int len) {
    int type = b[0] & 0xFF;
    return type >= 20 && type <= 24 && (len < 2 || b[1] == 3);
  }

  private static boolean isTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  /**
   * A TLS session left open on a negotiated socket, for what runs inside it (CredSSP). The caller
   * owns the socket; {@link #close} only says close_notify.
   */
  record Session(
      TlsClientProtocol protocol, List<byte[]> chain, String version, String cipherSuite) {
    InputStream in() {
      return protocol.getInputStream();
    }

    OutputStream out() {
      return protocol.getOutputStream();
    }

    void close() {
      closeQuietly(protocol);
    }
  }

  /** close_notify, so a real server logs a clean close rather than a Schannel error. */
  private static void closePolitely(TlsClientProtocol tls) {
    try {
      tls.close();
    } catch (IOException ignored) {
      // the handshake result is already evidence; a failed goodbye changes nothing
    }
  }

  private static void closeQuietly(TlsClientProtocol tls) {
    if (!tls.isClosed()) {
      closePolitely(tls);
    }
  }

  /** SNI carries names only (RFC 6066 3): never an IP literal, never a trailing dot. */
  static String sniName(String typedHost) {
    if (typedHost == null || typedHost.isBlank()) {
      return null;
    }
    String h = typedHost.trim();
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty() || CertificateInspector.ipLiteral(h) != null || h.startsWith("[")) {
      return null;
    }
    for (int i = 0; i < h.length(); i++) {
      if (h.charAt(i) > 0x7E || h.charAt(i) <= 0x20) {
        return null;
      }
    }
    return h;
  }
}

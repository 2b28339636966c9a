package dev.rdpdoctor.testing;

import dev.rdpdoctor.probe.NtlmServerCheck;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.NtlmFlags;
import dev.rdpdoctor.wire.NtlmNegotiate;
import dev.rdpdoctor.wire.NtlmVersion;
import dev.rdpdoctor.wire.tsgu.ChannelCreate;
import dev.rdpdoctor.wire.tsgu.ChannelResponse;
import dev.rdpdoctor.wire.tsgu.HandshakeRequest;
import dev.rdpdoctor.wire.tsgu.HandshakeResponse;
import dev.rdpdoctor.wire.tsgu.PacketHeader;
import dev.rdpdoctor.wire.tsgu.TunnelAuth;
import dev.rdpdoctor.wire.tsgu.TunnelAuthResponse;
import dev.rdpdoctor.wire.tsgu.TunnelCreate;
import dev.rdpdoctor.wire.tsgu.TunnelResponse;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A scripted RD Gateway for what no open-source server here implements: the MS-TSGU HTTP transport
 * behind NTLM. Built from the spec only: 401 with Negotiate/NTLM for an anonymous request
 * ([MS-TSGU] 3.3.5.1), an NTLM challenge and NTLMv2 verification ([MS-NLMP] 3.2.5, 3.3.2), the
 * WebSocket upgrade (RFC 6455 4.2.2), then HANDSHAKE, TUNNEL_CREATE, TUNNEL_AUTH (the CAP decision)
 * and CHANNEL_CREATE (the RAP decision) answered per {@link Mode}.
 */
public final class FakeTsGateway implements AutoCloseable {
  static final byte[] SERVER_CHALLENGE = {1, 2, 3, 4, 5, 6, 7, 8};
  static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  public static final int E_PROXY_INTERNALERROR = 0x800759D8;
  public static final int E_PROXY_RAP_ACCESSDENIED = 0x800759DA;
  public static final int E_PROXY_NAP_ACCESSDENIED = 0x800759DB;

  /**
   * What the gateway decides once the user is authenticated, or how it misbehaves: the modes after
   * INTERNAL_ERROR are hostile gateways, each breaking one step of [MS-TSGU] 3.3.5 or RFC 6455 and
   * otherwise behaving as {@link #ACCEPT}.
   */
  public enum Mode {
    ACCEPT,
    DENY_CAP,
    DENY_RAP,
    INTERNAL_ERROR,
    /** TCP accepted, closed before the TLS handshake. */
    CLOSE_BEFORE_TLS,
    /** Every request gets 500 Internal Server Error. */
    HTTP_500,
    /** A web server, not a gateway: 200 and an HTML page for every request. */
    NOT_A_GATEWAY,
    /** 401 without any WWW-Authenticate header: no scheme to log on with. */
    NO_AUTH_SCHEME,
    /** Reads the request head, never answers. */
    SILENT,
    /** Reads the request head, then FIN. */
    CLOSE_AFTER_HEAD,
    /** A status line that is not HTTP, then FIN. */
    GARBAGE_STATUS,
    /** After the logon, 101 with a Sec-WebSocket-Accept that is not the key's hash. */
    BAD_WEBSOCKET_ACCEPT,
    /** After the upgrade, reads the HANDSHAKE_REQUEST and never answers. */
    SILENT_AFTER_UPGRADE,
    /** After the upgrade, a binary frame claiming 2^62 bytes. */
    HUGE_FRAME,
    /** After the upgrade, a HANDSHAKE_RESPONSE packet whose packetLength exceeds the frame. */
    TRUNCATED_HANDSHAKE_RESPONSE
  }

  private final SSLServerSocket server;
  private final Mode mode;
  private final String user;
  private final char[] password;
  private final Thread acceptor;

  /** Every packet type received, in order, and every resource asked for. */
  public final List<String> received = new CopyOnWriteArrayList<>();

  public FakeTsGateway(Mode mode, String user, char[] password) throws Exception {
    this.mode = mode;
    this.user = user;
    this.password = password.clone();
    // CA-issued, as a production gateway's certificate is: no self-signed note in the way
    TestCertificates.Issued ca = TestCertificates.builder("CN=Test Gateway CA").ca().build();
    TestCertificates.Issued cert =
        TestCertificates.builder("CN=gateway.test")
            .san("DNS:gateway.test")
            .san("IP:127.0.0.1")
            .issuedBy(ca)
            .build();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "gw",
        cert.keyPair().getPrivate(),
        "t".toCharArray(),
        new java.security.cert.Certificate[] {cert.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, "t".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server =
        (SSLServerSocket)
            ctx.getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofVirtual().start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(5000);
      if (mode == Mode.CLOSE_BEFORE_TLS) {
        return;
      }
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      if (hostileHttp(in, out)) {
        return;
      }
      // NTLM is connection-bound: the MIC covers this connection's NEGOTIATE and CHALLENGE
      byte[] negotiate = null;
      byte[] challenge = null;
      for (int requests = 0; requests < 4; requests++) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String auth = header(head, "Authorization");
        if (auth == null || !auth.startsWith("NTLM ")) {
          reply(
              out,
              "401 Unauthorized",
              "WWW-Authenticate: Negotiate\r\n" + "WWW-Authenticate: NTLM\r\n");
          continue;
        }
        byte[] token = Base64.getDecoder().decode(auth.substring(5).strip());
        if (token[8] == 1) {
          negotiate = token;
          challenge = challenge(NtlmNegotiate.decode(token).flags());
          reply(
              out,
              "401 Unauthorized",
              "WWW-Authenticate: NTLM " + Base64.getEncoder().encodeToString(challenge) + "\r\n");
          continue;
        }
        if (negotiate == null || !verify(negotiate, challenge, token)) {
          reply(
              out,
              "401 Unauthorized",
              "WWW-Authenticate: Negotiate\r\n" + "WWW-Authenticate: NTLM\r\n");
          return;
        }
        String key = header(head, "Sec-WebSocket-Key");
        if (key == null) {
          reply(out, "200 OK", "");
          return;
        }
        String accept =
            Base64.getEncoder()
                .encodeToString(
                    MessageDigest.getInstance("SHA-1")
                        .digest(
                            (key + (mode == Mode.BAD_WEBSOCKET_ACCEPT ? "x" : WS_GUID))
                                .getBytes(StandardCharsets.US_ASCII)));
        out.write(
            ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                    + accept
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        tunnel(in, out);
        return;
      }
    } catch (Exception e) {
      // a client that goes away mid-exchange is normal for a probe
    }
  }

  /** The modes that break the HTTP exchange itself; true when the connection is done. */
  private boolean hostileHttp(InputStream in, OutputStream out) throws IOException {
    switch (mode) {
      case HTTP_500 -> {
        for (int i = 0; i < 4 && readHead(in) != null; i++) {
          reply(out, "500 Internal Server Error", "");
        }
      }
      case NOT_A_GATEWAY -> {
        for (int i = 0; i < 4 && readHead(in) != null; i++) {
          byte[] page = "<html><body>It works!</body></html>".getBytes(StandardCharsets.US_ASCII);
          out.write(
              ("HTTP/1.1 200 OK\r\nServer: Apache\r\nContent-Type: text/html\r\n"
                      + "Content-Length: "
                      + page.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          out.write(page);
          out.flush();
        }
      }
      case NO_AUTH_SCHEME -> {
        for (int i = 0; i < 4 && readHead(in) != null; i++) {
          reply(out, "401 Unauthorized", "");
        }
      }
      case SILENT -> {
        readHead(in);
        while (in.read() >= 0) {
          // the client's bytes are ignored until it leaves or the timeout ends it
        }
      }
      case CLOSE_AFTER_HEAD -> readHead(in);
      case GARBAGE_STATUS -> {
        readHead(in);
        out.write(new byte[] {0x00, 0x01, (byte) 0xFF, 'R', 'D', 'G', '\r', '\n', '\r', '\n'});
        out.flush();
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private void tunnel(InputStream in, OutputStream out) throws IOException, MalformedPduException {
    if (mode == Mode.SILENT_AFTER_UPGRADE) {
      readFrame(in);
      while (in.read() >= 0) {
        // never answered
      }
      return;
    }
    if (mode == Mode.HUGE_FRAME) {
      readFrame(in);
      out.write(new byte[] {(byte) 0x82, 127, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
      out.flush();
      return;
    }
    if (mode == Mode.TRUNCATED_HANDSHAKE_RESPONSE) {
      readFrame(in);
      byte[] answer = new HandshakeResponse(0, 1, 0, 0, 0).encode();
      // packetLength (offset 4, 32-bit LE) claims far more than the frame carries
      answer[4] = (byte) 0xFF;
      answer[5] = (byte) 0xFF;
      writeFrame(out, answer);
      return;
    }
    for (int i = 0; i < 8; i++) {
      byte[] p = readFrame(in);
      int type = PacketHeader.peek(p).type();
      received.add(PacketHeader.name(type));
      byte[] answer;
      switch (type) {
        case PacketHeader.HANDSHAKE_REQUEST -> {
          HandshakeRequest.decode(p);
          answer =
              new HandshakeResponse(
                      mode == Mode.INTERNAL_ERROR ? E_PROXY_INTERNALERROR : 0, 1, 0, 0, 0)
                  .encode();
        }
        case PacketHeader.TUNNEL_CREATE -> {
          TunnelCreate.decode(p);
          answer = new TunnelResponse(1, 0, 0, 7, TunnelCreate.CAP_IDLE_TIMEOUT, null).encode();
        }
        case PacketHeader.TUNNEL_AUTH -> {
          received.add("client " + TunnelAuth.decode(p).clientName());
          answer =
              new TunnelAuthResponse(
                      mode == Mode.DENY_CAP ? E_PROXY_NAP_ACCESSDENIED : 0, 0, null, 30)
                  .encode();
        }
        case PacketHeader.CHANNEL_CREATE -> {
          ChannelCreate c = ChannelCreate.decode(p);
          received.add("resource " + c.resources().get(0) + ":" + c.port());
          answer =
              new ChannelResponse(
                      mode == Mode.DENY_RAP ? E_PROXY_RAP_ACCESSDENIED : 0,
                      0,
                      mode == Mode.DENY_RAP ? null : 1,
                      null)
                  .encode();
        }
        default -> {
          return;
        }
      }
      writeFrame(out, answer);
    }
  }

  /**
   * CHALLENGE_MESSAGE per [MS-NLMP] 2.2.1.2 as a Windows gateway sends it: the client's flags that
   * a Windows server supports, and target info with NetBIOS names and the server's clock
   * (MsvAvTimestamp, which is what makes a client add a MIC).
   */
  private static byte[] challenge(int clientFlags) {
    long now = System.currentTimeMillis() * 10_000L + 116_444_736_000_000_000L;
    byte[] stamp = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(now).array();
    byte[] info =
        NtlmChallenge.encodeAvPairs(
            List.of(
                NtlmChallenge.text(NtlmChallenge.AV_NB_DOMAIN, "LAB"),
                NtlmChallenge.text(NtlmChallenge.AV_NB_COMPUTER, "RDG"),
                new NtlmChallenge.AvPair(NtlmChallenge.AV_TIMESTAMP, stamp)));
    int flags =
        clientFlags & NtlmNegotiate.CLIENT_FLAGS | NtlmFlags.TARGET_INFO | NtlmFlags.VERSION;
    return NtlmChallenge.encode(
        flags,
        SERVER_CHALLENGE,
        "LAB",
        info,
        new NtlmVersion(10, 0, 17763, NtlmVersion.REVISION_W2K3));
  }

  /** The server's check of NTProofStr and, when flagged, the MIC ([MS-NLMP] 3.2.5.1.2). */
  private boolean verify(byte[] negotiate, byte[] challenge, byte[] auth)
      throws MalformedPduException {
    NtlmServerCheck.Result r = NtlmServerCheck.verify(negotiate, challenge, auth, user, password);
    received.add(
        "NTLM "
            + (r.ok() ? "accepted" : "refused: " + r.why())
            + (r.micChecked() ? ", MIC checked" : ", no MIC"));
    return r.ok();
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      byte[] a = b.toByteArray();
      int n = a.length;
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        return b.toString(StandardCharsets.ISO_8859_1);
      }
      if (n > 16384) {
        return null;
      }
    }
    return null;
  }

  private static String header(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon)
              .strip()
              .toLowerCase(Locale.ROOT)
              .equals(name.toLowerCase(Locale.ROOT))) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  private static void reply(OutputStream out, String status, String headers) throws IOException {
    out.write(
        ("HTTP/1.1 "
                + status
                + "\r\nServer: Microsoft-IIS/10.0\r\n"
                + headers
                + "Content-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** One client frame: must be masked (RFC 6455 5.1). */
  private static byte[] readFrame(InputStream in) throws IOException {
    int b0 = in.read();
    int b1 = in.read();
    if (b0 < 0 || b1 < 0) {
      throw new EOFException();
    }
    int len = b1 & 0x7F;
    if (len == 126) {
      len = (in.read() << 8) | in.read();
    }
    if ((b1 & 0x80) == 0 || len > 65536) {
      throw new IOException("unmasked or oversized client frame");
    }
    byte[] mask = in.readNBytes(4);
    byte[] data = in.readNBytes(len);
    for (int i = 0; i < data.length; i++) {
      data[i] ^= mask[i & 3];
    }
    return data;
  }

  private static void writeFrame(OutputStream out, byte[] payload) throws IOException {
    out.write(0x82);
    out.write(payload.length); // control packets here are all below 126 bytes
    out.write(payload);
    out.flush();
  }

  @Override
  public void close() throws Exception {
    server.close();
    acceptor.join(2000);
    Arrays.fill(password, '\0');
  }
}

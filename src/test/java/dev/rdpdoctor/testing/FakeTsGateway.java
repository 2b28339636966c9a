package dev.rdpdoctor.testing;

import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.ntlm.GatewayNtlm;
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
import java.net.ServerSocket;
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
 * A scripted RD Gateway for what no open-source server here implements: the MS-TSGU HTTP
 * transport behind NTLM. Built from the spec only: 401 with Negotiate/NTLM for an anonymous
 * request ([MS-TSGU] 3.3.5.1), an NTLM challenge and NTLMv2 verification ([MS-NLMP] 3.2.5,
 * 3.3.2), the WebSocket upgrade (RFC 6455 4.2.2), then HANDSHAKE, TUNNEL_CREATE, TUNNEL_AUTH
 * (the CAP decision) and CHANNEL_CREATE (the RAP decision) answered per {@link Mode}.
 */
public final class FakeTsGateway implements AutoCloseable {
  static final byte[] SERVER_CHALLENGE = {1, 2, 3, 4, 5, 6, 7, 8};
  static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  public static final int E_PROXY_INTERNALERROR = 0x800759D8;
  public static final int E_PROXY_RAP_ACCESSDENIED = 0x800759DA;
  public static final int E_PROXY_NAP_ACCESSDENIED = 0x800759DB;

  /** What the gateway decides once the user is authenticated. */
  public enum Mode { ACCEPT, DENY_CAP, DENY_RAP, INTERNAL_ERROR }

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
    TestCertificates.Issued cert = TestCertificates.builder("CN=gateway.test")
        .san("DNS:gateway.test").san("IP:127.0.0.1").issuedBy(ca).build();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("gw", cert.keyPair().getPrivate(), "t".toCharArray(),
        new java.security.cert.Certificate[] {cert.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, "t".toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 16,
        InetAddress.getLoopbackAddress());
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
        return;  // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(5000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      for (int requests = 0; requests < 4; requests++) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String auth = header(head, "Authorization");
        if (auth == null || !auth.startsWith("NTLM ")) {
          reply(out, "401 Unauthorized", "WWW-Authenticate: Negotiate\r\n"
              + "WWW-Authenticate: NTLM\r\n");
          continue;
        }
        byte[] token = Base64.getDecoder().decode(auth.substring(5).strip());
        if (token[8] == 1) {
          reply(out, "401 Unauthorized", "WWW-Authenticate: NTLM "
              + Base64.getEncoder().encodeToString(challenge()) + "\r\n");
          continue;
        }
        if (!verify(token)) {
          reply(out, "401 Unauthorized", "WWW-Authenticate: Negotiate\r\n"
              + "WWW-Authenticate: NTLM\r\n");
          return;
        }
        String key = header(head, "Sec-WebSocket-Key");
        if (key == null) {
          reply(out, "200 OK", "");
          return;
        }
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
            .digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        tunnel(in, out);
        return;
      }
    } catch (Exception e) {
      // a client that goes away mid-exchange is normal for a probe
    }
  }

  private void tunnel(InputStream in, OutputStream out) throws IOException,
      MalformedPduException {
    for (int i = 0; i < 8; i++) {
      byte[] p = readFrame(in);
      int type = PacketHeader.peek(p).type();
      received.add(PacketHeader.name(type));
      byte[] answer;
      switch (type) {
        case PacketHeader.HANDSHAKE_REQUEST -> {
          HandshakeRequest.decode(p);
          answer = new HandshakeResponse(mode == Mode.INTERNAL_ERROR ? E_PROXY_INTERNALERROR
              : 0, 1, 0, 0, 0).encode();
        }
        case PacketHeader.TUNNEL_CREATE -> {
          TunnelCreate.decode(p);
          answer = new TunnelResponse(1, 0, 0, 7, TunnelCreate.CAP_IDLE_TIMEOUT, null).encode();
        }
        case PacketHeader.TUNNEL_AUTH -> {
          received.add("client " + TunnelAuth.decode(p).clientName());
          answer = new TunnelAuthResponse(mode == Mode.DENY_CAP ? E_PROXY_NAP_ACCESSDENIED : 0,
              0, null, 30).encode();
        }
        case PacketHeader.CHANNEL_CREATE -> {
          ChannelCreate c = ChannelCreate.decode(p);
          received.add("resource " + c.resources().get(0) + ":" + c.port());
          answer = new ChannelResponse(mode == Mode.DENY_RAP ? E_PROXY_RAP_ACCESSDENIED : 0, 0,
              mode == Mode.DENY_RAP ? null : 1, null).encode();
        }
        default -> {
          return;
        }
      }
      writeFrame(out, answer);
    }
  }

  /** CHALLENGE_MESSAGE per [MS-NLMP] 2.2.1.2 with NbDomain/NbComputer AV pairs. */
  private static byte[] challenge() {
    byte[] name = "LAB".getBytes(StandardCharsets.UTF_16LE);
    ByteBuffer av = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    av.putShort((short) 2).putShort((short) name.length).put(name);
    byte[] comp = "RDG".getBytes(StandardCharsets.UTF_16LE);
    av.putShort((short) 1).putShort((short) comp.length).put(comp);
    av.putInt(0);
    byte[] info = Arrays.copyOf(av.array(), av.position());
    ByteBuffer b = ByteBuffer.allocate(48 + name.length + info.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII)).putInt(2);
    b.putShort((short) name.length).putShort((short) name.length).putInt(48);
    b.putInt(GatewayNtlm.NEGOTIATE_UNICODE | GatewayNtlm.NEGOTIATE_NTLM
        | GatewayNtlm.NEGOTIATE_TARGET_INFO | GatewayNtlm.NEGOTIATE_EXTENDED_SESSIONSECURITY);
    b.put(SERVER_CHALLENGE).put(new byte[8]);
    b.putShort((short) info.length).putShort((short) info.length).putInt(48 + name.length);
    b.put(name).put(info);
    return b.array();
  }

  /** Recomputes NTProofStr from the temp the client sent ([MS-NLMP] 3.3.2). */
  private boolean verify(byte[] auth) {
    ByteBuffer b = ByteBuffer.wrap(auth).order(ByteOrder.LITTLE_ENDIAN);
    byte[] nt = field(auth, b, 20);
    byte[] dom = field(auth, b, 28);
    byte[] usr = field(auth, b, 36);
    if (nt.length < 16 + 28) {
      return false;
    }
    String u = new String(usr, StandardCharsets.UTF_16LE);
    String d = new String(dom, StandardCharsets.UTF_16LE);
    if (!u.equalsIgnoreCase(user)) {
      return false;
    }
    byte[] proof = Arrays.copyOf(nt, 16);
    byte[] temp = Arrays.copyOfRange(nt, 16, nt.length);
    return Arrays.equals(proof, GatewayNtlm.ntProof(u, d, password, SERVER_CHALLENGE, temp));
  }

  private static byte[] field(byte[] msg, ByteBuffer b, int at) {
    int len = b.getShort(at) & 0xFFFF;
    int off = b.getInt(at + 4);
    return off < 0 || off + len > msg.length ? new byte[0]
        : Arrays.copyOfRange(msg, off, off + len);
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
      if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT)
          .equals(name.toLowerCase(Locale.ROOT))) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  private static void reply(OutputStream out, String status, String headers)
      throws IOException {
    out.write(("HTTP/1.1 " + status + "\r\nServer: Microsoft-IIS/10.0\r\n" + headers
        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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
    out.write(payload.length);  // control packets here are all below 126 bytes
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

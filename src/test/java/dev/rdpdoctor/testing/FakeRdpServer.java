package dev.rdpdoctor.testing;

import dev.rdpdoctor.codes.NegotiationFailureCode;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.wire.RdpNegotiation;
import dev.rdpdoctor.wire.Tpkt;
import dev.rdpdoctor.wire.X224ConnectionConfirm;
import dev.rdpdoctor.wire.X224ConnectionRequest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedDecryptor;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedDecryptor;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * A scripted RDP server on 127.0.0.1 for the misbehaviours no real peer will produce on demand.
 * Each accepted connection reads one X.224 Connection Request, answers with the scripted {@link
 * Answer}, and when that answer selected a TLS-based protocol, goes on with {@link ServerTls} or a
 * {@link TlsFault}. Every connection is closed after {@code connectionCap}, and {@link #close()}
 * stops the accept loop and drops every open connection.
 *
 * <pre>{@code
 * try (FakeRdpServer server = FakeRdpServer.builder()
 *     .answer(Answer.select(SecurityProtocol.PROTOCOL_SSL))
 *     .tls(ServerTls.of(TestCertificates.selfSigned("rdp.example.test")))
 *     .start()) {
 *   ... connect to server.address(), server.port() ...
 *   assertThat(server.requestedProtocols()).containsExactly(3);
 * }
 * }</pre>
 */
public final class FakeRdpServer implements AutoCloseable {
  /** A Connection Request is a few dozen bytes; a longer TPKT is not one. */
  private static final int MAX_REQUEST = 1024;

  private final ServerSocket listener;
  private final BiFunction<Integer, Integer, Answer> answers;
  private final ServerTls tls;
  private final TlsFault fault;
  private final TlsScript afterTls;
  private final Duration cap;
  private final SSLContext sslContext;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Integer> requested = new CopyOnWriteArrayList<>();
  private final List<String> serverErrors = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger openNow = new AtomicInteger();
  private final AtomicInteger peakOpen = new AtomicInteger();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean closed;

  private FakeRdpServer(Builder b) throws IOException {
    this.answers = b.answers;
    this.tls = b.tls;
    this.fault = b.fault;
    this.afterTls = b.afterTls;
    this.cap = b.cap;
    this.sslContext = tls == null || !tls.jsse() ? null : tls.sslContext();
    this.listener = new ServerSocket(0, 50, b.bind);
    this.acceptor = Thread.ofVirtual().name("fake-rdp-accept").start(this::acceptLoop);
  }

  public static Builder builder() {
    return new Builder();
  }

  public InetAddress address() {
    return listener.getInetAddress();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** requestedProtocols of every Connection Request seen, in order; -1 when it had none. */
  public List<Integer> requestedProtocols() {
    return List.copyOf(requested);
  }

  public int connections() {
    return connections.get();
  }

  /**
   * Bytes the server's scripts handed to the client: on the bare socket, and inside TLS the
   * plaintext a {@link TlsScript} wrote (TLS framing not counted). What the client read is at most
   * this; an unbounded reader shows as a count far above its cap.
   */
  public long bytesWritten() {
    return bytesWritten.get();
  }

  /** Connections accepted whose end (the client's FIN or RST, or our close) is not yet seen. */
  public int openConnections() {
    return openNow.get();
  }

  /**
   * The most connections open at once. Each accept is counted {@link #SETTLE} later, so a
   * connection the client already closed but whose FIN our serving thread has not yet read does not
   * count against its successor; a connection that is really held open (a stalled probe) still
   * counts. Meant for answers that hold connections much longer than that (silent ...).
   */
  public int peakOpenConnections() {
    return peakOpen.get();
  }

  /** See {@link #peakOpenConnections()}. */
  public static final Duration SETTLE = Duration.ofMillis(150);

  /** What went wrong on the server side (TLS errors ...), for test failure messages. */
  public List<String> serverErrors() {
    return List.copyOf(serverErrors);
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // already closed
    }
    try {
      // the listening socket is only really gone once the thread blocked in accept() has left
      // it; until then a new client can still be queued, and is then reset instead of refused
      acceptor.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Socket s : open) {
      closeQuietly(s);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = listener.accept();
      } catch (IOException e) {
        return;
      }
      int index = connections.getAndIncrement();
      openNow.incrementAndGet();
      open.add(s);
      Thread.ofVirtual().start(() -> serve(s, index));
      Thread.ofVirtual()
          .start(
              () -> {
                sleep(SETTLE);
                peakOpen.accumulateAndGet(openNow.get(), Math::max);
              });
      Thread.ofVirtual()
          .start(
              () -> {
                sleep(cap);
                closeQuietly(s);
              });
    }
  }

  private void serve(Socket s, int index) {
    try (s) {
      s.setTcpNoDelay(true);
      s.setSoTimeout((int) cap.toMillis());
      InputStream in = s.getInputStream();
      OutputStream out = new Counting(s.getOutputStream(), bytesWritten);
      int protocols = readRequest(in);
      requested.add(protocols);
      Answer a = answers.apply(index, protocols);
      if (a == null) {
        a = Answer.silent();
      }
      boolean goOn = a.play(s, out);
      boolean bareScript = a.standardSecurity && tls == null && afterTls != null;
      if (!goOn && !bareScript) {
        return;
      }
      if (fault != null) {
        fault.play(s, in, out);
      } else if (tls != null) {
        if (tls.jsse()) {
          serveJsse(s);
        } else {
          serveBc(s, in, out);
        }
      } else if (bareScript) {
        // Standard RDP Security and no TLS configured: the script speaks on the bare socket
        try {
          afterTls.play(in, out);
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException("script: " + e.getMessage(), e);
        }
      } else {
        drain(in);
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        serverErrors.add(e.toString());
      }
    } finally {
      open.remove(s);
      openNow.decrementAndGet();
    }
  }

  /** Reads one TPKT-framed CR; returns its requestedProtocols, or -1 when it carries none. */
  private static int readRequest(InputStream in) throws IOException {
    byte[] header = in.readNBytes(Tpkt.HEADER_LENGTH);
    if (header.length < Tpkt.HEADER_LENGTH) {
      throw new IOException("client closed before a full TPKT header");
    }
    int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
    if (header[0] != Tpkt.VERSION || length < Tpkt.HEADER_LENGTH || length > MAX_REQUEST) {
      return -1;
    }
    byte[] body = in.readNBytes(length - Tpkt.HEADER_LENGTH);
    byte[] pdu = Arrays.copyOf(header, length);
    System.arraycopy(body, 0, pdu, Tpkt.HEADER_LENGTH, body.length);
    try {
      RdpNegotiation.Request neg = X224ConnectionRequest.decode(pdu).negotiation();
      return neg == null ? -1 : neg.requestedProtocols();
    } catch (Exception e) {
      return -1;
    }
  }

  private void serveJsse(Socket s) throws IOException {
    // server mode over the already-connected socket, as an RDP server upgrades after the CC
    try (SSLSocket ssl = (SSLSocket) sslContext.getSocketFactory().createSocket(s, null, true)) {
      ssl.setEnabledProtocols(tls.versions().toArray(String[]::new));
      if (!tls.cipherSuites().isEmpty()) {
        ssl.setEnabledCipherSuites(tls.cipherSuites().toArray(String[]::new));
      }
      ssl.startHandshake();
      if (afterTls != null) {
        try {
          afterTls.play(ssl.getInputStream(), new Counting(ssl.getOutputStream(), bytesWritten));
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          // a script that read something malformed: the client gets a close, the test a note
          throw new IOException("TLS script: " + e.getMessage(), e);
        }
      } else {
        drain(ssl.getInputStream());
      }
    }
  }

  private void serveBc(Socket s, InputStream in, OutputStream out) throws IOException {
    TlsServerProtocol p = new TlsServerProtocol(in, out);
    p.accept(new LegacyServer(tls));
    drain(p.getInputStream());
    p.close();
  }

  private static void drain(InputStream in) {
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // the client's bytes are not part of the script
      }
    } catch (IOException stop) {
      // the client left, or the cap closed the socket
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to clean up
    }
  }

  /** Counts what passes through into the server's tally of bytes written. */
  private static final class Counting extends FilterOutputStream {
    private final AtomicLong tally;

    Counting(OutputStream out, AtomicLong tally) {
      super(out);
      this.tally = tally;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      tally.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      tally.addAndGet(len);
    }
  }

  /** Closes with RST instead of FIN: SO_LINGER 0 discards the send buffer. */
  private static void reset(Socket s) throws IOException {
    s.setSoLinger(true, 0);
    s.close();
  }

  public static final class Builder {
    private BiFunction<Integer, Integer, Answer> answers =
        (i, p) -> Answer.select(SecurityProtocol.PROTOCOL_SSL);
    private ServerTls tls;
    private TlsFault fault;
    private TlsScript afterTls;
    private Duration cap = Duration.ofSeconds(20);
    private InetAddress bind = InetAddress.getLoopbackAddress();

    private Builder() {}

    /** Listen on this local address instead of the default loopback (e.g. ::1). */
    public Builder bind(InetAddress local) {
      this.bind = local;
      return this;
    }

    /** The same answer to every Connection Request. */
    public Builder answer(Answer a) {
      this.answers = (i, p) -> a;
      return this;
    }

    /**
     * An answer chosen from the client's requestedProtocols (-1 when the CR has no RDP_NEG_REQ), to
     * mimic a real server's policy, e.g. HYBRID_REQUIRED unless CredSSP is offered.
     */
    public Builder answer(IntFunction<Answer> byRequested) {
      this.answers = (i, p) -> byRequested.apply(p);
      return this;
    }

    /**
     * An answer chosen by the connection's index (0 for the first accepted) and the client's
     * requestedProtocols: a server that works once and then stops, or degrades.
     */
    public Builder answerByConnection(BiFunction<Integer, Integer, Answer> byIndexAndRequested) {
      this.answers = byIndexAndRequested;
      return this;
    }

    /** A real TLS handshake after a CC that selects a TLS-based protocol. */
    public Builder tls(ServerTls t) {
      this.tls = t;
      return this;
    }

    /** Misbehave where the TLS handshake should be; wins over {@link #tls}. */
    public Builder tlsFault(TlsFault f) {
      this.fault = f;
      return this;
    }

    /**
     * What the server says inside TLS (a scripted CredSSP peer), or on the bare socket after the
     * confirm when no {@link #tls} is set (Standard RDP Security); returning closes.
     */
    public Builder afterTls(TlsScript script) {
      this.afterTls = script;
      return this;
    }

    /** The longest any one connection stays open (default 20 s). */
    public Builder connectionCap(Duration d) {
      this.cap = d;
      return this;
    }

    public FakeRdpServer start() {
      try {
        return new FakeRdpServer(this);
      } catch (IOException e) {
        throw new IllegalStateException("cannot listen on " + bind, e);
      }
    }
  }

  /** A script on the bare socket, after the Connection Request ({@link Answer#script}). */
  @FunctionalInterface
  public interface RawScript {
    void play(Socket s, InputStream in, OutputStream out) throws Exception;
  }

  /** A script played over the server's side of the TLS stream (JSSE versions only). */
  @FunctionalInterface
  public interface TlsScript {
    void play(InputStream in, OutputStream out) throws Exception;
  }

  /** What the server does right after reading the Connection Request. */
  public static final class Answer {
    private final String name;
    private final Script script;

    /** The server chose Standard RDP Security: a bare-socket script may go on after it. */
    private boolean standardSecurity;

    @FunctionalInterface
    private interface Script {
      /** Returns true when the connection goes on to the TLS stage. */
      boolean play(Socket s, OutputStream out) throws IOException;
    }

    private Answer(String name, Script script) {
      this.name = name;
      this.script = script;
    }

    boolean play(Socket s, OutputStream out) throws IOException {
      return script.play(s, out);
    }

    @Override
    public String toString() {
      return name;
    }

    /** CC with RDP_NEG_RSP selecting {@code protocol}; TLS follows when it is TLS-based. */
    public static Answer select(int protocol) {
      return select(protocol, RdpNegotiation.EXTENDED_CLIENT_DATA_SUPPORTED);
    }

    public static Answer select(int protocol, int flags) {
      byte[] cc = confirm(new RdpNegotiation.Response(flags, protocol));
      Answer a =
          new Answer(
              "select " + SecurityProtocol.names(protocol),
              (s, out) -> {
                write(out, cc);
                return SecurityProtocol.usesTls(protocol);
              });
      a.standardSecurity = protocol == SecurityProtocol.PROTOCOL_RDP;
      return a;
    }

    /** CC with RDP_NEG_FAILURE failureCode {@code code}, then FIN (as Windows does). */
    public static Answer failure(int code) {
      byte[] cc = confirm(new RdpNegotiation.Failure(0, NegotiationFailureCode.valueOf(code)));
      return new Answer(
          "failure " + code,
          (s, out) -> {
            write(out, cc);
            return false;
          });
    }

    /**
     * CC without negotiation data, then the {@link Builder#afterTls} script on the bare socket: a
     * pre-2003 server that goes on with Standard RDP Security.
     */
    public static Answer legacyConfirmThenScript() {
      byte[] cc = confirm(null);
      Answer a =
          new Answer(
              "legacy confirm, then the script",
              (s, out) -> {
                write(out, cc);
                return false;
              });
      a.standardSecurity = true;
      return a;
    }

    /** CC without negotiation data, as a pre-2003 server answers. */
    public static Answer confirmWithoutNegotiation() {
      byte[] cc = confirm(null);
      return new Answer(
          "legacy confirm",
          (s, out) -> {
            write(out, cc);
            FakeRdpServer.drain(s.getInputStream());
            return false;
          });
    }

    /** FIN right after reading the request: the literal 0x904 case. */
    public static Answer close() {
      return new Answer("close", (s, out) -> false);
    }

    /** RST right after reading the request. */
    public static Answer reset() {
      return new Answer(
          "reset",
          (s, out) -> {
            FakeRdpServer.reset(s);
            return false;
          });
    }

    /** These bytes, then FIN. */
    public static Answer bytes(byte[] b) {
      byte[] copy = b.clone();
      return new Answer(
          "bytes",
          (s, out) -> {
            write(out, copy);
            return false;
          });
    }

    public static Answer garbage() {
      return bytes(
          new byte[] {
            (byte) 0xDE,
            (byte) 0xAD,
            (byte) 0xBE,
            (byte) 0xEF,
            0x00,
            0x7F,
            0x13,
            0x37,
            0x42,
            0x42,
            (byte) 0x99,
            0x01
          });
    }

    public static Answer http() {
      return bytes(
          ("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
    }

    public static Answer sshBanner() {
      return bytes("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A TPKT header claiming 65535 bytes, then silence: tests the length cap. */
    public static Answer hugeTpkt() {
      return new Answer(
          "huge tpkt",
          (s, out) -> {
            write(out, new byte[] {Tpkt.VERSION, 0, (byte) 0xFF, (byte) 0xFF});
            FakeRdpServer.drain(s.getInputStream());
            return false;
          });
    }

    /** A valid CC selecting {@code protocol}, one byte every {@code perByte}. */
    public static Answer trickle(int protocol, Duration perByte) {
      byte[] cc = confirm(new RdpNegotiation.Response(0, protocol));
      return new Answer(
          "trickle",
          (s, out) -> {
            for (byte b : cc) {
              sleep(perByte);
              out.write(b);
              out.flush();
            }
            return SecurityProtocol.usesTls(protocol);
          });
    }

    /**
     * Anything scripted on the bare socket after the Connection Request was read; returning closes
     * with FIN. For the byte-level misbehaviours the named answers do not cover.
     */
    public static Answer script(String name, RawScript script) {
      return new Answer(
          name,
          (s, out) -> {
            try {
              script.play(s, s.getInputStream(), out);
            } catch (IOException | RuntimeException e) {
              throw e;
            } catch (Exception e) {
              throw new IOException(name + ": " + e.getMessage(), e);
            }
            return false;
          });
    }

    /** Reads and never answers, until the client leaves or the cap closes the socket. */
    public static Answer silent() {
      return new Answer(
          "silent",
          (s, out) -> {
            FakeRdpServer.drain(s.getInputStream());
            return false;
          });
    }

    private static byte[] confirm(RdpNegotiation neg) {
      return new X224ConnectionConfirm(0x1234, neg).encode();
    }

    private static void write(OutputStream out, byte[] b) throws IOException {
      out.write(b);
      out.flush();
    }
  }

  /** Ways to break the TLS stage; each first waits for the ClientHello's first bytes. */
  public enum TlsFault {
    /** FIN once the ClientHello arrived. */
    CLOSE_AFTER_CLIENT_HELLO,
    /** RST once the ClientHello arrived. */
    RESET_AFTER_CLIENT_HELLO,
    /** Read everything, answer nothing: what a PMTU black hole looks like from the client. */
    STALL,
    /** An HTTP error page where the ServerHello should be. */
    HTTP_RESPONSE,
    /** A fatal handshake_failure alert (RFC 5246 7.2) in answer to the ClientHello. */
    ALERT_HANDSHAKE_FAILURE,
    /** Bytes that are no TLS record at all where the ServerHello should be. */
    GARBAGE,
    /** A handshake record header claiming 65535 bytes (above 2^14 + 2048), then silence. */
    OVERSIZED_RECORD,
    /**
     * A ServerHello that never ends: a handshake message header claiming 16 MiB, then record after
     * record of its body, sent as fast as the client reads, until the cap closes.
     */
    ENDLESS_HANDSHAKE,
    /** A valid-looking ServerHello header, then one byte per 300 ms: a slow-loris server. */
    TRICKLE;

    void play(Socket s, InputStream in, OutputStream out) throws IOException {
      if (this == STALL) {
        drain(in);
        return;
      }
      if (!readRecord(in)) {
        return;
      }
      switch (this) {
        case CLOSE_AFTER_CLIENT_HELLO -> s.close();
        case RESET_AFTER_CLIENT_HELLO -> reset(s);
        case HTTP_RESPONSE -> {
          out.write(
              "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          s.close();
        }
        case ALERT_HANDSHAKE_FAILURE -> {
          // content type alert, TLS 1.2 record version, length 2, fatal (2) handshake_failure
          out.write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
          out.flush();
          s.close();
        }
        case GARBAGE -> {
          out.write(new byte[] {0x7F, 0x00, 0x13, 0x37, (byte) 0xFE, (byte) 0xED, 0x01, 0x02});
          out.flush();
          s.close();
        }
        case OVERSIZED_RECORD -> {
          out.write(new byte[] {0x16, 0x03, 0x03, (byte) 0xFF, (byte) 0xFF, 0x02, 0x00});
          out.flush();
          drain(in);
        }
        case ENDLESS_HANDSHAKE -> {
          byte[] record = new byte[5 + 16384];
          record[0] = 0x16;
          record[1] = 0x03;
          record[2] = 0x03;
          record[3] = 0x40;
          // first record: ServerHello (2) claiming 0xFFFFFF bytes, then its body for ever
          record[5] = 0x02;
          record[6] = (byte) 0xFF;
          record[7] = (byte) 0xFF;
          record[8] = (byte) 0xFF;
          record[9] = 0x03;
          record[10] = 0x03;
          while (!s.isClosed()) {
            out.write(record);
            out.flush();
          }
        }
        case TRICKLE -> {
          byte[] hello = {0x16, 0x03, 0x03, 0x00, 0x40, 0x02, 0x00, 0x00, 0x3C, 0x03, 0x03};
          for (int i = 0; i < 64 && !s.isClosed(); i++) {
            out.write(hello[Math.min(i, hello.length - 1)]);
            out.flush();
            sleep(Duration.ofMillis(300));
          }
        }
        default -> throw new IllegalStateException(name());
      }
    }
  }

  /**
   * Consumes one whole TLS record (the ClientHello), so a close afterwards is a FIN: closing a
   * socket with unread input makes the kernel send RST instead.
   */
  private static boolean readRecord(InputStream in) throws IOException {
    byte[] header = in.readNBytes(5);
    if (header.length < 5) {
      return false;
    }
    int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
    return in.readNBytes(length).length == length;
  }

  /**
   * The server side of TLS: its certificate chain (leaf first) and the versions it allows
   * ("TLSv1.0" ... "TLSv1.3"). Modern sets run on JSSE; a set with TLS 1.0 or 1.1 runs on
   * BouncyCastle's server, because JDK 21+ disables those versions JVM-wide and changing that would
   * leak into every other test.
   */
  public record ServerTls(
      TestCertificates.Issued leaf,
      List<TestCertificates.Issued> chain,
      List<String> versions,
      List<String> cipherSuites) {
    private static final Set<String> MODERN = Set.of("TLSv1.2", "TLSv1.3");

    public ServerTls {
      chain = List.copyOf(chain);
      versions = List.copyOf(versions);
      cipherSuites = List.copyOf(cipherSuites);
      if (!jsse(versions) && versions.contains("TLSv1.3")) {
        throw new IllegalArgumentException("TLS 1.3 together with 1.0/1.1 is not scripted");
      }
    }

    /** TLS 1.2 and 1.3 with this certificate alone. */
    public static ServerTls of(TestCertificates.Issued leaf) {
      return new ServerTls(leaf, List.of(), List.of("TLSv1.2", "TLSv1.3"), List.of());
    }

    public ServerTls versions(String... allowed) {
      return new ServerTls(leaf, chain, List.of(allowed), cipherSuites);
    }

    /** Only these suites (JSSE names; JSSE servers only); empty means the JDK's defaults. */
    public ServerTls cipherSuites(String... allowed) {
      return new ServerTls(leaf, chain, versions, List.of(allowed));
    }

    /** Certificates sent after the leaf (intermediates, a CA). */
    public ServerTls withChain(TestCertificates.Issued... extra) {
      return new ServerTls(leaf, List.of(extra), versions, cipherSuites);
    }

    boolean jsse() {
      return jsse(versions);
    }

    private static boolean jsse(List<String> versions) {
      return MODERN.containsAll(versions);
    }

    SSLContext sslContext() {
      try {
        List<java.security.cert.Certificate> certs = new ArrayList<>();
        certs.add(leaf.certificate());
        chain.forEach(c -> certs.add(c.certificate()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "test".toCharArray();
        ks.setKeyEntry(
            "rdp",
            leaf.keyPair().getPrivate(),
            pw,
            certs.toArray(java.security.cert.Certificate[]::new));
        // SunX509 hands out the key as is; the PKIX manager would shun expired certificates
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
      } catch (Exception e) {
        throw new IllegalStateException("cannot build the test TLS context", e);
      }
    }

    ProtocolVersion[] bcVersions() {
      List<ProtocolVersion> out = new ArrayList<>();
      for (String v : versions) {
        out.add(
            switch (v) {
              case "TLSv1.0" -> ProtocolVersion.TLSv10;
              case "TLSv1.1" -> ProtocolVersion.TLSv11;
              case "TLSv1.2" -> ProtocolVersion.TLSv12;
              default -> throw new IllegalArgumentException(v);
            });
      }
      // BC wants newest first
      Collections.reverse(out);
      return out.toArray(ProtocolVersion[]::new);
    }
  }

  /** BouncyCastle server for TLS 1.0 / 1.1, which JSSE will not speak without global changes. */
  private static final class LegacyServer extends DefaultTlsServer {
    private final ServerTls cfg;
    private final BcTlsCrypto bc;

    LegacyServer(ServerTls cfg) {
      super(new BcTlsCrypto());
      this.cfg = cfg;
      this.bc = (BcTlsCrypto) getCrypto();
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return cfg.bcVersions();
    }

    @Override
    protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
      SignatureAndHashAlgorithm alg = null;
      if (TlsUtils.isTLSv12(context)) {
        alg =
            TlsUtils.chooseSignatureAndHashAlgorithm(
                context,
                context.getSecurityParametersHandshake().getClientSigAlgs(),
                SignatureAlgorithm.rsa);
      }
      return new BcDefaultTlsCredentialedSigner(
          new TlsCryptoParameters(context), bc, key(), certificate(), alg);
    }

    @Override
    protected TlsCredentialedDecryptor getRSAEncryptionCredentials() throws IOException {
      return new BcDefaultTlsCredentialedDecryptor(bc, certificate(), key());
    }

    private AsymmetricKeyParameter key() throws IOException {
      return PrivateKeyFactory.createKey(cfg.leaf().keyPair().getPrivate().getEncoded());
    }

    private Certificate certificate() throws IOException {
      List<TlsCertificate> certs = new ArrayList<>();
      certs.add(bc.createCertificate(cfg.leaf().der()));
      for (TestCertificates.Issued c : cfg.chain()) {
        certs.add(bc.createCertificate(c.der()));
      }
      return new Certificate(certs.toArray(TlsCertificate[]::new));
    }
  }
}

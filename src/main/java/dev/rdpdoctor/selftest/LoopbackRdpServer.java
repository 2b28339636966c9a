package dev.rdpdoctor.selftest;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.RdpNegotiation;
import dev.rdpdoctor.wire.Tpkt;
import dev.rdpdoctor.wire.X224ConnectionConfirm;
import dev.rdpdoctor.wire.X224ConnectionRequest;
import java.io.DataInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A minimal, well-behaved RDP listener on the loopback address: answers the X.224 request
 * ([MS-RDPBCGR] 2.2.1.2) selecting TLS when offered, then completes a TLS handshake with a fresh
 * self-signed certificate. It exists so {@code rdpdoctor selftest} can run the whole diagnosis on
 * any machine without touching the network.
 */
public final class LoopbackRdpServer implements AutoCloseable {
  /** The selftest needs about a dozen connections; anything beyond is not ours. */
  static final int MAX_CONNECTIONS = 64;

  static final Duration CONNECTION_CAP = Duration.ofSeconds(10);
  static final String NAME = "localhost";

  private final ServerSocket listener;
  private final SSLContext tls;
  private final Thread acceptor;

  private LoopbackRdpServer(ServerSocket listener, SSLContext tls) {
    this.listener = listener;
    this.tls = tls;
    this.acceptor = Thread.ofVirtual().name("selftest-listener").start(this::acceptLoop);
  }

  public static LoopbackRdpServer start() throws Exception {
    ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    return new LoopbackRdpServer(ss, selfSigned());
  }

  public int port() {
    return listener.getLocalPort();
  }

  public InetAddress address() {
    return listener.getInetAddress();
  }

  private void acceptLoop() {
    for (int i = 0; i < MAX_CONNECTIONS && !listener.isClosed(); i++) {
      try {
        Socket s = listener.accept();
        Thread.ofVirtual().start(() -> serve(s));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout((int) CONNECTION_CAP.toMillis());
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] header = new byte[Tpkt.HEADER_LENGTH];
      in.readFully(header);
      Tpkt tpkt = Tpkt.decodeHeader(header);
      byte[] pdu = new byte[tpkt.length()];
      System.arraycopy(header, 0, pdu, 0, header.length);
      in.readFully(pdu, header.length, pdu.length - header.length);
      X224ConnectionRequest cr = X224ConnectionRequest.decode(pdu);
      int requested = cr.negotiation() == null ? 0 : cr.negotiation().requestedProtocols();
      int selected =
          (requested & SecurityProtocol.PROTOCOL_SSL) != 0
              ? SecurityProtocol.PROTOCOL_SSL
              : SecurityProtocol.PROTOCOL_RDP;
      s.getOutputStream()
          .write(
              new X224ConnectionConfirm(
                      0x1234,
                      new RdpNegotiation.Response(
                          RdpNegotiation.EXTENDED_CLIENT_DATA_SUPPORTED, selected))
                  .encode());
      s.getOutputStream().flush();
      if (selected == SecurityProtocol.PROTOCOL_SSL) {
        try (SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, null, true)) {
          t.setUseClientMode(false);
          t.startHandshake();
          // hold the session until the client says goodbye
          t.getInputStream().read();
        }
      }
    } catch (IOException | MalformedPduException e) {
      // a client that goes away early is normal here (version probes, aborted handshakes)
    }
  }

  private static SSLContext selfSigned() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = gen.generateKeyPair();
    X500Name dn = new X500Name("CN=" + NAME + ",O=rdpdoctor selftest");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            dn,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(Duration.ofDays(365))),
            dn,
            kp.getPublic());
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.dNSName, NAME)));
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    char[] pass = "selftest".toCharArray();
    ks.setKeyEntry("rdp", kp.getPrivate(), pass, new X509Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pass);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    return ctx;
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // nothing listens any more either way
    }
    acceptor.interrupt();
  }
}

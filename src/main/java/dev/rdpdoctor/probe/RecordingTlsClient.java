package dev.rdpdoctor.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * A BouncyCastle TLS client that inspects rather than protects: it accepts any certificate and
 * records what the server chose (version, cipher suite, chain) and why it aborted, for the RDP
 * probe and the RD Gateway probe alike.
 */
abstract class RecordingTlsClient extends DefaultTlsClient {
  /**
   * The largest handshake message read (BouncyCastle's default is 32 KiB): a certificate with 2000
   * names or a chain of 60 certificates is 50-80 KiB and legal (RFC 8446 allows 16 MiB). Each
   * connection may buffer this much once.
   */
  static final int MAX_HANDSHAKE_MESSAGE = 256 * 1024;

  /** The most certificates in a chain (BouncyCastle's default is 10). */
  static final int MAX_CHAIN_LENGTH = 100;

  /**
   * How the evidence marks a failure at one of the caps above: legal TLS that this tool declines to
   * read, which by itself proves nothing against the server.
   */
  static final String OWN_LIMIT =
      "rdpdoctor's own limit (legal TLS, not by itself a server" + " fault): ";

  private final String sni;
  volatile ProtocolVersion serverVersion;
  volatile int cipherSuite = -1;
  volatile List<byte[]> chain = List.of();
  volatile String raised;

  /**
   * @param sni the host name to send as SNI, or null (never an IP address)
   */
  RecordingTlsClient(TlsCrypto crypto, String sni) {
    super(crypto);
    this.sni = sni;
  }

  @Override
  protected Vector<ServerName> getSNIServerNames() {
    if (sni == null) {
      return null;
    }
    Vector<ServerName> names = new Vector<>();
    names.add(new ServerName(NameType.host_name, sni.getBytes(StandardCharsets.US_ASCII)));
    return names;
  }

  /** Inspecting, not protecting: a SHA-1 signed self-signed certificate must still be seen. */
  @Override
  public boolean shouldCheckSigAlgOfPeerCerts() {
    return false;
  }

  @Override
  public int getMaxHandshakeMessageSize() {
    return MAX_HANDSHAKE_MESSAGE;
  }

  @Override
  public int getMaxCertificateChainLength() {
    return MAX_CHAIN_LENGTH;
  }

  @Override
  public void notifyServerVersion(ProtocolVersion version) throws IOException {
    super.notifyServerVersion(version);
    serverVersion = version;
  }

  @Override
  public void notifySelectedCipherSuite(int selected) {
    super.notifySelectedCipherSuite(selected);
    cipherSuite = selected;
  }

  @Override
  public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
    if (level == AlertLevel.fatal && description != AlertDescription.close_notify) {
      // BC's own message is generic ("Failed to read record"); the cause says what broke
      raised = cause != null && cause.getMessage() != null ? cause.getMessage() : message;
      if (raised != null
          && (raised.contains("Handshake message length exceeds the maximum")
              || raised.contains("Certificate chain longer than maximum"))) {
        raised = OWN_LIMIT + raised;
      }
    }
  }

  @Override
  public TlsAuthentication getAuthentication() {
    return new TlsAuthentication() {
      @Override
      public void notifyServerCertificate(TlsServerCertificate server) throws IOException {
        Certificate c = server.getCertificate();
        List<byte[]> ders = new ArrayList<>();
        for (int i = 0; i < c.getLength(); i++) {
          ders.add(c.getCertificateAt(i).getEncoded());
        }
        chain = List.copyOf(ders);
      }

      @Override
      public TlsCredentials getClientCredentials(CertificateRequest request) {
        // neither RDP servers nor gateways authenticate users with TLS client certificates
        return null;
      }
    };
  }
}

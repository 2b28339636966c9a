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
  private final String sni;
  volatile ProtocolVersion serverVersion;
  volatile int cipherSuite = -1;
  volatile List<byte[]> chain = List.of();
  volatile String raised;

  /** @param sni the host name to send as SNI, or null (never an IP address) */
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
  public void notifyAlertRaised(short level, short description, String message,
      Throwable cause) {
    if (level == AlertLevel.fatal && description != AlertDescription.close_notify) {
      // BC's own message is generic ("Failed to read record"); the cause says what broke
      raised = cause != null && cause.getMessage() != null ? cause.getMessage() : message;
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

package dev.rdpdoctor.probe;

import java.util.Vector;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsDHGroupVerifier;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;

/** A client that offers broadly, accepts any certificate, and remembers what it saw. */
final class InspectingTlsClient extends RecordingTlsClient {
  /** DH groups outside these bounds are refused: tiny ones prove nothing, huge ones burn CPU. */
  private static final int MIN_DH_BITS = 512;

  private static final int MAX_DH_BITS = 8192;

  /**
   * What we offer: modern first, then what Windows Server 2008 R2 / 2012 ship with (CBC with SHA-1,
   * static RSA, 3DES), so old servers still finish and reveal their certificate. RC4 is left out:
   * BouncyCastle cannot complete it, and a server preferring it would then fail a handshake that
   * AES would have completed.
   */
  private static final int[] OFFERED = {
    CipherSuite.TLS_AES_256_GCM_SHA384,
    CipherSuite.TLS_AES_128_GCM_SHA256,
    CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
    CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
    CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
    CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,
    CipherSuite.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA,
    CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
  };

  private final ProtocolVersion[] versions;
  private final int[] suites;
  private final int[] groups;

  InspectingTlsClient(TlsCrypto crypto, TlsProbe.Offer offer, String sni) {
    super(crypto, sni);
    this.versions = offer.versions();
    this.suites = offer.suites();
    this.groups = offer.groups();
  }

  @Override
  protected ProtocolVersion[] getSupportedVersions() {
    return versions;
  }

  @Override
  protected int[] getSupportedCipherSuites() {
    return suites != null
        ? suites.clone()
        : TlsUtils.getSupportedCipherSuites(getCrypto(), OFFERED);
  }

  @Override
  protected Vector<Integer> getSupportedGroups(@SuppressWarnings("rawtypes") Vector roles) {
    if (groups == null) {
      @SuppressWarnings("unchecked")
      Vector<Integer> dflt = super.getSupportedGroups(roles);
      return dflt;
    }
    Vector<Integer> out = new Vector<>();
    for (int g : groups) {
      out.add(g);
    }
    return out;
  }

  /** One group offered means its key share up front, so no HelloRetryRequest is needed. */
  @Override
  public Vector<Integer> getEarlyKeyShareGroups() {
    if (groups == null || groups.length != 1 || !getCrypto().hasNamedGroup(groups[0])) {
      @SuppressWarnings("unchecked")
      Vector<Integer> dflt = super.getEarlyKeyShareGroups();
      return dflt;
    }
    Vector<Integer> out = new Vector<>();
    out.add(groups[0]);
    return out;
  }

  @Override
  public TlsDHGroupVerifier getDHGroupVerifier() {
    return group -> {
      int bits = group.getP().bitLength();
      return bits >= MIN_DH_BITS && bits <= MAX_DH_BITS;
    };
  }
}

package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.IpLiteral;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

/**
 * Turns the DER bytes of one certificate into {@link CertificateInfo}. Pure: no I/O, no trust
 * decisions; the server's certificate is described, never validated against a trust store.
 *
 * <p>The JDK parses first because its X.509 code is what most Java tooling agrees with. Where it
 * refuses a certificate (odd extension encodings, algorithms it does not know), BouncyCastle's
 * structural parser still yields the names, dates and fingerprint, so a broken RDP certificate is
 * still described rather than lost.
 */
public final class CertificateInspector {
  static final String OID_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String OID_ANY_EKU = "2.5.29.37.0";
  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;
  private static final DefaultAlgorithmNameFinder ALGORITHM_NAMES =
      new DefaultAlgorithmNameFinder();

  private CertificateInspector() {}

  /**
   * What could be learned from one certificate.
   *
   * @param info the facts, or null when the bytes are not a certificate at all
   * @param error why parsing failed or was partial, else null
   */
  public record Inspection(CertificateInfo info, String error) {
    public boolean ok() {
      return error == null;
    }
  }

  /**
   * Describes one certificate.
   *
   * @param typedHost the host the user typed, for the name check; null for CA certificates, which
   *     leaves {@code nameMatches} null
   */
  public static Inspection inspect(byte[] der, String typedHost) {
    if (der == null || der.length == 0) {
      return new Inspection(null, "empty certificate");
    }
    X509Certificate cert;
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      cert = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | RuntimeException e) {
      return fallback(der, typedHost, "the JDK cannot parse the certificate: " + message(e));
    }
    try {
      List<String> problems = new ArrayList<>();
      CertificateInfo info = describe(cert, der, typedHost, problems);
      return new Inspection(info, problems.isEmpty() ? null : String.join("; ", problems));
    } catch (RuntimeException e) {
      return fallback(der, typedHost, "the JDK cannot describe the certificate: " + message(e));
    }
  }

  private static CertificateInfo describe(
      X509Certificate cert, byte[] der, String typedHost, List<String> problems) {
    X500Principal subject = cert.getSubjectX500Principal();
    String subjectName = subject.getName(X500Principal.RFC2253);
    String cn = commonName(X500Name.getInstance(subject.getEncoded()));
    List<String> sans = List.of();
    boolean sansKnown = true;
    try {
      sans = subjectAltNames(cert.getSubjectAlternativeNames());
    } catch (CertificateParsingException e) {
      // the JDK decodes SANs lazily, so one bad entry shows up here, not at parse time
      sansKnown = false;
      problems.add("the subjectAltName extension does not parse: " + message(e));
    }
    Boolean serverAuth = null;
    try {
      serverAuth = serverAuth(cert.getExtendedKeyUsage());
    } catch (CertificateParsingException e) {
      problems.add("the extendedKeyUsage extension does not parse: " + message(e));
    }
    PublicKey key = cert.getPublicKey();
    if ("RSA".equals(key.getAlgorithm()) && keyBits(key) > InspectingCrypto.MAX_CHECKED_RSA_BITS) {
      problems.add(
          keyBits(key)
              + "-bit RSA key: rdpdoctor did not check its modulus for small"
              + " factors or primality (it does above "
              + InspectingCrypto.MAX_CHECKED_RSA_BITS
              + " bits only to bound its own CPU), which says nothing against the server");
    }
    Boolean nameMatches = typedHost == null || !sansKnown ? null : nameMatches(typedHost, cn, sans);
    return new CertificateInfo(
        subjectName,
        cn,
        sans,
        cert.getIssuerX500Principal().getName(X500Principal.RFC2253),
        serialHex(cert.getSerialNumber()),
        cert.getNotBefore().toInstant(),
        cert.getNotAfter().toInstant(),
        key.getAlgorithm(),
        keyBits(key),
        signatureName(cert.getSigAlgName(), cert.getSigAlgOID()),
        serverAuth,
        selfSigned(cert),
        fingerprint(der),
        nameMatches);
  }

  /** BouncyCastle's view when the JDK refused: fewer facts, but never none. */
  private static Inspection fallback(byte[] der, String typedHost, String why) {
    X509CertificateHolder h;
    try {
      h = new X509CertificateHolder(der);
    } catch (Exception e) {
      return new Inspection(null, why + "; not DER X.509 either: " + message(e));
    }
    try {
      String cn = commonName(h.getSubject());
      SubjectPublicKeyInfo spki = h.getSubjectPublicKeyInfo();
      String keyAlg = ALGORITHM_NAMES.getAlgorithmName(spki.getAlgorithm().getAlgorithm());
      CertificateInfo info =
          new CertificateInfo(
              new X500Principal(h.getSubject().getEncoded()).getName(X500Principal.RFC2253),
              cn,
              List.of(),
              new X500Principal(h.getIssuer().getEncoded()).getName(X500Principal.RFC2253),
              serialHex(h.getSerialNumber()),
              h.getNotBefore().toInstant(),
              h.getNotAfter().toInstant(),
              keyAlg,
              0,
              ALGORITHM_NAMES.getAlgorithmName(h.getSignatureAlgorithm()),
              null,
              false,
              fingerprint(der),
              // without trustworthy SANs, a name match cannot be claimed either way
              null);
      return new Inspection(info, why);
    } catch (Exception e) {
      return new Inspection(null, why + "; " + message(e));
    }
  }

  /** The last CN in the subject: the most specific one when several are present. */
  static String commonName(X500Name name) {
    RDN[] rdns = name.getRDNs(BCStyle.CN);
    if (rdns.length == 0) {
      return null;
    }
    return IETFUtils.valueToString(rdns[rdns.length - 1].getFirst().getValue());
  }

  static List<String> subjectAltNames(Collection<List<?>> raw) {
    if (raw == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (List<?> entry : raw) {
      if (entry.size() < 2 || !(entry.get(0) instanceof Integer type)) {
        continue;
      }
      Object value = entry.get(1);
      if (type == SAN_DNS && value instanceof String dns) {
        out.add("DNS:" + dns);
      } else if (type == SAN_IP && value instanceof String ip) {
        out.add("IP:" + canonicalIp(ip));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Does the certificate cover the host the user typed? DNS SANs first (RFC 6125 6.4); the CN only
   * when there is no DNS SAN at all, as browsers and mstsc do; IP literals only against IP SANs,
   * since a CN holding an address is not a reliable claim.
   */
  public static boolean nameMatches(String typedHost, String cn, List<String> sans) {
    String host = normalizeHost(typedHost);
    if (host.isEmpty()) {
      return false;
    }
    InetAddress ip = ipLiteral(host);
    if (ip != null) {
      for (String san : sans) {
        if (san.startsWith("IP:") && ip.equals(ipLiteral(san.substring(3)))) {
          return true;
        }
      }
      return false;
    }
    boolean anyDns = false;
    for (String san : sans) {
      if (san.startsWith("DNS:")) {
        anyDns = true;
        if (dnsMatches(san.substring(4), host)) {
          return true;
        }
      }
    }
    return !anyDns && cn != null && dnsMatches(cn, host);
  }

  /**
   * RFC 6125 6.4.3: a wildcard only as the whole left-most label, standing for exactly one label,
   * and never directly above a public suffix-like single label ("*.com").
   */
  static boolean dnsMatches(String pattern, String host) {
    String p = normalizeHost(pattern);
    if (p.isEmpty()) {
      return false;
    }
    if (!p.contains("*")) {
      return p.equals(host);
    }
    if (!p.startsWith("*.") || p.indexOf('*', 1) >= 0) {
      return false;
    }
    String suffix = p.substring(1);
    if (suffix.indexOf('.', 1) < 0) {
      return false;
    }
    int dot = host.indexOf('.');
    return dot > 0 && host.substring(dot).equals(suffix);
  }

  private static String normalizeHost(String h) {
    String s = h.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** The address for an IP literal, without ever asking DNS; null for a name. */
  static InetAddress ipLiteral(String s) {
    return IpLiteral.parse(s).orElse(null);
  }

  private static String canonicalIp(String ip) {
    InetAddress a = ipLiteral(ip);
    return a == null ? ip : a.getHostAddress();
  }

  static int keyBits(PublicKey key) {
    return switch (key) {
      case RSAPublicKey rsa -> rsa.getModulus().bitLength();
      case ECPublicKey ec -> ec.getParams().getCurve().getField().getFieldSize();
      case DSAPublicKey dsa -> dsa.getParams() == null ? 0 : dsa.getParams().getP().bitLength();
      default -> edwardsBits(key);
    };
  }

  /** Ed25519 / Ed448 by their encoded point length; 0 when the key type is unknown. */
  private static int edwardsBits(PublicKey key) {
    try {
      byte[] point =
          SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
      return point.length * 8;
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static String signatureName(String jdkName, String oid) {
    if (jdkName != null && !jdkName.equals(oid) && !jdkName.startsWith("OID.")) {
      return jdkName;
    }
    // the JDK answers with the bare OID for algorithms it has no name for
    return ALGORITHM_NAMES.getAlgorithmName(new ASN1ObjectIdentifier(oid));
  }

  /**
   * anyExtendedKeyUsage also permits server authentication, so it counts as true; an EKU extension
   * without either forbids it.
   */
  static Boolean serverAuth(List<String> eku) {
    if (eku == null) {
      return null;
    }
    return eku.contains(OID_SERVER_AUTH) || eku.contains(OID_ANY_EKU);
  }

  /** Same name as its issuer and signed by its own key: nobody vouches for it. */
  static boolean selfSigned(X509Certificate cert) {
    if (!cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
      return false;
    }
    try {
      cert.verify(cert.getPublicKey());
      return true;
    } catch (NoSuchAlgorithmException e) {
      // cannot check the signature; same names is the strongest statement left
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  static String serialHex(BigInteger serial) {
    String hex = serial.toString(16).toUpperCase(Locale.ROOT);
    return hex.length() % 2 == 1 ? "0" + hex : hex;
  }

  static String fingerprint(byte[] der) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(der);
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}

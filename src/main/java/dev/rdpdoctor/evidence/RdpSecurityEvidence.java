package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * Standard RDP Security as the server offers it (MCS Connect Initial / Connect Response,
 * [MS-RDPBCGR] 2.2.1.3-2.2.1.4): one connection per encryption method, in the spirit of nmap's
 * rdp-enum-encryption and rdp-sec-check. The facts come from the first accepted answer.
 *
 * @param methods one row per method offered alone
 * @param encryptionLevel the server's encryptionLevel (0 none .. 4 FIPS)
 * @param serverVersion SC_CORE version as hex ("0x00080004")
 * @param serverVersionName what that version means ("RDP 5.0-8.1")
 * @param multitransportFlags SC_MULTITRANSPORT flags, null when the server sent none
 * @param offersUdp whether the server offers an RDP-UDP transport (from multitransport)
 */
public record RdpSecurityEvidence(
    String address,
    Status status,
    List<Method> methods,
    Integer encryptionLevel,
    String encryptionLevelName,
    String serverVersion,
    String serverVersionName,
    String clientRequestedProtocols,
    Integer earlyCapabilityFlags,
    Certificate certificate,
    Integer multitransportFlags,
    List<String> multitransportNames,
    Boolean offersUdp,
    String detail,
    long millis)
    implements EvidenceSection {
  public static final String KEY = "rdp_security";

  @Override
  public String key() {
    return KEY;
  }

  public enum Status {
    /** At least one method got a Connect Response. */
    OK,
    /** Every Connect Initial was refused or dropped. */
    REFUSED,
    /** Something did not parse or did not arrive. */
    ERROR
  }

  /**
   * One Connect Initial offering one method.
   *
   * @param accepted the server chose exactly this method
   * @param selectedMethod the server's encryptionMethod, when it answered
   * @param outcome accepted | other-method | refused | closed | timeout | malformed | ...
   */
  public record Method(
      String name,
      int value,
      boolean accepted,
      Integer selectedMethod,
      Integer encryptionLevel,
      String outcome,
      String detail,
      long millis) {}

  /**
   * The server's certificate in SC_SECURITY.
   *
   * @param kind proprietary | x509
   * @param modulusBits RSA key size (proprietary)
   * @param exponent RSA public exponent (proprietary)
   * @param x509Count certificates in the X.509 chain
   * @param signatureValid whether the proprietary certificate carries the Terminal Services
   *     signature ([MS-RDPBCGR] 5.3.3.1); null for an X.509 chain, which this does not judge
   * @param signatureDetail why the signature does not verify, or "verified"; null with it
   */
  public record Certificate(
      String kind,
      boolean temporary,
      Integer modulusBits,
      Long exponent,
      Integer x509Count,
      Boolean signatureValid,
      String signatureDetail) {}

  public boolean accepted(int method) {
    return methods.stream().anyMatch(m -> m.value() == method && m.accepted());
  }
}

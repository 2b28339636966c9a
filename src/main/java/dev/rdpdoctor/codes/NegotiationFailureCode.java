package dev.rdpdoctor.codes;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * failureCode of an RDP_NEG_FAILURE ([MS-RDPBCGR] 2.2.1.2.2). An open enum: any u32 decodes, and
 * values outside the specification come back as {@code UNKNOWN(0x…)} instead of throwing.
 */
public final class NegotiationFailureCode {
  public static final NegotiationFailureCode SSL_REQUIRED_BY_SERVER =
      new NegotiationFailureCode(
          1,
          "SSL_REQUIRED_BY_SERVER",
          "the server requires TLS (Enhanced RDP Security) or CredSSP",
          CauseId.TLS_REQUIRED);
  public static final NegotiationFailureCode SSL_NOT_ALLOWED_BY_SERVER =
      new NegotiationFailureCode(
          2,
          "SSL_NOT_ALLOWED_BY_SERVER",
          "the server only allows Standard RDP Security (its security layer is set to RDP)",
          CauseId.STANDARD_SECURITY_ONLY);
  public static final NegotiationFailureCode SSL_CERT_NOT_ON_SERVER =
      new NegotiationFailureCode(
          3,
          "SSL_CERT_NOT_ON_SERVER",
          "the server has no usable TLS certificate",
          CauseId.TLS_CERTIFICATE_MISSING);
  public static final NegotiationFailureCode INCONSISTENT_FLAGS =
      new NegotiationFailureCode(
          4,
          "INCONSISTENT_FLAGS",
          "the requested protocols contradict each other or the protocol already in use",
          null);
  public static final NegotiationFailureCode HYBRID_REQUIRED_BY_SERVER =
      new NegotiationFailureCode(
          5,
          "HYBRID_REQUIRED_BY_SERVER",
          "the server requires Network Level Authentication (CredSSP)",
          CauseId.NLA_REQUIRED);
  public static final NegotiationFailureCode SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER =
      new NegotiationFailureCode(
          6,
          "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER",
          "the server requires TLS together with user authentication",
          CauseId.TLS_REQUIRED);

  private static final Map<Integer, NegotiationFailureCode> KNOWN =
      Map.of(
          1,
          SSL_REQUIRED_BY_SERVER,
          2,
          SSL_NOT_ALLOWED_BY_SERVER,
          3,
          SSL_CERT_NOT_ON_SERVER,
          4,
          INCONSISTENT_FLAGS,
          5,
          HYBRID_REQUIRED_BY_SERVER,
          6,
          SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER);

  private final int code;
  private final String name;
  private final String description;
  private final CauseId cause;

  private NegotiationFailureCode(int code, String name, String description, CauseId cause) {
    this.code = code;
    this.name = name;
    this.description = description;
    this.cause = cause;
  }

  public static NegotiationFailureCode valueOf(int code) {
    NegotiationFailureCode known = KNOWN.get(code);
    return known != null
        ? known
        : new NegotiationFailureCode(
            code,
            String.format("UNKNOWN(0x%x)", code & 0xFFFFFFFFL),
            "a failure code the specification does not define",
            null);
  }

  public static java.util.Collection<NegotiationFailureCode> known() {
    return KNOWN.values();
  }

  public int code() {
    return code;
  }

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  /**
   * The catalogue cause this refusal means for a client that made the refused offer: the one
   * mapping from failure code to cause. Empty for INCONSISTENT_FLAGS (a client bug, not a server
   * setting) and for codes the specification does not define.
   */
  public Optional<CauseId> cause() {
    return Optional.ofNullable(cause);
  }

  public boolean isKnown() {
    return KNOWN.containsKey(code);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NegotiationFailureCode other && other.code == code;
  }

  @Override
  public int hashCode() {
    return Objects.hash(code);
  }

  @Override
  public String toString() {
    return name;
  }
}

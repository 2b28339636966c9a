package dev.rdpdoctor.codes;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every cause id of the catalogue ({@code kb/causes.json}) as a constant, so a rule that names a
 * cause that does not exist fails to compile instead of at run time. A test checks this list and
 * the catalogue are the same set. Ids are a contract: add freely, never rename. It lives with the
 * code tables, the lowest layer, so they can name causes and the knowledge base above them can too,
 * with no cycle between the two packages.
 */
public enum CauseId {
  DNS_UNRESOLVABLE("dns-unresolvable"),
  DNS_WRONG_ADDRESS("dns-wrong-address"),
  HOST_UNREACHABLE("host-unreachable"),
  PORT_CLOSED("port-closed"),
  PORT_FILTERED("port-filtered"),
  NOT_RDP_SERVICE("not-rdp-service"),
  SERVER_UNRESPONSIVE("server-unresponsive"),
  SERVER_CLOSED_CONNECTION("server-closed-connection"),
  PMTU_BLACKHOLE("pmtu-blackhole"),
  PACKET_LOSS("packet-loss"),
  HIGH_LATENCY("high-latency"),
  UDP_BLOCKED("udp-blocked"),
  CONNECTION_LIMIT("connection-limit"),
  NLA_REQUIRED("nla-required"),
  TLS_REQUIRED("tls-required"),
  STANDARD_SECURITY_ONLY("standard-security-only"),
  TLS_CERTIFICATE_MISSING("tls-certificate-missing"),
  TLS_HANDSHAKE_FAILED("tls-handshake-failed"),
  TLS_LEGACY_ONLY("tls-legacy-only"),
  TLS_NO_SHARED_CIPHER("tls-no-shared-cipher"),
  CREDSSP_UNPATCHED_SERVER("credssp-unpatched-server"),
  CERT_EXPIRED("cert-expired"),
  CERT_NOT_YET_VALID("cert-not-yet-valid"),
  CERT_EXPIRING_SOON("cert-expiring-soon"),
  CERT_NAME_MISMATCH("cert-name-mismatch"),
  CERT_WEAK("cert-weak"),
  CERT_SELF_SIGNED("cert-self-signed"),
  TLS_INTERCEPTION("tls-interception"),
  LOGON_FAILED("logon-failed"),
  ACCOUNT_LOCKED("account-locked"),
  ACCOUNT_DISABLED("account-disabled"),
  ACCOUNT_EXPIRED("account-expired"),
  PASSWORD_EXPIRED("password-expired"),
  PASSWORD_MUST_CHANGE("password-must-change"),
  LOGON_RIGHT_MISSING("logon-right-missing"),
  ACCOUNT_RESTRICTION("account-restriction"),
  NO_LOGON_AUTHORITY("no-logon-authority"),
  CLOCK_SKEW("clock-skew"),
  SERVER_DENIED_CONNECTION("server-denied-connection"),
  SERVER_INSUFFICIENT_PRIVILEGES("server-insufficient-privileges"),
  LICENSING_FAILED("licensing-failed"),
  BROKER_REDIRECT_FAILED("broker-redirect-failed"),
  SESSION_REDIRECTED("session-redirected"),
  SESSION_REPLACED("session-replaced"),
  GATEWAY_UNREACHABLE("gateway-unreachable"),
  GATEWAY_TLS_FAILED("gateway-tls-failed"),
  GATEWAY_NOT_RD_GATEWAY("gateway-not-rd-gateway"),
  GATEWAY_AUTH_FAILED("gateway-auth-failed"),
  GATEWAY_FORBIDDEN("gateway-forbidden"),
  GATEWAY_ERROR("gateway-error"),
  GATEWAY_UDP_BLOCKED("gateway-udp-blocked"),
  RDP_FILE_MISCONFIGURED("rdp-file-misconfigured"),
  CLIENT_UDP_ENABLED_ON_BAD_PATH("client-udp-enabled-on-bad-path"),
  STALE_SAVED_CREDENTIALS("stale-saved-credentials"),
  HEALTHY("healthy"),
  INCONCLUSIVE("inconclusive"),
  NLA_LOGON_ACCEPTED("nla-logon-accepted"),
  NLA_NOT_MANDATED("nla-not-mandated"),
  TLS_NOT_MANDATED("tls-not-mandated"),
  RDP_WEAK_ENCRYPTION("rdp-weak-encryption"),
  RDP_NO_ENCRYPTION("rdp-no-encryption"),
  FIPS_NOT_MANDATED("fips-not-mandated"),
  RDP_CERT_SIGNATURE_INVALID("rdp-cert-signature-invalid"),
  TLS_WEAK_CIPHERS("tls-weak-ciphers"),
  SERVER_PROTOCOL_ERROR("server-protocol-error"),
  UNREQUESTED_PROTOCOL("unrequested-protocol"),
  CREDSSP_REFUSED("credssp-refused"),
  RDP_SERVICE_STOPPED("rdp-service-stopped"),
  CERT_UNTRUSTED("cert-untrusted"),
  SESSION_HOST_UNAVAILABLE("session-host-unavailable"),
  AVD_BROKER_UNCHECKED("avd-broker-unchecked");

  private static final Map<String, CauseId> BY_ID =
      Stream.of(values()).collect(Collectors.toUnmodifiableMap(CauseId::id, Function.identity()));

  private final String id;

  CauseId(String id) {
    this.id = id;
  }

  /** The stable kebab-case id, as JSON carries it in {@code findings[].cause}. */
  public String id() {
    return id;
  }

  /** The constant for an id read from data (a code table, a trace), if there is one. */
  public static Optional<CauseId> find(String id) {
    return Optional.ofNullable(BY_ID.get(id));
  }

  /** The constant for an id that must exist; an unknown id is a programming error. */
  public static CauseId of(String id) {
    CauseId c = BY_ID.get(id);
    if (c == null) {
      throw new IllegalArgumentException("no cause " + id + " in the catalogue");
    }
    return c;
  }

  /** Whether a finding's cause (a string in the report's contract) is this one. */
  public boolean is(String cause) {
    return id.equals(cause);
  }

  @Override
  public String toString() {
    return id;
  }
}

package dev.rdpdoctor.evidence;

import java.time.Instant;

/**
 * What CredSSP (NLA) showed: the server's TSRequest version, the identity and clock in its NTLM
 * CHALLENGE (the facts of nmap's rdp-ntlm-info), and, when credentials were given, how the server
 * answered the logon. Never holds a secret: the account name only.
 *
 * @param credsspVersion the version in the server's first TSRequest
 * @param errorCode the NTSTATUS a server put in a TSRequest errorCode (v3+), as a 32-bit pattern
 */
public record NlaEvidence(
    String address,
    String selected,
    Status status,
    String tlsVersion,
    Integer credsspVersion,
    NtlmInfo ntlm,
    Logon logon,
    Integer errorCode,
    String errorName,
    String detail,
    long millis)
    implements EvidenceSection {

  public static final String KEY = "nla";

  @Override
  public String key() {
    return KEY;
  }

  /** How far the exchange got. */
  public enum Status {
    /** The CHALLENGE arrived and was read. */
    OK,
    /** The server did not select CredSSP for SSL|HYBRID|HYBRID_EX. */
    NOT_NEGOTIATED,
    TLS_FAILED,
    /** The server answered NEGOTIATE with a TSRequest errorCode. */
    REFUSED,
    CLOSED,
    TIMEOUT,
    MALFORMED,
    ERROR
  }

  /**
   * The server's NTLM identity.
   *
   * @param systemTime the server's clock (MsvAvTimestamp)
   * @param localTime this machine's clock when the CHALLENGE arrived
   * @param skewSeconds systemTime minus localTime
   */
  public record NtlmInfo(
      String targetName,
      String netbiosComputerName,
      String netbiosDomainName,
      String dnsComputerName,
      String dnsDomainName,
      String dnsTreeName,
      String productVersion,
      Integer ntlmRevision,
      Instant systemTime,
      Instant localTime,
      Long skewSeconds,
      String negotiateFlags) {}

  /** The outcome of the logon test. */
  public enum Outcome {
    /** The server proved its key back: NTLM accepted the account and password. */
    ACCEPTED,
    /** The server said no with an NTSTATUS (TSRequest errorCode) or Early User Authorization. */
    REJECTED,
    /** The server closed or reset the connection after our AUTHENTICATE, saying nothing. */
    CLOSED,
    /** NTLM accepted, but the server's key proof is for another key than the TLS one we saw. */
    KEY_MISMATCH,
    /** Something else: timeout, malformed answer. */
    ERROR
  }

  /**
   * @param ntStatus the server's errorCode, or null
   * @param earlyAuthorization HYBRID_EX's Early User Authorization Result, or null
   */
  public record Logon(
      String account,
      Outcome outcome,
      Integer ntStatus,
      String ntStatusName,
      Integer earlyAuthorization,
      String detail,
      long millis) {}
}

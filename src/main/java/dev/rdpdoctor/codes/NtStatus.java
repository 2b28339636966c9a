package dev.rdpdoctor.codes;

import java.util.Collection;

/**
 * NTSTATUS values that explain a failed logon. They appear as Status/SubStatus in Security events
 * 4625 and 4776, and as the errorCode of a CredSSP TSRequest (a signed ASN.1 INTEGER, so 0xC000006D
 * may arrive as -1073741715; both are the same 32-bit pattern here).
 */
public final class NtStatus extends OpenCode {
  private static final Catalogue<NtStatus> KNOWN = new Catalogue<>("NTSTATUS");

  public static final NtStatus MORE_PROCESSING_REQUIRED =
      def(
          0xC0000016,
          "MORE_PROCESSING_REQUIRED",
          "not an error: the authentication handshake continues");
  public static final NtStatus ACCESS_DENIED =
      def(0xC0000022, "ACCESS_DENIED", "access was denied", CauseId.LOGON_RIGHT_MISSING.id());
  public static final NtStatus NO_LOGON_SERVERS =
      def(
          0xC000005E,
          "NO_LOGON_SERVERS",
          "no domain controller was available to check the logon",
          CauseId.NO_LOGON_AUTHORITY.id());
  public static final NtStatus NO_SUCH_USER =
      def(0xC0000064, "NO_SUCH_USER", "the user name does not exist", CauseId.LOGON_FAILED.id());
  public static final NtStatus WRONG_PASSWORD =
      def(
          0xC000006A,
          "WRONG_PASSWORD",
          "the password is wrong",
          CauseId.LOGON_FAILED.id(),
          CauseId.STALE_SAVED_CREDENTIALS.id());
  public static final NtStatus PASSWORD_RESTRICTION =
      def(
          0xC000006C,
          "PASSWORD_RESTRICTION",
          "the password does not meet the password policy",
          CauseId.ACCOUNT_RESTRICTION.id());
  public static final NtStatus LOGON_FAILURE =
      def(
          0xC000006D,
          "LOGON_FAILURE",
          "the user name or password is wrong",
          CauseId.LOGON_FAILED.id(),
          CauseId.STALE_SAVED_CREDENTIALS.id());
  public static final NtStatus ACCOUNT_RESTRICTION =
      def(
          0xC000006E,
          "ACCOUNT_RESTRICTION",
          "an account restriction blocks this logon (for example a blank password)",
          CauseId.ACCOUNT_RESTRICTION.id());
  public static final NtStatus INVALID_LOGON_HOURS =
      def(
          0xC000006F,
          "INVALID_LOGON_HOURS",
          "the account may not log on at this time of day",
          CauseId.ACCOUNT_RESTRICTION.id());
  public static final NtStatus INVALID_WORKSTATION =
      def(
          0xC0000070,
          "INVALID_WORKSTATION",
          "the account may not log on from this computer",
          CauseId.ACCOUNT_RESTRICTION.id());
  public static final NtStatus PASSWORD_EXPIRED =
      def(
          0xC0000071,
          "PASSWORD_EXPIRED",
          "the password has expired",
          CauseId.PASSWORD_EXPIRED.id());
  public static final NtStatus ACCOUNT_DISABLED =
      def(
          0xC0000072,
          "ACCOUNT_DISABLED",
          "the user account is disabled",
          CauseId.ACCOUNT_DISABLED.id());
  public static final NtStatus TIME_DIFFERENCE_AT_DC =
      def(
          0xC0000133,
          "TIME_DIFFERENCE_AT_DC",
          "the clocks of this computer and the domain controller differ too much",
          CauseId.CLOCK_SKEW.id());
  public static final NtStatus LOGON_TYPE_NOT_GRANTED =
      def(
          0xC000015B,
          "LOGON_TYPE_NOT_GRANTED",
          "the user lacks the right to log on this way (\"Allow log on through Remote Desktop "
              + "Services\" or network logon)",
          CauseId.LOGON_RIGHT_MISSING.id());
  public static final NtStatus NO_TRUST_SAM_ACCOUNT =
      def(
          0xC000018B,
          "NO_TRUST_SAM_ACCOUNT",
          "the server's computer account is missing in the domain (broken domain trust)",
          CauseId.NO_LOGON_AUTHORITY.id());
  public static final NtStatus TRUSTED_RELATIONSHIP_FAILURE =
      def(
          0xC000018D,
          "TRUSTED_RELATIONSHIP_FAILURE",
          "the trust between the server and its domain is broken",
          CauseId.NO_LOGON_AUTHORITY.id());
  public static final NtStatus NETLOGON_NOT_STARTED =
      def(
          0xC0000192,
          "NETLOGON_NOT_STARTED",
          "the Netlogon service is not running",
          CauseId.NO_LOGON_AUTHORITY.id());
  public static final NtStatus ACCOUNT_EXPIRED =
      def(
          0xC0000193,
          "ACCOUNT_EXPIRED",
          "the user account has expired",
          CauseId.ACCOUNT_EXPIRED.id());
  public static final NtStatus PASSWORD_MUST_CHANGE =
      def(
          0xC0000224,
          "PASSWORD_MUST_CHANGE",
          "the password must be changed before the first logon",
          CauseId.PASSWORD_MUST_CHANGE.id());
  public static final NtStatus ACCOUNT_LOCKED_OUT =
      def(
          0xC0000234,
          "ACCOUNT_LOCKED_OUT",
          "the account is locked out after too many failed attempts",
          CauseId.ACCOUNT_LOCKED.id());
  public static final NtStatus SMARTCARD_LOGON_REQUIRED =
      def(
          0xC00002FA,
          "SMARTCARD_LOGON_REQUIRED",
          "this account must log on with a smart card",
          CauseId.ACCOUNT_RESTRICTION.id());
  public static final NtStatus PKINIT_FAILURE =
      def(
          0xC0000320,
          "PKINIT_FAILURE",
          "the smart card or certificate logon failed in Kerberos",
          CauseId.NO_LOGON_AUTHORITY.id(),
          CauseId.CERT_EXPIRED.id());
  public static final NtStatus DOWNGRADE_DETECTED =
      def(
          0xC0000388,
          "DOWNGRADE_DETECTED",
          "the domain controller detected an authentication downgrade and refused",
          CauseId.NO_LOGON_AUTHORITY.id());
  public static final NtStatus AUTHENTICATION_FIREWALL_FAILED =
      def(
          0xC0000413,
          "AUTHENTICATION_FIREWALL_FAILED",
          "a selective-authentication trust does not allow this user to reach the server",
          CauseId.LOGON_RIGHT_MISSING.id());

  private NtStatus(Entry e) {
    super(e);
  }

  private static NtStatus def(int code, String name, String description, String... causes) {
    return KNOWN.add(new NtStatus(Entry.named(code, name, "STATUS_" + name, description, causes)));
  }

  /** Never throws: an unlisted value decodes to {@code UNKNOWN(0x…)} with its severity. */
  public static NtStatus valueOf(int code) {
    return KNOWN.get(
        code,
        c ->
            new NtStatus(
                Entry.unnamed(
                    c, "an NTSTATUS value rdpdoctor has no name for (" + severity(c) + ")")));
  }

  public static Collection<NtStatus> known() {
    return KNOWN.all();
  }

  /** The two top bits of an NTSTATUS: success, informational, warning or error. */
  static String severity(int code) {
    return switch (code >>> 30) {
      case 0 -> "success";
      case 1 -> "informational";
      case 2 -> "warning";
      default -> "error";
    };
  }
}

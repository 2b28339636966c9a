package dev.rdpdoctor.codes;

import java.util.Collection;

/**
 * FreeRDP's connection errors (ERRCONNECT_*, include/freerdp/error.h), and the combined "last
 * error" FreeRDP prints: {@code (class << 16) | type}, class 1 = ERRINFO (the server's Set Error
 * Info value), class 2 = CONNECT (this table). 0x0002000D is CONNECT_TRANSPORT_FAILED and
 * 0x00010007 is the server's SERVER_DENIED_CONNECTION.
 */
public final class ErrConnect extends OpenCode {
  public static final int CLASS_BASE = 0;
  public static final int CLASS_ERRINFO = 1;
  public static final int CLASS_CONNECT = 2;

  private static final Catalogue<ErrConnect> KNOWN = new Catalogue<>("ERRCONNECT");
  private static final String[] LOGON = {
    CauseId.LOGON_FAILED.id(), CauseId.STALE_SAVED_CREDENTIALS.id()
  };

  public static final ErrConnect PRE_CONNECT_FAILED =
      def(
          0x01,
          "PRE_CONNECT_FAILED",
          "the client failed before connecting (check its settings)",
          CauseId.RDP_FILE_MISCONFIGURED.id());
  public static final ErrConnect CONNECT_UNDEFINED =
      def(0x02, "CONNECT_UNDEFINED", "the connection failed for an unrecorded reason");
  public static final ErrConnect POST_CONNECT_FAILED =
      def(0x03, "POST_CONNECT_FAILED", "the client failed right after connecting");
  public static final ErrConnect DNS_ERROR =
      def(0x04, "DNS_ERROR", "the DNS lookup for the server failed", CauseId.DNS_UNRESOLVABLE.id());
  public static final ErrConnect DNS_NAME_NOT_FOUND =
      def(
          0x05,
          "DNS_NAME_NOT_FOUND",
          "the server name does not exist in DNS",
          CauseId.DNS_UNRESOLVABLE.id());
  public static final ErrConnect CONNECT_FAILED =
      def(
          0x06,
          "CONNECT_FAILED",
          "the TCP connection to the server could not be opened",
          CauseId.PORT_CLOSED.id(),
          CauseId.PORT_FILTERED.id(),
          CauseId.HOST_UNREACHABLE.id(),
          CauseId.DNS_WRONG_ADDRESS.id());
  public static final ErrConnect MCS_CONNECT_INITIAL_ERROR =
      def(
          0x07,
          "MCS_CONNECT_INITIAL_ERROR",
          "the server broke off while the session settings were exchanged",
          CauseId.SERVER_CLOSED_CONNECTION.id(),
          CauseId.NOT_RDP_SERVICE.id());
  public static final ErrConnect TLS_CONNECT_FAILED =
      def(
          0x08,
          "TLS_CONNECT_FAILED",
          "the TLS handshake with the server failed",
          CauseId.TLS_HANDSHAKE_FAILED.id(),
          CauseId.TLS_LEGACY_ONLY.id(),
          CauseId.TLS_NO_SHARED_CIPHER.id(),
          CauseId.TLS_INTERCEPTION.id());
  public static final ErrConnect AUTHENTICATION_FAILED =
      def(0x09, "AUTHENTICATION_FAILED", "authentication (NLA) failed", LOGON);
  public static final ErrConnect INSUFFICIENT_PRIVILEGES =
      def(
          0x0A,
          "INSUFFICIENT_PRIVILEGES",
          "the user is not allowed to connect to this server",
          CauseId.SERVER_INSUFFICIENT_PRIVILEGES.id(),
          CauseId.LOGON_RIGHT_MISSING.id());
  public static final ErrConnect CONNECT_CANCELLED =
      def(0x0B, "CONNECT_CANCELLED", "the connection was cancelled (by the user)");
  public static final ErrConnect SECURITY_NEGO_CONNECT_FAILED =
      def(
          0x0C,
          "SECURITY_NEGO_CONNECT_FAILED",
          "client and server could not agree on a security protocol (RDP, TLS or NLA)",
          CauseId.NLA_REQUIRED.id(),
          CauseId.TLS_REQUIRED.id(),
          CauseId.STANDARD_SECURITY_ONLY.id());
  public static final ErrConnect CONNECT_TRANSPORT_FAILED =
      def(
          0x0D,
          "CONNECT_TRANSPORT_FAILED",
          "the connection to the server was lost",
          CauseId.SERVER_CLOSED_CONNECTION.id(),
          CauseId.PACKET_LOSS.id(),
          CauseId.PMTU_BLACKHOLE.id());
  public static final ErrConnect PASSWORD_EXPIRED =
      def(0x0E, "PASSWORD_EXPIRED", "the password has expired", CauseId.PASSWORD_EXPIRED.id());
  public static final ErrConnect PASSWORD_CERTAINLY_EXPIRED =
      def(
          0x0F,
          "PASSWORD_CERTAINLY_EXPIRED",
          "the password has expired (reported without a domain controller to confirm it)",
          CauseId.PASSWORD_EXPIRED.id());
  public static final ErrConnect CLIENT_REVOKED =
      def(
          0x10,
          "CLIENT_REVOKED",
          "the account was refused by Kerberos (disabled, locked or expired)",
          CauseId.ACCOUNT_DISABLED.id(),
          CauseId.ACCOUNT_LOCKED.id(),
          CauseId.ACCOUNT_EXPIRED.id());
  public static final ErrConnect KDC_UNREACHABLE =
      def(
          0x11,
          "KDC_UNREACHABLE",
          "no Kerberos domain controller could be reached",
          CauseId.NO_LOGON_AUTHORITY.id());
  public static final ErrConnect ACCOUNT_DISABLED =
      def(0x12, "ACCOUNT_DISABLED", "the user account is disabled", CauseId.ACCOUNT_DISABLED.id());
  public static final ErrConnect PASSWORD_MUST_CHANGE =
      def(
          0x13,
          "PASSWORD_MUST_CHANGE",
          "the password must be changed before logging on",
          CauseId.PASSWORD_MUST_CHANGE.id());
  public static final ErrConnect LOGON_FAILURE =
      def(0x14, "LOGON_FAILURE", "the user name or password is wrong", LOGON);
  public static final ErrConnect WRONG_PASSWORD =
      def(0x15, "WRONG_PASSWORD", "the password is wrong", LOGON);
  public static final ErrConnect ACCESS_DENIED =
      def(
          0x16,
          "ACCESS_DENIED",
          "access was denied (by the server or an RD Gateway)",
          CauseId.LOGON_RIGHT_MISSING.id(),
          CauseId.GATEWAY_AUTH_FAILED.id());
  public static final ErrConnect ACCOUNT_RESTRICTION =
      def(
          0x17,
          "ACCOUNT_RESTRICTION",
          "an account restriction blocks this logon",
          CauseId.ACCOUNT_RESTRICTION.id());
  public static final ErrConnect ACCOUNT_LOCKED_OUT =
      def(
          0x18,
          "ACCOUNT_LOCKED_OUT",
          "the user account is locked out",
          CauseId.ACCOUNT_LOCKED.id());
  public static final ErrConnect ACCOUNT_EXPIRED =
      def(0x19, "ACCOUNT_EXPIRED", "the user account has expired", CauseId.ACCOUNT_EXPIRED.id());
  public static final ErrConnect LOGON_TYPE_NOT_GRANTED =
      def(
          0x1A,
          "LOGON_TYPE_NOT_GRANTED",
          "the user lacks the right to log on remotely",
          CauseId.LOGON_RIGHT_MISSING.id());
  public static final ErrConnect NO_OR_MISSING_CREDENTIALS =
      def(0x1B, "NO_OR_MISSING_CREDENTIALS", "no credentials were given, or some were missing");
  public static final ErrConnect ACTIVATION_TIMEOUT =
      def(
          0x1C,
          "ACTIVATION_TIMEOUT",
          "the session took too long to become ready",
          CauseId.HIGH_LATENCY.id(),
          CauseId.PACKET_LOSS.id());
  public static final ErrConnect TARGET_BOOTING =
      def(
          0x1D,
          "TARGET_BOOTING",
          "the target machine is still starting up; try again shortly",
          CauseId.BROKER_REDIRECT_FAILED.id());
  public static final ErrConnect HYBRID_REQUIRED_BY_SERVER =
      def(
          0x1E,
          "HYBRID_REQUIRED_BY_SERVER",
          "the server requires Network Level Authentication and the client did not offer it",
          CauseId.NLA_REQUIRED.id());

  private ErrConnect(Entry e) {
    super(e);
  }

  private static ErrConnect def(int code, String name, String description, String... causes) {
    return KNOWN.add(
        new ErrConnect(Entry.named(code, name, "ERRCONNECT_" + name, description, causes)));
  }

  /** Never throws: an undefined value decodes to {@code UNKNOWN(0x…)}. */
  public static ErrConnect valueOf(int code) {
    return KNOWN.get(
        code,
        c ->
            new ErrConnect(
                Entry.unnamed(c, "a FreeRDP connection error rdpdoctor has no name for")));
  }

  public static Collection<ErrConnect> known() {
    return KNOWN.all();
  }

  /**
   * A FreeRDP combined error split into its class and type, with the meaning of the type in that
   * class. {@code detail} is null for classes rdpdoctor does not decode.
   */
  public record Combined(int value, int errorClass, int type, String className, OpenCode detail) {
    public boolean isKnown() {
      return detail != null && detail.isKnown();
    }

    /** The FreeRDP-style symbol, e.g. {@code FREERDP_ERROR_SERVER_DENIED_CONNECTION}. */
    public String symbol() {
      return detail == null ? unknownName(value) : "FREERDP_ERROR_" + detail.name();
    }
  }

  /** Splits {@code (class << 16) | type}; never throws. */
  public static Combined decodeCombined(int value) {
    int errorClass = value >>> 16;
    int type = value & 0xFFFF;
    return switch (errorClass) {
      case CLASS_ERRINFO ->
          new Combined(value, errorClass, type, "ERRINFO", ErrorInfo.valueOf(type));
      case CLASS_CONNECT -> new Combined(value, errorClass, type, "CONNECT", valueOf(type));
      case CLASS_BASE -> new Combined(value, errorClass, type, "ERRBASE", null);
      default -> new Combined(value, errorClass, type, "class " + errorClass, null);
    };
  }

  /** True when the value looks like a combined code rather than a bare ERRCONNECT type. */
  public static boolean isCombined(int value) {
    int errorClass = value >>> 16;
    return errorClass == CLASS_ERRINFO || errorClass == CLASS_CONNECT;
  }
}

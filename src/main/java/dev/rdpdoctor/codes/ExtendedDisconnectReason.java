package dev.rdpdoctor.codes;

import java.util.Collection;

/**
 * The client's extended disconnect reason (IMsRdpClient::ExtendedDisconnectReason, mstsc's
 * "Extended error code: 0x…"). Names drop the {@code exDiscReason} prefix.
 *
 * <p>It carries the errorInfo of the server's Set Error Info PDU: the numbering schemes agree where
 * both define a value, and 4096–32767 (ProtocolRangeStart..End) is the server's ERRINFO passed
 * through, so those values are decoded through {@link ErrorInfo}.
 */
public final class ExtendedDisconnectReason extends OpenCode {
  public static final int PROTOCOL_RANGE_START = 4096;
  public static final int PROTOCOL_RANGE_END = 32767;

  private static final Catalogue<ExtendedDisconnectReason> KNOWN = new Catalogue<>("exDiscReason");
  private static final String LICENSING = CauseId.LICENSING_FAILED.id();

  public static final ExtendedDisconnectReason NO_INFO =
      def(0, "NoInfo", "no extended information");
  public static final ExtendedDisconnectReason API_INITIATED_DISCONNECT =
      def(
          1,
          "APIInitiatedDisconnect",
          "an application or administrator tool disconnected the session");
  public static final ExtendedDisconnectReason API_INITIATED_LOGOFF =
      def(2, "APIInitiatedLogoff", "an application or administrator tool logged the user off");
  public static final ExtendedDisconnectReason SERVER_IDLE_TIMEOUT =
      def(3, "ServerIdleTimeout", "the session was idle longer than the server allows");
  public static final ExtendedDisconnectReason SERVER_LOGON_TIMEOUT =
      def(4, "ServerLogonTimeout", "the session or logon reached the server's time limit");
  public static final ExtendedDisconnectReason REPLACED_BY_OTHER_CONNECTION =
      def(
          5,
          "ReplacedByOtherConnection",
          "another connection took over this session",
          CauseId.SESSION_REPLACED.id());
  public static final ExtendedDisconnectReason OUT_OF_MEMORY =
      def(6, "OutOfMemory", "the server ran out of memory");
  public static final ExtendedDisconnectReason SERVER_DENIED_CONNECTION =
      def(
          7,
          "ServerDeniedConnection",
          "the server is refusing connections (for example logons disabled or drain mode)",
          CauseId.SERVER_DENIED_CONNECTION.id());
  public static final ExtendedDisconnectReason SERVER_DENIED_CONNECTION_FIPS =
      def(
          8,
          "ServerDeniedConnectionFips",
          "the server refused the connection for security (FIPS) reasons",
          CauseId.SERVER_DENIED_CONNECTION.id());
  public static final ExtendedDisconnectReason SERVER_INSUFFICIENT_PRIVILEGES =
      def(
          9,
          "ServerInsufficientPrivileges",
          "the user does not have the right to connect to this server",
          CauseId.SERVER_INSUFFICIENT_PRIVILEGES.id(),
          CauseId.LOGON_RIGHT_MISSING.id());
  public static final ExtendedDisconnectReason SERVER_FRESH_CREDS_REQUIRED =
      def(
          10,
          "ServerFreshCredsRequired",
          "the server refuses saved credentials; the password must be typed",
          CauseId.STALE_SAVED_CREDENTIALS.id());
  public static final ExtendedDisconnectReason RPC_INITIATED_DISCONNECT_BY_USER =
      def(11, "RpcInitiatedDisconnectByUser", "the session was disconnected from inside it");
  public static final ExtendedDisconnectReason LOGOFF_BY_USER =
      def(12, "LogoffByUser", "the user logged off");
  public static final ExtendedDisconnectReason SHUTDOWN =
      def(25, "Shutdown", "the server is shutting down");
  public static final ExtendedDisconnectReason REBOOT =
      def(26, "Reboot", "the server is restarting");

  public static final ExtendedDisconnectReason LICENSE_INTERNAL =
      def(256, "LicenseInternal", "the server's licensing component failed", LICENSING);
  public static final ExtendedDisconnectReason LICENSE_NO_LICENSE_SERVER =
      def(
          257,
          "LicenseNoLicenseServer",
          "no Remote Desktop licence server could be found",
          LICENSING);
  public static final ExtendedDisconnectReason LICENSE_NO_LICENSE =
      def(
          258,
          "LicenseNoLicense",
          "no Remote Desktop client access licence was available",
          LICENSING);
  public static final ExtendedDisconnectReason LICENSE_ERR_CLIENT_MSG =
      def(259, "LicenseErrClientMsg", "the client sent an invalid licensing message", LICENSING);
  public static final ExtendedDisconnectReason LICENSE_HWID_DOESNT_MATCH_LICENSE =
      def(
          260,
          "LicenseHwidDoesntMatchLicense",
          "the licence stored on this client was changed or belongs to another machine",
          LICENSING);
  public static final ExtendedDisconnectReason LICENSE_ERR_CLIENT_LICENSE =
      def(261, "LicenseErrClientLicense", "the client's stored licence is invalid", LICENSING);
  public static final ExtendedDisconnectReason LICENSE_CANT_FINISH_PROTOCOL =
      def(
          262,
          "LicenseCantFinishProtocol",
          "the licensing exchange broke off, usually because of a network problem",
          LICENSING,
          CauseId.PACKET_LOSS.id());
  public static final ExtendedDisconnectReason LICENSE_CLIENT_ENDED_PROTOCOL =
      def(
          263,
          "LicenseClientEndedProtocol",
          "the client stopped the licensing exchange",
          LICENSING);
  public static final ExtendedDisconnectReason LICENSE_ERR_CLIENT_ENCRYPTION =
      def(
          264,
          "LicenseErrClientEncryption",
          "a licensing message from the client was wrongly encrypted",
          LICENSING);
  public static final ExtendedDisconnectReason LICENSE_CANT_UPGRADE_LICENSE =
      def(
          265,
          "LicenseCantUpgradeLicense",
          "the client's licence could not be upgraded",
          LICENSING);
  public static final ExtendedDisconnectReason LICENSE_NO_REMOTE_CONNECTIONS =
      def(
          266,
          "LicenseNoRemoteConnections",
          "the server is not licensed to accept remote connections",
          LICENSING);
  public static final ExtendedDisconnectReason LICENSE_CREATING_LIC_STORE_ACC_DENIED =
      def(
          267,
          "LicenseCreatingLicStoreAccDenied",
          "the client could not create its licence store (access denied)",
          LICENSING);
  public static final ExtendedDisconnectReason RDP_ENC_INVALID_CREDENTIALS =
      def(
          768,
          "RdpEncInvalidCredentials",
          "the credentials sent were not valid",
          CauseId.LOGON_FAILED.id());

  private final ErrorInfo errorInfo;

  private ExtendedDisconnectReason(Entry e, ErrorInfo errorInfo) {
    super(e);
    this.errorInfo = errorInfo;
  }

  private static ExtendedDisconnectReason def(
      int code, String name, String description, String... causes) {
    return KNOWN.add(
        new ExtendedDisconnectReason(
            Entry.named(code, name, "exDiscReason" + name, description, causes), null));
  }

  /**
   * Never throws. Values in the protocol range carry the server's ERRINFO meaning; anything
   * undefined is {@code UNKNOWN(0x…)}.
   */
  public static ExtendedDisconnectReason valueOf(int code) {
    return KNOWN.get(code, ExtendedDisconnectReason::unnamed);
  }

  private static ExtendedDisconnectReason unnamed(int code) {
    if (!isProtocolRange(code)) {
      return new ExtendedDisconnectReason(
          Entry.unnamed(code, "an extended disconnect reason rdpdoctor has no name for"), null);
    }
    // Known only when ERRINFO names it: "some protocol error" alone explains nothing.
    ErrorInfo info = ErrorInfo.valueOf(code);
    Entry e =
        info.isKnown()
            ? new Entry(
                code,
                "ProtocolRange(" + info.name() + ")",
                info.symbol(),
                "a protocol error reported by the server: " + info.description(),
                info.causes(),
                true)
            : Entry.unnamed(
                    code,
                    "a protocol error (range 4096-32767) that rdpdoctor has no name for; the"
                        + " server's event log has the details")
                .withSymbol("exDiscReasonProtocolRange");
    return new ExtendedDisconnectReason(e, info);
  }

  public static boolean isProtocolRange(int code) {
    return code >= PROTOCOL_RANGE_START && code <= PROTOCOL_RANGE_END;
  }

  /** The named values; the protocol range is decoded on demand and not listed here. */
  public static Collection<ExtendedDisconnectReason> known() {
    return KNOWN.all();
  }

  /**
   * The server's errorInfo with the same value. The schemes coincide wherever both define a value
   * (0x7 is ERRINFO_SERVER_DENIED_CONNECTION, 256 is ERRINFO_LICENSE_INTERNAL = 0x100), because the
   * client passes the Set Error Info value through.
   */
  public ErrorInfo errorInfo() {
    return errorInfo != null ? errorInfo : ErrorInfo.valueOf(code());
  }
}

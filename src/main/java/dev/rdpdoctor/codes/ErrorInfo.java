package dev.rdpdoctor.codes;

import java.util.Collection;

/**
 * errorInfo of the server's Set Error Info PDU ([MS-RDPBCGR] 2.2.5.1.1), the server's own words for
 * why it is about to disconnect. mstsc shows the same value as "Extended error code".
 *
 * <p>0x08 (SERVER_DENIED_CONNECTION_FIPS) comes from older FreeRDP headers and the client's
 * exDiscReason 8; 0x19/0x1A (shutdown/reboot) match exDiscReason 25/26. Neither FreeRDP nor IronRDP
 * lists them today, so they are kept but may never be seen on the wire.
 */
public final class ErrorInfo extends OpenCode {
  private static final Catalogue<ErrorInfo> KNOWN = new Catalogue<>("ERRINFO");

  private static final String LICENSING = CauseId.LICENSING_FAILED.id();
  private static final String BROKER = CauseId.BROKER_REDIRECT_FAILED.id();

  public static final ErrorInfo NONE =
      def(0x00, "NONE", "no error; the server had nothing to report");
  public static final ErrorInfo RPC_INITIATED_DISCONNECT =
      def(
          0x01,
          "RPC_INITIATED_DISCONNECT",
          "an administrator tool on the server disconnected the session");
  public static final ErrorInfo RPC_INITIATED_LOGOFF =
      def(0x02, "RPC_INITIATED_LOGOFF", "an administrator tool on the server logged the user off");
  public static final ErrorInfo IDLE_TIMEOUT =
      def(0x03, "IDLE_TIMEOUT", "the session was idle longer than the server's idle limit");
  public static final ErrorInfo LOGON_TIMEOUT =
      def(0x04, "LOGON_TIMEOUT", "the session reached the server's active-session time limit");
  public static final ErrorInfo DISCONNECTED_BY_OTHER_CONNECTION =
      def(
          0x05,
          "DISCONNECTED_BY_OTHER_CONNECTION",
          "someone else connected to the same session and took it over",
          CauseId.SESSION_REPLACED.id());
  public static final ErrorInfo OUT_OF_MEMORY =
      def(0x06, "OUT_OF_MEMORY", "the server ran out of memory");
  public static final ErrorInfo SERVER_DENIED_CONNECTION =
      def(
          0x07,
          "SERVER_DENIED_CONNECTION",
          "the server is refusing connections (for example logons disabled or drain mode)",
          CauseId.SERVER_DENIED_CONNECTION.id());
  public static final ErrorInfo SERVER_DENIED_CONNECTION_FIPS =
      def(
          0x08,
          "SERVER_DENIED_CONNECTION_FIPS",
          "the server refused the connection for security (FIPS) reasons",
          CauseId.SERVER_DENIED_CONNECTION.id());
  public static final ErrorInfo SERVER_INSUFFICIENT_PRIVILEGES =
      def(
          0x09,
          "SERVER_INSUFFICIENT_PRIVILEGES",
          "the user is not allowed to connect to this server by Remote Desktop",
          CauseId.SERVER_INSUFFICIENT_PRIVILEGES.id(),
          CauseId.LOGON_RIGHT_MISSING.id());
  public static final ErrorInfo SERVER_FRESH_CREDENTIALS_REQUIRED =
      def(
          0x0A,
          "SERVER_FRESH_CREDENTIALS_REQUIRED",
          "the server refuses saved credentials; the password must be typed",
          CauseId.STALE_SAVED_CREDENTIALS.id());
  public static final ErrorInfo RPC_INITIATED_DISCONNECT_BY_USER =
      def(
          0x0B,
          "RPC_INITIATED_DISCONNECT_BY_USER",
          "the session was disconnected from inside it (by the user or a program there)");
  public static final ErrorInfo LOGOFF_BY_USER = def(0x0C, "LOGOFF_BY_USER", "the user logged off");
  public static final ErrorInfo CLOSE_STACK_ON_DRIVER_NOT_READY =
      def(
          0x0F,
          "CLOSE_STACK_ON_DRIVER_NOT_READY",
          "the session's display driver did not start in time on the server");
  public static final ErrorInfo SERVER_DWM_CRASH =
      def(0x10, "SERVER_DWM_CRASH", "the desktop window manager crashed in the session");
  public static final ErrorInfo CLOSE_STACK_ON_DRIVER_FAILURE =
      def(
          0x11,
          "CLOSE_STACK_ON_DRIVER_FAILURE",
          "the session's display driver failed to start on the server");
  public static final ErrorInfo CLOSE_STACK_ON_DRIVER_IFACE_FAILURE =
      def(
          0x12,
          "CLOSE_STACK_ON_DRIVER_IFACE_FAILURE",
          "the session's display driver started but could not be used");
  public static final ErrorInfo SERVER_WINLOGON_CRASH =
      def(0x17, "SERVER_WINLOGON_CRASH", "the logon process (Winlogon) crashed in the session");
  public static final ErrorInfo SERVER_CSRSS_CRASH =
      def(0x18, "SERVER_CSRSS_CRASH", "a core Windows process (CSRSS) crashed in the session");
  public static final ErrorInfo SERVER_SHUTDOWN =
      def(0x19, "SERVER_SHUTDOWN", "the server is shutting down");
  public static final ErrorInfo SERVER_REBOOT =
      def(0x1A, "SERVER_REBOOT", "the server is restarting");

  public static final ErrorInfo LICENSE_INTERNAL =
      def(0x100, "LICENSE_INTERNAL", "the server's licensing component failed", LICENSING);
  public static final ErrorInfo LICENSE_NO_LICENSE_SERVER =
      def(
          0x101,
          "LICENSE_NO_LICENSE_SERVER",
          "the server could not find a Remote Desktop licence server",
          LICENSING);
  public static final ErrorInfo LICENSE_NO_LICENSE =
      def(
          0x102,
          "LICENSE_NO_LICENSE",
          "no Remote Desktop client access licence (CAL) was available",
          LICENSING);
  public static final ErrorInfo LICENSE_BAD_CLIENT_MSG =
      def(
          0x103,
          "LICENSE_BAD_CLIENT_MSG",
          "the client sent an invalid licensing message",
          LICENSING);
  public static final ErrorInfo LICENSE_HWID_DOESNT_MATCH_LICENSE =
      def(
          0x104,
          "LICENSE_HWID_DOESNT_MATCH_LICENSE",
          "the licence stored on this client was changed or belongs to another machine",
          LICENSING);
  public static final ErrorInfo LICENSE_BAD_CLIENT_LICENSE =
      def(0x105, "LICENSE_BAD_CLIENT_LICENSE", "the client's stored licence is invalid", LICENSING);
  public static final ErrorInfo LICENSE_CANT_FINISH_PROTOCOL =
      def(
          0x106,
          "LICENSE_CANT_FINISH_PROTOCOL",
          "the licensing exchange broke off, usually because of a network problem",
          LICENSING,
          CauseId.PACKET_LOSS.id());
  public static final ErrorInfo LICENSE_CLIENT_ENDED_PROTOCOL =
      def(
          0x107,
          "LICENSE_CLIENT_ENDED_PROTOCOL",
          "the client stopped the licensing exchange",
          LICENSING);
  public static final ErrorInfo LICENSE_BAD_CLIENT_ENCRYPTION =
      def(
          0x108,
          "LICENSE_BAD_CLIENT_ENCRYPTION",
          "a licensing message from the client was wrongly encrypted",
          LICENSING);
  public static final ErrorInfo LICENSE_CANT_UPGRADE_LICENSE =
      def(
          0x109,
          "LICENSE_CANT_UPGRADE_LICENSE",
          "the client's licence could not be upgraded",
          LICENSING);
  public static final ErrorInfo LICENSE_NO_REMOTE_CONNECTIONS =
      def(
          0x10A,
          "LICENSE_NO_REMOTE_CONNECTIONS",
          "the server is not licensed to accept remote connections (grace period over?)",
          LICENSING);

  public static final ErrorInfo CB_DESTINATION_NOT_FOUND =
      def(
          0x400,
          "CB_DESTINATION_NOT_FOUND",
          "the connection broker could not find the machine to send you to",
          BROKER);
  public static final ErrorInfo CB_LOADING_DESTINATION =
      def(0x402, "CB_LOADING_DESTINATION", "the target machine is still loading", BROKER);
  public static final ErrorInfo CB_REDIRECTING_TO_DESTINATION =
      def(
          0x404,
          "CB_REDIRECTING_TO_DESTINATION",
          "redirecting to the target machine failed",
          BROKER);
  public static final ErrorInfo CB_SESSION_ONLINE_VM_WAKE =
      def(
          0x405,
          "CB_SESSION_ONLINE_VM_WAKE",
          "the target virtual machine could not be woken",
          BROKER);
  public static final ErrorInfo CB_SESSION_ONLINE_VM_BOOT =
      def(
          0x406,
          "CB_SESSION_ONLINE_VM_BOOT",
          "the target virtual machine could not be started",
          BROKER);
  public static final ErrorInfo CB_SESSION_ONLINE_VM_NO_DNS =
      def(
          0x407,
          "CB_SESSION_ONLINE_VM_NO_DNS",
          "the broker could not learn the target virtual machine's IP address",
          BROKER,
          CauseId.DNS_UNRESOLVABLE.id());
  public static final ErrorInfo CB_DESTINATION_POOL_NOT_FREE =
      def(0x408, "CB_DESTINATION_POOL_NOT_FREE", "no machine in the pool is free", BROKER);
  public static final ErrorInfo CB_CONNECTION_CANCELLED =
      def(0x409, "CB_CONNECTION_CANCELLED", "the brokered connection was cancelled", BROKER);
  public static final ErrorInfo CB_CONNECTION_ERROR_INVALID_SETTINGS =
      def(
          0x410,
          "CB_CONNECTION_ERROR_INVALID_SETTINGS",
          "the routing token (loadbalanceinfo) sent to the broker is not valid",
          BROKER,
          CauseId.RDP_FILE_MISCONFIGURED.id());
  public static final ErrorInfo CB_SESSION_ONLINE_VM_BOOT_TIMEOUT =
      def(
          0x411,
          "CB_SESSION_ONLINE_VM_BOOT_TIMEOUT",
          "the target virtual machine took too long to start",
          BROKER);
  public static final ErrorInfo CB_SESSION_ONLINE_VM_SESSMON_FAILED =
      def(
          0x412,
          "CB_SESSION_ONLINE_VM_SESSMON_FAILED",
          "session monitoring failed on the target virtual machine",
          BROKER);

  public static final ErrorInfo CREATE_USER_DATA_FAILED;
  public static final ErrorInfo CONNECT_FAILED;
  public static final ErrorInfo BAD_CAPABILITIES;
  public static final ErrorInfo REMOTEAPP_NOT_ENABLED;
  public static final ErrorInfo GRAPHICS_SUBSYSTEM_FAILED;
  public static final ErrorInfo ENCRYPTION_PACKAGE_MISMATCH;

  static {
    // Protocol-stream errors: the server found something malformed or out of order in what the
    // client sent. Rare with stock clients; most point at a client bug or a mangling middlebox.
    proto(0x10C9, "UNKNOWN_DATA_PDU_TYPE", "the client sent a data message of unknown type");
    proto(0x10CA, "UNKNOWN_PDU_TYPE", "the client sent a message of unknown type");
    proto(0x10CB, "DATA_PDU_SEQUENCE", "the client sent a data message out of order");
    proto(0x10CD, "CONTROL_PDU_SEQUENCE", "the client sent a control message out of order");
    proto(0x10CE, "INVALID_CONTROL_PDU_ACTION", "the client sent an invalid control action");
    proto(0x10CF, "INVALID_INPUT_PDU_TYPE", "the client sent an input event of unknown type");
    proto(0x10D0, "INVALID_INPUT_PDU_MOUSE", "the client sent an invalid mouse event");
    proto(0x10D1, "INVALID_REFRESH_RECT_PDU", "the client sent an invalid screen-refresh request");
    CREATE_USER_DATA_FAILED =
        proto(
            0x10D2,
            "CREATE_USER_DATA_FAILED",
            "the server could not build its reply to the client's connection settings");
    CONNECT_FAILED =
        proto(
            0x10D3,
            "CONNECT_FAILED",
            "the server failed while setting up the connection's channels");
    proto(
        0x10D4,
        "CONFIRM_ACTIVE_HAS_WRONG_SHAREID",
        "the client confirmed capabilities for the wrong share");
    proto(
        0x10D5,
        "CONFIRM_ACTIVE_HAS_WRONG_ORIGINATOR",
        "the client confirmed capabilities with the wrong originator");
    proto(
        0x10DA,
        "PERSISTENT_KEY_PDU_BAD_LENGTH",
        "the client's bitmap-cache key list has a bad length");
    proto(
        0x10DB,
        "PERSISTENT_KEY_PDU_ILLEGAL_FIRST",
        "the client's bitmap-cache key list started wrongly");
    proto(
        0x10DC,
        "PERSISTENT_KEY_PDU_TOO_MANY_TOTAL_KEYS",
        "the client offered too many bitmap-cache keys in total");
    proto(
        0x10DD,
        "PERSISTENT_KEY_PDU_TOO_MANY_CACHE_KEYS",
        "the client offered too many keys for one bitmap cache");
    proto(0x10DE, "INPUT_PDU_BAD_LENGTH", "the client sent an input message with a bad length");
    proto(
        0x10DF,
        "BITMAP_CACHE_ERROR_PDU_BAD_LENGTH",
        "the client sent a bitmap-cache error message with a bad length");
    proto(0x10E0, "SECURITY_DATA_TOO_SHORT", "the client's security data was truncated");
    proto(0x10E1, "VCHANNEL_DATA_TOO_SHORT", "virtual-channel data from the client was truncated");
    proto(0x10E2, "SHARE_DATA_TOO_SHORT", "a data message from the client was truncated");
    proto(0x10E3, "BAD_SUPPRESS_OUTPUT_PDU", "the client sent an invalid suppress-output request");
    proto(
        0x10E5,
        "CONFIRM_ACTIVE_PDU_TOO_SHORT",
        "the client's capability confirmation was truncated");
    proto(0x10E7, "CAPABILITY_SET_TOO_SMALL", "a client capability set was too small");
    proto(0x10E8, "CAPABILITY_SET_TOO_LARGE", "a client capability set was too large");
    proto(0x10E9, "NO_CURSOR_CACHE", "the client offered no cursor cache");
    BAD_CAPABILITIES =
        proto(0x10EA, "BAD_CAPABILITIES", "the server rejected the client's capabilities");
    proto(
        0x10EC,
        "VIRTUAL_CHANNEL_DECOMPRESSION",
        "virtual-channel data from the client could not be decompressed");
    proto(
        0x10ED,
        "INVALID_VC_COMPRESSION_TYPE",
        "the client used an invalid virtual-channel compression type");
    proto(0x10EF, "INVALID_CHANNEL_ID", "the client used a channel that does not exist");
    proto(0x10F0, "VCHANNELS_TOO_MANY", "the client asked for more than 31 virtual channels");
    REMOTEAPP_NOT_ENABLED =
        def(
            0x10F3,
            "REMOTEAPP_NOT_ENABLED",
            "the server only publishes RemoteApp programs and the client asked for a full desktop",
            CauseId.RDP_FILE_MISCONFIGURED.id());
    proto(0x10F4, "CACHE_CAP_NOT_SET", "the client did not send its cache capabilities");
    proto(
        0x10F5,
        "BITMAP_CACHE_ERROR_PDU_BAD_LENGTH2",
        "the client sent a bitmap-cache error message with a bad length");
    proto(
        0x10F6,
        "OFFSCREEN_CACHE_ERROR_PDU_BAD_LENGTH",
        "the client sent an off-screen cache error message with a bad length");
    proto(
        0x10F7,
        "DRAWNINEGRID_CACHE_ERROR_PDU_BAD_LENGTH",
        "the client sent a nine-grid cache error message with a bad length");
    proto(
        0x10F8, "GDIPLUS_PDU_BAD_LENGTH", "the client sent a GDI+ error message with a bad length");
    // 0x1111..0x1126 = SECURITY_DATA_TOO_SHORT2..23: the same fault at 22 different fields.
    for (int i = 2; i <= 23; i++) {
      proto(
          0x1111 + i - 2,
          "SECURITY_DATA_TOO_SHORT" + i,
          "part of the client's security or logon data was truncated (check " + i + ")");
    }
    proto(0x1129, "BAD_MONITOR_DATA", "the client's monitor layout is invalid");
    proto(
        0x112A,
        "VC_DECOMPRESSED_REASSEMBLE_FAILED",
        "decompressed virtual-channel data could not be reassembled");
    proto(0x112B, "VC_DATA_TOO_LONG", "a virtual-channel message from the client was too long");
    proto(0x112C, "BAD_FRAME_ACK_DATA", "the client's frame acknowledgement was invalid");
    def(
        0x112D,
        "GRAPHICS_MODE_NOT_SUPPORTED",
        "the server cannot provide the graphics mode the client asked for");
    def(
        0x112E,
        "GRAPHICS_SUBSYSTEM_RESET_FAILED",
        "the server's graphics subsystem could not be reset");
    GRAPHICS_SUBSYSTEM_FAILED =
        def(0x112F, "GRAPHICS_SUBSYSTEM_FAILED", "the server's graphics subsystem failed");
    proto(
        0x1130, "TIMEZONE_KEY_NAME_LENGTH_TOO_SHORT", "the client's time-zone name was too short");
    proto(0x1131, "TIMEZONE_KEY_NAME_LENGTH_TOO_LONG", "the client's time-zone name was too long");
    proto(
        0x1132,
        "DYNAMIC_DST_DISABLED_FIELD_MISSING",
        "the client's time-zone data lacks the dynamic daylight-saving field");
    proto(0x1133, "VC_DECODING_ERROR", "a dynamic virtual channel message could not be decoded");
    proto(
        0x1134, "VIRTUALDESKTOPTOOLARGE", "the requested desktop is too large (over 32766 pixels)");
    proto(
        0x1135, "MONITORGEOMETRYVALIDATIONFAILED", "the client's monitor arrangement is not valid");
    proto(0x1136, "INVALIDMONITORCOUNT", "the client reported an invalid number of monitors");
    proto(
        0x1191,
        "UPDATE_SESSION_KEY_FAILED",
        "the Standard RDP Security session key could not be renewed");
    proto(
        0x1192,
        "DECRYPT_FAILED",
        "the server could not decrypt client data (or build the session keys)");
    proto(0x1193, "ENCRYPT_FAILED", "the server could not encrypt data for the client");
    ENCRYPTION_PACKAGE_MISMATCH =
        def(
            0x1194,
            "ENCRYPTION_PACKAGE_MISMATCH",
            "client and server share no Standard RDP Security encryption method",
            CauseId.STANDARD_SECURITY_ONLY.id());
    proto(0x1195, "DECRYPT_FAILED2", "the client sent unencrypted data where encryption was due");
    def(
        0x1196,
        "PEER_DISCONNECTED",
        "the connection was lost (FreeRDP's own code, not sent by " + "servers)",
        CauseId.SERVER_CLOSED_CONNECTION.id(),
        CauseId.PACKET_LOSS.id());
  }

  private ErrorInfo(Entry e) {
    super(e);
  }

  private static ErrorInfo def(int code, String name, String description, String... causes) {
    return KNOWN.add(
        new ErrorInfo(Entry.named(code, name, "ERRINFO_" + name, description, causes)));
  }

  private static ErrorInfo proto(int code, String name, String description) {
    return def(code, name, description);
  }

  /** Never throws: an undefined value decodes to {@code UNKNOWN(0x…)}. */
  public static ErrorInfo valueOf(int code) {
    return KNOWN.get(
        code,
        c ->
            new ErrorInfo(
                Entry.unnamed(
                    c, "a server error code rdpdoctor has no name for (" + group(c) + ")")));
  }

  public static Collection<ErrorInfo> known() {
    return KNOWN.all();
  }

  /** The spec's grouping, useful even for codes without a name. */
  public String group() {
    return group(code());
  }

  static String group(int code) {
    if (code >= 0 && code < 0x100) {
      return "session or policy";
    } else if (code >= 0x100 && code < 0x400) {
      return "licensing";
    } else if (code >= 0x400 && code < 0x1000) {
      return "connection broker";
    } else if (code >= 0x1000 && code < 0x1191) {
      return "RDP protocol";
    } else if (code >= 0x1191 && code < 0x1200) {
      return "Standard RDP Security";
    }
    return "outside the documented ranges";
  }
}

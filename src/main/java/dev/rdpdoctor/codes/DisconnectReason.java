package dev.rdpdoctor.codes;

import java.util.Collection;

/**
 * The client's disconnect reason: {@code discReason} of IMsTscAxEvents::OnDisconnected, shown by
 * mstsc as "Error code: 0x…" and logged as Reason in RDPClient event 1026. Names drop the {@code
 * disconnectReason} prefix; the SSL_ERR_* names come from Wincred.h and keep theirs.
 *
 * <p>The low byte is a layer (0x04 network, 0x06 Standard RDP Security, 0x07 CredSSP logon, 0x08
 * UI), which is why {@link #layer()} can say something useful about codes we have no name for.
 */
public final class DisconnectReason extends OpenCode {
  private static final Catalogue<DisconnectReason> KNOWN = new Catalogue<>("disconnect reason");

  private static final String[] NETWORK_PATH = {
    CauseId.PORT_FILTERED.id(), CauseId.HOST_UNREACHABLE.id(), CauseId.HIGH_LATENCY.id()
  };
  private static final String[] DNS = {CauseId.DNS_UNRESOLVABLE.id()};

  public static final DisconnectReason NO_INFO = def(0x0, "NoInfo", "no reason was recorded");
  public static final DisconnectReason LOCAL_NOT_ERROR =
      def(0x1, "LocalNotError", "you disconnected on purpose; not an error");
  public static final DisconnectReason REMOTE_BY_USER =
      def(0x2, "RemoteByUser", "the remote user disconnected or logged off; not an error");
  public static final DisconnectReason BY_SERVER =
      def(
          0x3,
          "ByServer",
          "the server ended the session (an administrator or another connection); not an error",
          CauseId.SESSION_REPLACED.id());
  public static final DisconnectReason DNS_LOOKUP_FAILED =
      def(0x104, "DNSLookupFailed", "the computer name could not be resolved by DNS", DNS);
  public static final DisconnectReason OUT_OF_MEMORY =
      def(0x106, "OutOfMemory", "the client ran out of memory");
  public static final DisconnectReason CONNECTION_TIMED_OUT =
      def(
          0x108,
          "ConnectionTimedOut",
          "the connection attempt timed out with no answer",
          NETWORK_PATH);
  public static final DisconnectReason SOCKET_CONNECT_FAILED =
      def(
          0x204,
          "SocketConnectFailed",
          "the TCP connection could not be opened: refused, blocked or unreachable",
          CauseId.PORT_CLOSED.id(),
          CauseId.PORT_FILTERED.id(),
          CauseId.HOST_UNREACHABLE.id(),
          CauseId.DNS_WRONG_ADDRESS.id());
  public static final DisconnectReason OUT_OF_MEMORY_2 =
      def(0x206, "OutOfMemory2", "the client ran out of memory");
  public static final DisconnectReason HOST_NOT_FOUND =
      def(0x208, "HostNotFound", "the computer name does not exist in DNS", DNS);
  public static final DisconnectReason WINSOCK_SEND_FAILED =
      def(
          0x304,
          "WinsockSendFailed",
          "sending to the server failed; the connection was lost",
          CauseId.SERVER_CLOSED_CONNECTION.id(),
          CauseId.PACKET_LOSS.id());
  public static final DisconnectReason OUT_OF_MEMORY_3 =
      def(0x306, "OutOfMemory3", "the client ran out of memory");
  public static final DisconnectReason INVALID_IP_ADDR =
      def(
          0x308,
          "InvalidIPAddr",
          "the address given for the computer is not a valid IP address",
          CauseId.RDP_FILE_MISCONFIGURED.id(),
          CauseId.DNS_WRONG_ADDRESS.id());
  public static final DisconnectReason SOCKET_RECV_FAILED =
      def(
          0x404,
          "SocketRecvFailed",
          "receiving from the server failed: the connection was reset",
          CauseId.SERVER_CLOSED_CONNECTION.id(),
          CauseId.TLS_HANDSHAKE_FAILED.id(),
          CauseId.PACKET_LOSS.id(),
          CauseId.TLS_INTERCEPTION.id());
  public static final DisconnectReason INVALID_SECURITY_DATA =
      def(
          0x406,
          "InvalidSecurityData",
          "the security data exchanged with the server was invalid",
          CauseId.STANDARD_SECURITY_ONLY.id());
  public static final DisconnectReason INTERNAL_ERROR =
      def(0x408, "InternalError", "the client hit an internal error");
  public static final DisconnectReason INVALID_ENCRYPTION =
      def(
          0x506,
          "InvalidEncryption",
          "the encryption method chosen for Standard RDP Security is not valid",
          CauseId.STANDARD_SECURITY_ONLY.id());
  public static final DisconnectReason DNS_LOOKUP_FAILED_2 =
      def(0x508, "DNSLookupFailed2", "the computer name could not be resolved by DNS", DNS);
  public static final DisconnectReason GET_HOST_BY_NAME_FAILED =
      def(0x604, "GetHostByNameFailed", "the computer could not be found by name", DNS);
  public static final DisconnectReason INVALID_SERVER_SECURITY_INFO =
      def(
          0x606,
          "InvalidServerSecurityInfo",
          "the server sent invalid security data",
          CauseId.STANDARD_SECURITY_ONLY.id(),
          CauseId.NOT_RDP_SERVICE.id());
  public static final DisconnectReason TIMER_ERROR =
      def(0x608, "TimerError", "an internal timer failed in the client");
  public static final DisconnectReason TIMEOUT_OCCURRED =
      def(0x704, "TimeoutOccurred", "the server stopped answering in time", NETWORK_PATH);
  public static final DisconnectReason SERVER_CERTIFICATE_UNPACK_ERR =
      def(
          0x706,
          "ServerCertificateUnpackErr",
          "the server's Standard RDP Security certificate could not be read",
          CauseId.STANDARD_SECURITY_ONLY.id(),
          CauseId.NOT_RDP_SERVICE.id());
  public static final DisconnectReason INVALID_IP =
      def(
          0x804,
          "InvalidIP",
          "the IP address given is not valid",
          CauseId.RDP_FILE_MISCONFIGURED.id(),
          CauseId.DNS_WRONG_ADDRESS.id());
  public static final DisconnectReason SSL_ERR_LOGON_FAILURE =
      ssl(
          0x807,
          "SSL_ERR_LOGON_FAILURE",
          "the user name or password was not accepted",
          CauseId.LOGON_FAILED.id(),
          CauseId.STALE_SAVED_CREDENTIALS.id());
  public static final DisconnectReason LICENSING_FAILED =
      def(
          0x808,
          "LicensingFailed",
          "the server could not issue a Remote Desktop licence",
          CauseId.LICENSING_FAILED.id());
  public static final DisconnectReason AT_CLIENT_WINSOCK_FDCLOSE =
      def(
          0x904,
          "AtClientWinsockFDCLOSE",
          "the server (or something on the path) closed the connection",
          CauseId.SERVER_CLOSED_CONNECTION.id(),
          CauseId.TLS_HANDSHAKE_FAILED.id(),
          CauseId.NLA_REQUIRED.id(),
          CauseId.PMTU_BLACKHOLE.id(),
          CauseId.PACKET_LOSS.id(),
          CauseId.CONNECTION_LIMIT.id(),
          CauseId.TLS_LEGACY_ONLY.id(),
          CauseId.TLS_NO_SHARED_CIPHER.id(),
          CauseId.TLS_CERTIFICATE_MISSING.id(),
          CauseId.TLS_INTERCEPTION.id(),
          CauseId.CREDSSP_UNPATCHED_SERVER.id());
  public static final DisconnectReason INTERNAL_SECURITY_ERROR =
      def(
          0x906,
          "InternalSecurityError",
          "the secure channel (TLS or CredSSP) could not be set up",
          CauseId.TLS_HANDSHAKE_FAILED.id(),
          CauseId.TLS_LEGACY_ONLY.id(),
          CauseId.TLS_NO_SHARED_CIPHER.id(),
          CauseId.TLS_CERTIFICATE_MISSING.id());
  public static final DisconnectReason LICENSING_TIMEOUT =
      def(
          0x908,
          "LicensingTimeout",
          "the server took too long to hand out a licence",
          CauseId.LICENSING_FAILED.id(),
          CauseId.HIGH_LATENCY.id());
  public static final DisconnectReason INTERNAL_SECURITY_ERROR_2 =
      def(
          0xA06,
          "InternalSecurityError2",
          "the secure channel (TLS or CredSSP) could not be set up",
          CauseId.TLS_HANDSHAKE_FAILED.id(),
          CauseId.TLS_LEGACY_ONLY.id(),
          CauseId.TLS_NO_SHARED_CIPHER.id(),
          CauseId.TLS_CERTIFICATE_MISSING.id());
  public static final DisconnectReason SSL_ERR_NO_SUCH_USER =
      ssl(0xA07, "SSL_ERR_NO_SUCH_USER", "the user name does not exist", CauseId.LOGON_FAILED.id());
  public static final DisconnectReason ENCRYPTION_ERROR =
      def(0xB06, "EncryptionError", "encrypting data for the server failed");
  public static final DisconnectReason SSL_ERR_ACCOUNT_DISABLED =
      ssl(
          0xB07,
          "SSL_ERR_ACCOUNT_DISABLED",
          "the user account is disabled",
          CauseId.ACCOUNT_DISABLED.id());
  public static final DisconnectReason DECRYPTION_ERROR =
      def(
          0xC06,
          "DecryptionError",
          "data from the server could not be decrypted",
          CauseId.TLS_INTERCEPTION.id(),
          CauseId.PACKET_LOSS.id());
  public static final DisconnectReason SSL_ERR_ACCOUNT_RESTRICTION =
      ssl(
          0xC07,
          "SSL_ERR_ACCOUNT_RESTRICTION",
          "an account restriction blocks this logon (for example a blank password)",
          CauseId.ACCOUNT_RESTRICTION.id());
  public static final DisconnectReason CLIENT_DECOMPRESSION_ERROR =
      def(0xC08, "ClientDecompressionError", "data from the server could not be decompressed");
  public static final DisconnectReason SSL_ERR_ACCOUNT_LOCKED_OUT =
      ssl(
          0xD07,
          "SSL_ERR_ACCOUNT_LOCKED_OUT",
          "the user account is locked out",
          CauseId.ACCOUNT_LOCKED.id());
  public static final DisconnectReason SSL_ERR_ACCOUNT_EXPIRED =
      ssl(
          0xE07,
          "SSL_ERR_ACCOUNT_EXPIRED",
          "the user account has expired",
          CauseId.ACCOUNT_EXPIRED.id());
  public static final DisconnectReason SSL_ERR_PASSWORD_EXPIRED =
      ssl(
          0xF07,
          "SSL_ERR_PASSWORD_EXPIRED",
          "the password has expired",
          CauseId.PASSWORD_EXPIRED.id());
  public static final DisconnectReason SSL_ERR_PASSWORD_MUST_CHANGE =
      ssl(
          0x1207,
          "SSL_ERR_PASSWORD_MUST_CHANGE",
          "the password must be changed before the first logon",
          CauseId.PASSWORD_MUST_CHANGE.id());
  public static final DisconnectReason SSL_ERR_DELEGATION_POLICY =
      ssl(
          0x1607,
          "SSL_ERR_DELEGATION_POLICY",
          "policy does not allow handing your credentials to this server",
          CauseId.STALE_SAVED_CREDENTIALS.id());
  public static final DisconnectReason SSL_ERR_POLICY_NTLM_ONLY =
      ssl(
          0x1707,
          "SSL_ERR_POLICY_NTLM_ONLY",
          "only NTLM was possible but policy requires the server to be verified (Kerberos)",
          CauseId.NO_LOGON_AUTHORITY.id(),
          CauseId.DNS_WRONG_ADDRESS.id());
  public static final DisconnectReason SSL_ERR_NO_AUTHENTICATING_AUTHORITY =
      ssl(
          0x1807,
          "SSL_ERR_NO_AUTHENTICATING_AUTHORITY",
          "no domain controller could check the logon (unreachable, wrong domain or trust)",
          CauseId.NO_LOGON_AUTHORITY.id(),
          CauseId.CLOCK_SKEW.id());
  public static final DisconnectReason SSL_ERR_CERT_EXPIRED =
      ssl(
          0x1B07,
          "SSL_ERR_CERT_EXPIRED",
          "a certificate used for the logon has expired",
          CauseId.CERT_EXPIRED.id());
  public static final DisconnectReason SSL_ERR_SMARTCARD_WRONG_PIN =
      ssl(
          0x1C07,
          "SSL_ERR_SMARTCARD_WRONG_PIN",
          "the smart card PIN was wrong",
          CauseId.LOGON_FAILED.id());
  public static final DisconnectReason SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER =
      ssl(
          0x2107,
          "SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER",
          "the server refuses saved credentials; type the password again",
          CauseId.STALE_SAVED_CREDENTIALS.id());
  public static final DisconnectReason SSL_ERR_SMARTCARD_CARD_BLOCKED =
      ssl(
          0x2207,
          "SSL_ERR_SMARTCARD_CARD_BLOCKED",
          "the smart card is blocked",
          CauseId.ACCOUNT_LOCKED.id());

  private DisconnectReason(Entry e) {
    super(e);
  }

  private static DisconnectReason def(int code, String name, String description, String... causes) {
    return KNOWN.add(
        new DisconnectReason(
            Entry.named(code, name, "disconnectReason" + name, description, causes)));
  }

  private static DisconnectReason ssl(int code, String name, String description, String... causes) {
    return KNOWN.add(new DisconnectReason(Entry.named(code, name, name, description, causes)));
  }

  /** Never throws: an undocumented value decodes to {@code UNKNOWN(0x…)} with its layer. */
  public static DisconnectReason valueOf(int code) {
    return KNOWN.get(
        code,
        c ->
            new DisconnectReason(
                Entry.unnamed(
                    c, "a disconnect reason rdpdoctor has no name for (" + layer(c) + ")")));
  }

  public static Collection<DisconnectReason> known() {
    return KNOWN.all();
  }

  /** The layer the low byte points at, in words. */
  public String layer() {
    return layer(code());
  }

  static String layer(int code) {
    return switch (code & 0xFF) {
      case 0x00, 0x01, 0x02, 0x03 -> "not an error";
      case 0x04 -> "network layer";
      case 0x06 -> "Standard RDP Security layer";
      case 0x07 -> "logon (CredSSP) layer";
      case 0x08 -> "client user-interface layer";
      default -> "layer unknown";
    };
  }
}

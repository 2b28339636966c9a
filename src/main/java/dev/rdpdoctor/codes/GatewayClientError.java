package dev.rdpdoctor.codes;

import java.util.Map;

/**
 * HRESULTs a Windows client reports about its own side of the RD Gateway connection: the
 * FACILITY_WIN32 wrappers (0x8007xxxx) of WinINet/WinHTTP, Winsock and logon errors, and the
 * SSPI/Schannel SEC_E_* codes. Used to read RDGClientTrace files; E_PROXY_* codes, which the
 * gateway itself sends, are {@link ProxyError}. Open: unknown values decode with no cause.
 *
 * @param cause the catalogue cause id this code points to, null when it names none
 */
public record GatewayClientError(
    int code, String name, String description, String cause, boolean known) {

  private static final Map<Integer, GatewayClientError> KNOWN =
      Map.ofEntries(
          w32(
              1326,
              "ERROR_LOGON_FAILURE",
              "unknown user name or bad password",
              CauseId.GATEWAY_AUTH_FAILED.id()),
          w32(
              1327,
              "ERROR_ACCOUNT_RESTRICTION",
              "account restriction prevents the logon",
              CauseId.GATEWAY_AUTH_FAILED.id()),
          w32(
              1330,
              "ERROR_PASSWORD_EXPIRED",
              "the password has expired",
              CauseId.GATEWAY_AUTH_FAILED.id()),
          w32(
              1331,
              "ERROR_ACCOUNT_DISABLED",
              "the account is disabled",
              CauseId.GATEWAY_AUTH_FAILED.id()),
          w32(
              1909,
              "ERROR_ACCOUNT_LOCKED_OUT",
              "the account is locked out",
              CauseId.GATEWAY_AUTH_FAILED.id()),
          w32(
              10060,
              "WSAETIMEDOUT",
              "the TCP connection timed out",
              CauseId.GATEWAY_UNREACHABLE.id()),
          w32(
              10061,
              "WSAECONNREFUSED",
              "the TCP connection was refused",
              CauseId.GATEWAY_UNREACHABLE.id()),
          w32(
              11001,
              "WSAHOST_NOT_FOUND",
              "the gateway name does not resolve",
              CauseId.GATEWAY_UNREACHABLE.id()),
          w32(
              12002,
              "ERROR_INTERNET_TIMEOUT",
              "the request to the gateway timed out",
              CauseId.GATEWAY_UNREACHABLE.id()),
          w32(
              12007,
              "ERROR_INTERNET_NAME_NOT_RESOLVED",
              "the gateway name does not resolve",
              CauseId.GATEWAY_UNREACHABLE.id()),
          w32(
              12029,
              "ERROR_INTERNET_CANNOT_CONNECT",
              "cannot connect to the gateway",
              CauseId.GATEWAY_UNREACHABLE.id()),
          w32(
              12030,
              "ERROR_INTERNET_CONNECTION_ABORTED",
              "the gateway connection was aborted",
              CauseId.GATEWAY_ERROR.id()),
          w32(
              12031,
              "ERROR_INTERNET_CONNECTION_RESET",
              "the gateway connection was reset",
              CauseId.GATEWAY_ERROR.id()),
          w32(
              12037,
              "ERROR_INTERNET_SEC_CERT_DATE_INVALID",
              "the gateway certificate is expired or not yet valid",
              CauseId.CERT_EXPIRED.id()),
          w32(
              12038,
              "ERROR_INTERNET_SEC_CERT_CN_INVALID",
              "the gateway certificate is for another name",
              CauseId.CERT_NAME_MISMATCH.id()),
          w32(
              12045,
              "ERROR_INTERNET_INVALID_CA",
              "the gateway certificate's issuer is not trusted",
              CauseId.GATEWAY_TLS_FAILED.id()),
          w32(
              12057,
              "ERROR_INTERNET_SEC_CERT_REV_FAILED",
              "the revocation of the gateway certificate could not be checked",
              CauseId.GATEWAY_TLS_FAILED.id()),
          w32(
              12175,
              "ERROR_WINHTTP_SECURE_FAILURE",
              "the TLS connection to the gateway failed",
              CauseId.GATEWAY_TLS_FAILED.id()),
          e(
              0x8009030C,
              "SEC_E_LOGON_DENIED",
              "the logon attempt failed",
              CauseId.GATEWAY_AUTH_FAILED.id()),
          e(
              0x80090325,
              "SEC_E_UNTRUSTED_ROOT",
              "the certificate chain ends in an untrusted root",
              CauseId.GATEWAY_TLS_FAILED.id()),
          e(
              0x80090328,
              "SEC_E_CERT_EXPIRED",
              "the certificate has expired",
              CauseId.CERT_EXPIRED.id()));

  private static Map.Entry<Integer, GatewayClientError> w32(
      int win32, String name, String description, String cause) {
    return e(0x80070000 | win32, name, description, cause);
  }

  private static Map.Entry<Integer, GatewayClientError> e(
      int code, String name, String description, String cause) {
    return Map.entry(code, new GatewayClientError(code, name, description, cause, true));
  }

  /** Any 32-bit value; an unknown FACILITY_WIN32 code is named by its Win32 error number. */
  public static GatewayClientError of(int code) {
    GatewayClientError k = KNOWN.get(code);
    if (k != null) {
      return k;
    }
    if ((code & 0xFFFF0000) == 0x80070000) {
      return new GatewayClientError(
          code, "WIN32(" + (code & 0xFFFF) + ")", "Win32 error " + (code & 0xFFFF), null, false);
    }
    return new GatewayClientError(
        code,
        "UNKNOWN(" + OpenCode.hex(code) + ")",
        "an HRESULT this catalogue does not know",
        null,
        false);
  }

  public String hex() {
    return OpenCode.hex(code);
  }
}

package dev.rdpdoctor.codes;

import java.util.List;
import java.util.Map;

/**
 * RD Gateway HRESULTs (E_PROXY_*), as the gateway puts them in the HTTP transport's
 * errorCode/statusCode fields ([MS-TSGU] 2.2.6; FreeRDP tsg.h / rpc_fault.c). Open: any value
 * decodes, unknown ones as UNKNOWN(0x…). Each names the policy side to fix when there is one.
 *
 * @param side "CAP" (connection authorization policy), "RAP" (resource authorization policy),
 *     "gateway" or "target"; null for success
 */
public record ProxyError(
    int code, String name, String description, String cause, String side, boolean known) {

  private static final Map<Integer, ProxyError> KNOWN =
      Map.ofEntries(
          e(0x00000000, "S_OK", "success", null, null),
          e(
              0x800759D8,
              "E_PROXY_INTERNALERROR",
              "unexpected error inside the gateway",
              CauseId.GATEWAY_ERROR.id(),
              "gateway"),
          e(
              0x800759DA,
              "E_PROXY_RAP_ACCESSDENIED",
              "the resource authorization policy (RD RAP) does not allow this user to reach this "
                  + "computer",
              CauseId.GATEWAY_FORBIDDEN.id(),
              "RAP"),
          e(
              0x800759DB,
              "E_PROXY_NAP_ACCESSDENIED",
              "the connection authorization policy (RD CAP) does not admit this user",
              CauseId.GATEWAY_FORBIDDEN.id(),
              "CAP"),
          e(
              0x800759DD,
              "E_PROXY_TS_CONNECTFAILED",
              "the gateway could not connect to the target RDP server",
              CauseId.GATEWAY_ERROR.id(),
              "target"),
          e(
              0x800759DF,
              "E_PROXY_ALREADYDISCONNECTED",
              "the tunnel was already closed",
              CauseId.GATEWAY_ERROR.id(),
              "gateway"),
          e(
              0x800759E9,
              "E_PROXY_CAPABILITYMISMATCH",
              "client and gateway capabilities do not match",
              CauseId.GATEWAY_ERROR.id(),
              "gateway"),
          e(
              0x800759ED,
              "E_PROXY_QUARANTINE_ACCESSDENIED",
              "the client failed the gateway's health (NAP) check",
              CauseId.GATEWAY_FORBIDDEN.id(),
              "CAP"),
          e(
              0x800759EE,
              "E_PROXY_NOCERTAVAILABLE",
              "the gateway has no server certificate bound",
              CauseId.GATEWAY_ERROR.id(),
              "gateway"),
          e(
              0x800759F7,
              "E_PROXY_COOKIE_BADPACKET",
              "the authentication cookie is malformed",
              CauseId.GATEWAY_AUTH_FAILED.id(),
              "gateway"),
          e(
              0x800759F8,
              "E_PROXY_COOKIE_AUTHENTICATION_ACCESS_DENIED",
              "the authentication cookie was rejected",
              CauseId.GATEWAY_AUTH_FAILED.id(),
              "gateway"),
          e(
              0x800759F9,
              "E_PROXY_UNSUPPORTED_AUTHENTICATION_METHOD",
              "the gateway does not allow this authentication method",
              CauseId.GATEWAY_AUTH_FAILED.id(),
              "CAP"),
          e(
              0x800759E6,
              "E_PROXY_MAXCONNECTIONSREACHED",
              "the gateway's connection limit is reached",
              CauseId.GATEWAY_ERROR.id(),
              "gateway"),
          e(
              0x800759E8,
              "E_PROXY_NOTSUPPORTED",
              "the request is not supported by the gateway",
              CauseId.GATEWAY_ERROR.id(),
              "gateway"),
          e(
              0x800759F6,
              "E_PROXY_SESSIONTIMEOUT",
              "the gateway session timed out",
              CauseId.GATEWAY_ERROR.id(),
              "gateway"),
          e(
              0x800759FA,
              "E_PROXY_REAUTH_AUTHN_FAILED",
              "reauthentication failed",
              CauseId.GATEWAY_AUTH_FAILED.id(),
              "gateway"),
          e(
              0x800759FB,
              "E_PROXY_REAUTH_CAP_FAILED",
              "reauthorization against the CAP failed",
              CauseId.GATEWAY_FORBIDDEN.id(),
              "CAP"),
          e(
              0x800759FC,
              "E_PROXY_REAUTH_RAP_FAILED",
              "reauthorization against the RAP failed",
              CauseId.GATEWAY_FORBIDDEN.id(),
              "RAP"),
          e(
              0x80075A00,
              "E_PROXY_REAUTH_NAP_FAILED",
              "reauthorization against the health policy " + "failed",
              CauseId.GATEWAY_FORBIDDEN.id(),
              "CAP"),
          e(
              0x800759FD,
              "E_PROXY_SDR_NOT_SUPPORTED_BY_TS",
              "the target RDP server does not support what the gateway needs",
              CauseId.GATEWAY_ERROR.id(),
              "target"),
          e(
              0x800704D4,
              "E_PROXY_CONNECTIONABORTED",
              "the connection was aborted",
              CauseId.GATEWAY_ERROR.id(),
              "gateway"),
          e(
              0x80070005,
              "E_ACCESSDENIED",
              "access denied",
              CauseId.GATEWAY_AUTH_FAILED.id(),
              "gateway"));

  private static Map.Entry<Integer, ProxyError> e(
      int code, String name, String description, String cause, String side) {
    return Map.entry(code, new ProxyError(code, name, description, cause, side, true));
  }

  /** Any 32-bit value; unknown failures map to gateway-error, unknown successes to none. */
  public static ProxyError of(int code) {
    ProxyError p = KNOWN.get(code);
    if (p != null) {
      return p;
    }
    // Some are documented (and sent, per FreeRDP's tsg.h) as the bare code without the
    // FACILITY_WIN32 failure prefix, e.g. 0x59E6 for E_PROXY_MAXCONNECTIONSREACHED.
    if (code > 0 && code <= 0xFFFF && KNOWN.containsKey(0x80070000 | code)) {
      ProxyError full = KNOWN.get(0x80070000 | code);
      return new ProxyError(code, full.name, full.description, full.cause, full.side, true);
    }
    boolean failed = code < 0;
    return new ProxyError(
        code,
        "UNKNOWN(" + OpenCode.hex(code) + ")",
        failed ? "an HRESULT this catalogue does not know" : "success code",
        failed ? CauseId.GATEWAY_ERROR.id() : null,
        failed ? "gateway" : null,
        false);
  }

  /** A failure: the FAILED() bit, or a bare known E_PROXY code. */
  public boolean failed() {
    return code < 0 || (known && cause != null);
  }

  public String hex() {
    return OpenCode.hex(code);
  }

  /** Every known value (for explain and tests). */
  public static List<ProxyError> all() {
    return KNOWN.values().stream()
        .sorted(java.util.Comparator.comparingLong(p -> p.code & 0xFFFFFFFFL))
        .toList();
  }

  @Override
  public String toString() {
    return name + " (" + hex() + ")";
  }
}

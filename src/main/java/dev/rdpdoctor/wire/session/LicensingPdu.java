package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * Server licensing PDU ([MS-RDPBCGR] 2.2.1.12): basic security header with SEC_LICENSE_PKT, the
 * licensing preamble ([MS-RDPELE] 2.2.2 / [MS-RDPBCGR] 2.2.1.12.1.1) and, for an error alert,
 * LICENSE_ERROR_MESSAGE (2.2.1.12.1.3). STATUS_VALID_CLIENT with ST_NO_TRANSITION is how a server
 * says "no licensing needed"; anything else starts (or fails) a licensing exchange.
 *
 * <pre>
 * flags(2) flagsHi(2)                  basic security header, SEC_LICENSE_PKT (0x0080)
 * bMsgType(1) flags(1) wMsgSize(2)     preamble; wMsgSize counts from bMsgType
 * [bMsgType 0xFF ERROR_ALERT:]
 * dwErrorCode(4) dwStateTransition(4) bbErrorInfo: wBlobType(2) wBlobLen(2) blob
 * </pre>
 *
 * @param errorCode dwErrorCode for ERROR_ALERT, else null
 * @param stateTransition dwStateTransition for ERROR_ALERT, else null
 */
public record LicensingPdu(
    int msgType, int preambleFlags, int msgSize, Integer errorCode, Integer stateTransition) {
  public static final int SEC_LICENSE_PKT = 0x0080;
  public static final int LICENSE_REQUEST = 0x01;
  public static final int PLATFORM_CHALLENGE = 0x02;
  public static final int NEW_LICENSE = 0x03;
  public static final int UPGRADE_LICENSE = 0x04;
  public static final int ERROR_ALERT = 0xFF;
  public static final int STATUS_VALID_CLIENT = 0x00000007;
  public static final int ST_NO_TRANSITION = 0x00000002;

  /** True when the server said the client needs no licence (the usual TLS-era answer). */
  public boolean validClient() {
    return msgType == ERROR_ALERT
        && errorCode != null
        && errorCode == STATUS_VALID_CLIENT
        && stateTransition != null
        && stateTransition == ST_NO_TRANSITION;
  }

  public String describe() {
    return switch (msgType) {
      case LICENSE_REQUEST -> "LICENSE_REQUEST";
      case PLATFORM_CHALLENGE -> "PLATFORM_CHALLENGE";
      case NEW_LICENSE -> "NEW_LICENSE";
      case UPGRADE_LICENSE -> "UPGRADE_LICENSE";
      case ERROR_ALERT ->
          validClient()
              ? "STATUS_VALID_CLIENT"
              : "ERROR_ALERT "
                  + errorName(errorCode)
                  + String.format(" (state transition %d)", stateTransition);
      default -> String.format("msgType(0x%02x)", msgType);
    };
  }

  static String errorName(int code) {
    return switch (code) {
      case 0x01 -> "ERR_INVALID_SERVER_CERTIFICATE";
      case 0x02 -> "ERR_NO_LICENSE";
      case 0x03 -> "ERR_INVALID_MAC";
      case 0x04 -> "ERR_INVALID_SCOPE";
      case 0x06 -> "ERR_NO_LICENSE_SERVER";
      case 0x07 -> "STATUS_VALID_CLIENT";
      case 0x08 -> "ERR_INVALID_CLIENT";
      case 0x0B -> "ERR_INVALID_PRODUCTID";
      case 0x0C -> "ERR_INVALID_MESSAGE_LEN";
      default -> String.format("error(0x%x)", code);
    };
  }

  /** True when userData starts with a security header carrying SEC_LICENSE_PKT. */
  public static boolean isLicensing(byte[] userData) {
    return userData.length >= 4 && (userData[0] & SEC_LICENSE_PKT) != 0;
  }

  public static LicensingPdu decode(byte[] userData) throws MalformedPduException {
    ByteReader r = new ByteReader(userData);
    int secFlags = r.u16le("security header flags");
    r.u16le("security header flagsHi");
    if ((secFlags & SEC_LICENSE_PKT) == 0) {
      throw new MalformedPduException(
          String.format("security flags 0x%04x lack" + " SEC_LICENSE_PKT", secFlags), 0);
    }
    int type = r.u8("licensing bMsgType");
    int flags = r.u8("licensing flags");
    int size = r.u16le("licensing wMsgSize");
    if (size < 4 || size > r.remaining() + 4) {
      throw new MalformedPduException(
          "licensing wMsgSize " + size + " but " + (r.remaining() + 4) + " bytes", 6);
    }
    if (type != ERROR_ALERT) {
      return new LicensingPdu(type, flags, size, null, null);
    }
    int code = r.u32le("dwErrorCode");
    int transition = r.u32le("dwStateTransition");
    r.u16le("bbErrorInfo wBlobType");
    int blobLen = r.u16le("bbErrorInfo wBlobLen");
    r.skip(blobLen, "bbErrorInfo blob");
    return new LicensingPdu(type, flags, size, code, transition);
  }
}

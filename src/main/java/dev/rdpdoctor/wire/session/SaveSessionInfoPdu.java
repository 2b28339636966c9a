package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * Save Session Info PDU ([MS-RDPBCGR] 2.2.10.1): logon notification, or with
 * INFOTYPE_LOGON_EXTENDED_INFO and LOGON_EX_LOGONERRORS (2.2.10.1.1.4.1.1) the server's logon error
 * notification (for example "disconnect refused" or "other user is logged on").
 *
 * <pre>
 * share control header (6) + share data header (12), pduType2 = 0x26
 * infoType(4)
 * [INFOTYPE_LOGON_EXTENDED_INFO (3):]
 * Length(2) FieldsPresent(4)
 *   [LOGON_EX_AUTORECONNECTCOOKIE 0x1:] cbFieldData(4) cookie
 *   [LOGON_EX_LOGONERRORS 0x2:] cbFieldData(4) ErrorNotificationType(4) ErrorNotificationData(4)
 * </pre>
 */
public record SaveSessionInfoPdu(int infoType, Integer logonErrorType, Integer logonErrorData) {
  public static final int INFOTYPE_LOGON_EXTENDED_INFO = 3;
  static final int LOGON_EX_AUTORECONNECTCOOKIE = 0x1;
  static final int LOGON_EX_LOGONERRORS = 0x2;
  static final int MAX_FIELD = 1024;

  public static SaveSessionInfoPdu decode(byte[] userData) throws MalformedPduException {
    ByteReader r = new ByteReader(userData);
    ShareControlHeader h = ShareControlHeader.read(r, userData.length);
    if (h.pduType2() == null || h.pduType2() != ShareControlHeader.PDUTYPE2_SAVE_SESSION_INFO) {
      throw new MalformedPduException(h.typeName() + " is not a Save Session Info PDU", 2);
    }
    int type = r.u32le("infoType");
    if (type != INFOTYPE_LOGON_EXTENDED_INFO) {
      return new SaveSessionInfoPdu(type, null, null);
    }
    r.u16le("Length");
    int present = r.u32le("FieldsPresent");
    if ((present & LOGON_EX_AUTORECONNECTCOOKIE) != 0) {
      int len = r.u32le("autoreconnect cbFieldData");
      if (len < 0 || len > MAX_FIELD) {
        throw new MalformedPduException(
            "autoreconnect cbFieldData " + len + " beyond cap", r.position() - 4);
      }
      r.skip(len, "autoreconnect cookie");
    }
    if ((present & LOGON_EX_LOGONERRORS) == 0) {
      return new SaveSessionInfoPdu(type, null, null);
    }
    int len = r.u32le("logon errors cbFieldData");
    if (len != 8) {
      throw new MalformedPduException(
          "logon errors cbFieldData " + len + " is not 8", r.position() - 4);
    }
    return new SaveSessionInfoPdu(
        type, r.u32le("ErrorNotificationType"), r.u32le("ErrorNotificationData"));
  }

  /** ErrorNotificationType names ([MS-RDPBCGR] 2.2.10.1.1.4.1.1). */
  public static String logonErrorName(int type) {
    return switch (type) {
      case 0xFFFFFFFB -> "LOGON_MSG_SESSION_BUSY_OPTIONS";
      case 0xFFFFFFFC -> "LOGON_MSG_DISCONNECT_REFUSED";
      case 0xFFFFFFFD -> "LOGON_MSG_NO_PERMISSION";
      case 0xFFFFFFFE -> "LOGON_MSG_BUMP_OPTIONS";
      case 0xFFFFFFFF -> "LOGON_MSG_RECONNECT_OPTIONS";
      case 0x00000000 -> "LOGON_FAILED_BAD_PASSWORD";
      case 0x00000001 -> "LOGON_FAILED_UPDATE_PASSWORD";
      case 0x00000002 -> "LOGON_FAILED_OTHER";
      case 0x00000003 -> "LOGON_WARNING";
      default -> String.format("type(0x%X)", type);
    };
  }
}

package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;

/**
 * Set Error Info PDU ([MS-RDPBCGR] 2.2.5.1.1): the server's reason for the disconnect it is about
 * to make, sent only to a client that set RNS_UD_CS_SUPPORT_ERRINFO_PDU.
 *
 * <pre>
 * share control header (6), type PDUTYPE_DATAPDU
 * share data header (12), pduType2 = PDUTYPE2_SET_ERROR_INFO_PDU (0x2F)
 * errorInfo(4)
 * </pre>
 */
public record SetErrorInfoPdu(int shareId, int errorInfo) {
  public static SetErrorInfoPdu decode(byte[] userData) throws MalformedPduException {
    ByteReader r = new ByteReader(userData);
    ShareControlHeader h = ShareControlHeader.read(r, userData.length);
    if (h.pduType2() == null || h.pduType2() != ShareControlHeader.PDUTYPE2_SET_ERROR_INFO_PDU) {
      throw new MalformedPduException(h.typeName() + " is not a Set Error Info PDU", 2);
    }
    return new SetErrorInfoPdu(h.shareId(), r.u32le("errorInfo"));
  }
}

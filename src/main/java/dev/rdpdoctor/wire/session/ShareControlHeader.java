package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Share Control Header ([MS-RDPBCGR] 2.2.8.1.1.1.1) and, for PDUTYPE_DATAPDU, the Share Data Header
 * (2.2.8.1.1.1.2) behind it. On a TLS connection after licensing no security header precedes it.
 *
 * <pre>
 * totalLength(2) pduType(2) pduSource(2)            share control header
 *                 pduType = type (4 bits) | TS_PROTOCOL_VERSION (0x10)
 *                 (Windows 2008 sends some types with the version bits 0: the type is the
 *                 low four bits, as other clients read it)
 * [PDUTYPE_DATAPDU:]
 * shareId(4) pad1(1) streamId(1) uncompressedLength(2) pduType2(1)
 * compressedType(1) compressedLength(2)              share data header
 * </pre>
 *
 * @param pduType2 the data PDU type, null unless type is PDUTYPE_DATAPDU
 * @param shareId the share id of a data PDU, null otherwise
 */
public record ShareControlHeader(
    int totalLength,
    int type,
    int pduSource,
    Integer shareId,
    Integer pduType2,
    Integer compressedType) {
  public static final int TS_PROTOCOL_VERSION = 0x0010;
  public static final int PDUTYPE_DEMANDACTIVEPDU = 0x1;
  public static final int PDUTYPE_DEACTIVATEALLPDU = 0x6;
  public static final int PDUTYPE_DATAPDU = 0x7;
  public static final int PDUTYPE_SERVER_REDIR_PKT = 0xA;
  public static final int PDUTYPE2_SAVE_SESSION_INFO = 0x26;
  public static final int PDUTYPE2_SET_ERROR_INFO_PDU = 0x2F;

  /** totalLength of a flow-control PDU (2.2.8.1.1.1.1): not a share control PDU at all. */
  public static final int FLOW_MARKER = 0x8000;

  /** A flow-control PDU's whole length (2.2.8.1.1.1.1: marker, pad, type, id, number, source). */
  static final int FLOW_LENGTH = 8;

  public static final int CONTROL_LENGTH = 6;

  /** pduType's type bits; the rest is the version ([MS-RDPBCGR] 2.2.8.1.1.1.1). */
  public static final int TYPE_MASK = 0x000F;

  /** Share control PDUs one Send Data Indication may carry; Windows packs a handful. */
  public static final int MAX_PACKED = 64;

  public static final int DATA_LENGTH = CONTROL_LENGTH + 12;

  /**
   * True when userData starts like a share control PDU: a totalLength that fits, and a pduType with
   * a known version (TS_PROTOCOL_VERSION, or 0 as Windows 2008 sends) and a non-zero type. A
   * licensing PDU's flagsHi (0) never does.
   */
  public static boolean looksLike(byte[] d) {
    if (d.length < CONTROL_LENGTH) {
      return false;
    }
    int total = (d[0] & 0xFF) | (d[1] & 0xFF) << 8;
    int type = (d[2] & 0xFF) | (d[3] & 0xFF) << 8;
    return total >= CONTROL_LENGTH
        && total <= d.length
        && versionOk(type)
        && (type & TYPE_MASK) != 0;
  }

  private static boolean versionOk(int pduType) {
    int version = pduType & ~TYPE_MASK;
    return version == TS_PROTOCOL_VERSION || version == 0;
  }

  /**
   * The share control PDUs of one Send Data Indication's userData, in order: Windows packs several
   * into one, each with its own totalLength, and flow-control PDUs may sit between them. The
   * lengths must tile the data exactly.
   */
  public static List<byte[]> split(byte[] userData) throws MalformedPduException {
    List<byte[]> out = new ArrayList<>();
    int at = 0;
    while (at < userData.length) {
      if (out.size() >= MAX_PACKED) {
        throw new MalformedPduException(
            "more than " + MAX_PACKED + " share control PDUs in" + " one Send Data", at);
      }
      if (userData.length - at < CONTROL_LENGTH) {
        throw new MalformedPduException(
            (userData.length - at) + " bytes after the last share" + " control PDU", at);
      }
      int total = (userData[at] & 0xFF) | (userData[at + 1] & 0xFF) << 8;
      if (total == FLOW_MARKER) {
        at += Math.min(FLOW_LENGTH, userData.length - at);
        continue;
      }
      if (total < CONTROL_LENGTH || total > userData.length - at) {
        throw new MalformedPduException(
            "share control totalLength " + total + " but " + (userData.length - at) + " bytes left",
            at);
      }
      out.add(Arrays.copyOfRange(userData, at, at + total));
      at += total;
    }
    return List.copyOf(out);
  }

  /** Reads the headers and leaves r at the PDU body. */
  public static ShareControlHeader read(ByteReader r, int available) throws MalformedPduException {
    int total = r.u16le("totalLength");
    if (total == FLOW_MARKER) {
      throw new MalformedPduException("a flow-control PDU, not a share control PDU", 0);
    }
    if (total != available) {
      throw new MalformedPduException(
          "share control totalLength " + total + " but " + available + " bytes", 0);
    }
    int pduType = r.u16le("pduType");
    if (!versionOk(pduType)) {
      throw new MalformedPduException(
          String.format("pduType 0x%04x has an unknown version", pduType), 2);
    }
    int source = r.u16le("pduSource");
    int type = pduType & TYPE_MASK;
    if (type != PDUTYPE_DATAPDU) {
      return new ShareControlHeader(total, type, source, null, null, null);
    }
    int shareId = r.u32le("shareId");
    r.u8("pad1");
    r.u8("streamId");
    r.u16le("uncompressedLength");
    int type2 = r.u8("pduType2");
    int compressed = r.u8("compressedType");
    r.u16le("compressedLength");
    return new ShareControlHeader(total, type, source, shareId, type2, compressed);
  }

  public String typeName() {
    return switch (type) {
      case PDUTYPE_DEMANDACTIVEPDU -> "Demand Active";
      case 0x3 -> "Confirm Active";
      case PDUTYPE_DEACTIVATEALLPDU -> "Deactivate All";
      case PDUTYPE_DATAPDU -> String.format("Data PDU (pduType2 0x%02X)", pduType2);
      case PDUTYPE_SERVER_REDIR_PKT -> "Server Redirection";
      default -> String.format("pduType(0x%X)", type);
    };
  }
}

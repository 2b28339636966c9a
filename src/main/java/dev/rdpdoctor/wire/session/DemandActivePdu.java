package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import java.util.ArrayList;
import java.util.List;

/**
 * Server Demand Active PDU ([MS-RDPBCGR] 2.2.1.13.1.1): the server has accepted the session and
 * lists its capabilities. Reaching it is as far as this probe goes.
 *
 * <pre>
 * share control header (6), type PDUTYPE_DEMANDACTIVEPDU
 * shareId(4) lengthSourceDescriptor(2) lengthCombinedCapabilities(2)
 * sourceDescriptor(lengthSourceDescriptor)
 * numberCapabilities(2) pad2Octets(2)                 } lengthCombinedCapabilities
 * capabilitySets: { capabilitySetType(2) lengthCapability(2) data } * numberCapabilities
 * sessionId(4)
 * </pre>
 */
public record DemandActivePdu(
    int shareId,
    int pduSource,
    String sourceDescriptor,
    List<Integer> capabilityTypes,
    Integer sessionId) {
  /** More capability sets than any server sends (Windows sends about 20). */
  public static final int MAX_CAPABILITIES = 64;

  public static final int MAX_SOURCE_DESCRIPTOR = 64;

  public static DemandActivePdu decode(byte[] userData) throws MalformedPduException {
    ByteReader r = new ByteReader(userData);
    ShareControlHeader h = ShareControlHeader.read(r, userData.length);
    if (h.type() != ShareControlHeader.PDUTYPE_DEMANDACTIVEPDU) {
      throw new MalformedPduException(h.typeName() + " is not a Demand Active PDU", 2);
    }
    int shareId = r.u32le("shareId");
    int lenSource = r.u16le("lengthSourceDescriptor");
    int lenCaps = r.u16le("lengthCombinedCapabilities");
    if (lenSource > MAX_SOURCE_DESCRIPTOR) {
      throw new MalformedPduException(
          "lengthSourceDescriptor " + lenSource + " beyond cap " + MAX_SOURCE_DESCRIPTOR,
          r.position() - 4);
    }
    byte[] src = r.bytes(lenSource, "sourceDescriptor");
    r.require(lenCaps, "combined capabilities");
    int capsEnd = r.position() + lenCaps;
    int count = r.u16le("numberCapabilities");
    r.u16le("pad2Octets");
    if (count > MAX_CAPABILITIES) {
      throw new MalformedPduException(
          "numberCapabilities " + count + " beyond cap " + MAX_CAPABILITIES, r.position() - 4);
    }
    List<Integer> types = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int type = r.u16le("capabilitySetType");
      int len = r.u16le("lengthCapability");
      if (len < 4) {
        throw new MalformedPduException(
            "capability set " + type + " length " + len + " below its own header",
            r.position() - 2);
      }
      r.skip(len - 4, "capability set data");
      types.add(type);
    }
    if (r.position() != capsEnd) {
      throw new MalformedPduException(
          "capability sets end at "
              + r.position()
              + " but lengthCombinedCapabilities says "
              + capsEnd,
          r.position());
    }
    Integer session = r.remaining() >= 4 ? r.u32le("sessionId") : null;
    int n = src.length;
    while (n > 0 && src[n - 1] == 0) {
      n--;
    }
    return new DemandActivePdu(
        shareId,
        h.pduSource(),
        new String(src, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1),
        List.copyOf(types),
        session);
  }

  /** Capability set names ([MS-RDPBCGR] 2.2.1.13.1.1.1), for the evidence. */
  public static String capabilityName(int type) {
    return switch (type) {
      case 0x01 -> "General";
      case 0x02 -> "Bitmap";
      case 0x03 -> "Order";
      case 0x04 -> "BitmapCache";
      case 0x05 -> "Control";
      case 0x07 -> "Activation";
      case 0x08 -> "Pointer";
      case 0x09 -> "Share";
      case 0x0A -> "ColorCache";
      case 0x0C -> "Sound";
      case 0x0D -> "Input";
      case 0x0E -> "Font";
      case 0x0F -> "Brush";
      case 0x10 -> "GlyphCache";
      case 0x11 -> "OffscreenCache";
      case 0x12 -> "BitmapCacheHostSupport";
      case 0x13 -> "BitmapCacheRev2";
      case 0x14 -> "VirtualChannel";
      case 0x15 -> "DrawNineGridCache";
      case 0x16 -> "DrawGdiPlus";
      case 0x17 -> "Rail";
      case 0x18 -> "Window";
      case 0x19 -> "CompDesk";
      case 0x1A -> "MultifragmentUpdate";
      case 0x1B -> "LargePointer";
      case 0x1C -> "SurfaceCommands";
      case 0x1D -> "BitmapCodecs";
      case 0x1E -> "FrameAcknowledge";
      default -> String.format("type(0x%X)", type);
    };
  }
}

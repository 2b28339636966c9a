package dev.rdpdoctor.wire;

import static dev.rdpdoctor.wire.Le.u16;
import static dev.rdpdoctor.wire.Le.u32;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * MCS Connect Initial PDU with GCC Conference Create Request ([MS-RDPBCGR] 2.2.1.3): BER for MCS
 * (T.125), PER for GCC (T.124), then the client data blocks.
 *
 * <pre>
 * 7F 65 len                      Connect-Initial [APPLICATION 101]
 *   04 01 01  04 01 01  01 01 FF callingDomainSelector, calledDomainSelector, upwardFlag
 *   30 ..  30 ..  30 ..          target / minimum / maximum DomainParameters (8 INTEGERs)
 *   04 len                       userData: GCC ConnectData (PER)
 *     00 05 00 14 7C 00 01       t124Identifier {0 0 20 124 0 1}
 *     len(2)                     connectPDU length
 *     00 08 00 10 00 01 C0 00    ConferenceCreateRequest, conferenceName "1", userData set of 1
 *     44 75 63 61                h221NonStandard key "Duca"
 *     len(2)                     client data blocks:
 *       CS_CORE     (C001, 216)  version, desktop, colour, ... earlyCapabilityFlags,
 *                                 serverSelectedProtocol (echoes the X.224 negotiation)
 *       CS_SECURITY (C002, 12)   encryptionMethods, extEncryptionMethods
 *       CS_NET      (C003, 8)    channelCount = 0
 *       CS_MULTITRANSPORT (C00A, 8) flags (only when non-zero: the server answers
 *                                 SC_MULTITRANSPORT only to a client that sent it)
 *       CS_CLUSTER  (C004, 12)   Flags, RedirectedSessionID = 0 (2.2.1.3.5; only when the
 *                                 flags are non-zero: a client that announces
 *                                 REDIRECTION_SUPPORTED gets a broker's Server Redirection PDU)
 * </pre>
 *
 * @param encryptionMethods ENCRYPTION_METHOD_* the client offers (0 = none)
 * @param serverSelectedProtocol the selectedProtocol of the Connection Confirm
 * @param earlyCapabilityFlags RNS_UD_CS_* (ERRINFO_PDU asks for Set Error Info PDUs)
 * @param multitransportFlags TRANSPORTTYPE_* offered, 0 for no CS_MULTITRANSPORT block
 * @param clusterFlags TS_UD_CS_CLUSTER Flags, 0 for no CS_CLUSTER block
 */
public record McsConnectInitial(
    int encryptionMethods,
    int serverSelectedProtocol,
    int earlyCapabilityFlags,
    int multitransportFlags,
    int clusterFlags) {
  /**
   * REDIRECTION_SUPPORTED (0x1) with ServerSessionRedirectionVersionMask REDIRECTION_VERSION5 (0x04
   * << 2): what a client without multitransport announces (VERSION6 needs it).
   */
  public static final int CLUSTER_REDIRECTION_SUPPORTED_V5 = 0x01 | 0x04 << 2;

  public static final int CS_CLUSTER = 0xC004;

  /** Without a CS_CLUSTER block. */
  public McsConnectInitial(
      int encryptionMethods,
      int serverSelectedProtocol,
      int earlyCapabilityFlags,
      int multitransportFlags) {
    this(encryptionMethods, serverSelectedProtocol, earlyCapabilityFlags, multitransportFlags, 0);
  }

  public static final int ENCRYPTION_METHOD_NONE = 0;
  public static final int ENCRYPTION_METHOD_40BIT = 0x01;
  public static final int ENCRYPTION_METHOD_128BIT = 0x02;
  public static final int ENCRYPTION_METHOD_56BIT = 0x08;
  public static final int ENCRYPTION_METHOD_FIPS = 0x10;
  public static final int RNS_UD_CS_SUPPORT_ERRINFO_PDU = 0x0001;
  public static final int TRANSPORTTYPE_UDPFECR = 0x01;
  public static final int TRANSPORTTYPE_UDPFECL = 0x04;
  public static final int TRANSPORTTYPE_UDP_PREFERRED = 0x100;

  /** RDP 5.0 and later: the version every current client announces in CS_CORE. */
  public static final int RDP_VERSION_5_PLUS = 0x00080004;

  public static final int CS_CORE = 0xC001;
  public static final int CS_SECURITY = 0xC002;
  public static final int CS_NET = 0xC003;
  public static final int CS_MULTITRANSPORT = 0xC00A;
  static final int CS_CORE_LENGTH = 216;
  private static final byte[] T124_OID = {0x00, 0x05, 0x00, 0x14, 0x7C, 0x00, 0x01};
  private static final byte[] CCR_HEADER = {
    0x00, 0x08, 0x00, 0x10, 0x00, 0x01, (byte) 0xC0, 0x00, 0x44, 0x75, 0x63, 0x61
  };
  private static final String CLIENT_NAME = "rdpdoctor";

  /** The whole TPKT / X.224 Data framed PDU. */
  public byte[] encode() {
    byte[] blocks = clientDataBlocks();
    ByteArrayOutputStream gcc = new ByteArrayOutputStream();
    gcc.writeBytes(T124_OID);
    Per.writeLong(gcc, CCR_HEADER.length + 2 + blocks.length);
    gcc.writeBytes(CCR_HEADER);
    Per.writeLong(gcc, blocks.length);
    gcc.writeBytes(blocks);

    ByteArrayOutputStream ci = new ByteArrayOutputStream();
    ci.writeBytes(Ber.tlv(Ber.TAG_OCTET_STRING, new byte[] {1}));
    ci.writeBytes(Ber.tlv(Ber.TAG_OCTET_STRING, new byte[] {1}));
    ci.writeBytes(Ber.tlv(Ber.TAG_BOOLEAN, new byte[] {(byte) 0xFF}));
    // the parameter sets mstsc sends (MS-RDPBCGR 4.1.3)
    ci.writeBytes(domainParameters(34, 2, 0, 1, 0, 1, 0xFFFF, 2));
    ci.writeBytes(domainParameters(1, 1, 1, 1, 0, 1, 0x420, 2));
    ci.writeBytes(domainParameters(0xFFFF, 0xFC17, 0xFFFF, 1, 0, 1, 0xFFFF, 2));
    ci.writeBytes(Ber.tlv(Ber.TAG_OCTET_STRING, gcc.toByteArray()));
    return X224Data.frame(Ber.tlv(McsConnectResponse.TAG_CONNECT_INITIAL, ci.toByteArray()));
  }

  private byte[] clientDataBlocks() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    header(b, CS_CORE, CS_CORE_LENGTH);
    u32(b, RDP_VERSION_5_PLUS);
    u16(b, 1024);
    u16(b, 768);
    u16(b, 0xCA01); // RNS_UD_COLOR_8BPP: the legacy field; postBeta2 and highColor say more
    u16(b, 0xAA03); // RNS_UD_SAS_DEL
    u32(b, 0x409); // en-US keyboard
    u32(b, 2600); // clientBuild
    fixedUtf16(b, CLIENT_NAME, 32);
    u32(b, 4); // IBM enhanced 101/102-key keyboard
    u32(b, 0);
    u32(b, 12);
    b.writeBytes(new byte[64]); // imeFileName
    u16(b, 0xCA01); // postBeta2ColorDepth
    u16(b, 1); // clientProductId
    u32(b, 0); // serialNumber
    u16(b, 24); // highColorDepth
    u16(b, 0x000F); // supportedColorDepths: 24, 16, 15, 32 bpp
    u16(b, earlyCapabilityFlags);
    b.writeBytes(new byte[64]); // clientDigProductId
    b.write(0); // connectionType (not valid: RNS_UD_CS_VALID_CONNECTION_TYPE unset)
    b.write(0); // pad1octet
    u32(b, serverSelectedProtocol);

    header(b, CS_SECURITY, 12);
    u32(b, encryptionMethods);
    u32(b, 0); // extEncryptionMethods: French locale only

    header(b, CS_NET, 8);
    u32(b, 0); // no static virtual channels: the probe needs none

    if (multitransportFlags != 0) {
      header(b, CS_MULTITRANSPORT, 8);
      u32(b, multitransportFlags);
    }
    if (clusterFlags != 0) {
      header(b, CS_CLUSTER, 12);
      u32(b, clusterFlags);
      u32(b, 0); // RedirectedSessionID: REDIRECTED_SESSIONID_FIELD_VALID is not set
    }
    return b.toByteArray();
  }

  private static byte[] domainParameters(int... v) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int x : v) {
      b.writeBytes(Ber.integer(x));
    }
    return Ber.tlv(Ber.TAG_SEQUENCE, b.toByteArray());
  }

  private static void header(ByteArrayOutputStream b, int type, int length) {
    u16(b, type);
    u16(b, length);
  }

  private static void fixedUtf16(ByteArrayOutputStream b, String s, int size) {
    byte[] out = new byte[size];
    byte[] text = s.getBytes(StandardCharsets.UTF_16LE);
    // the last two bytes stay zero: the field is null-terminated
    System.arraycopy(text, 0, out, 0, Math.min(text.length, size - 2));
    b.writeBytes(out);
  }
}

package dev.rdpdoctor.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * MCS Connect Response PDU with GCC Conference Create Response ([MS-RDPBCGR] 2.2.1.4) and the
 * server data blocks in it (2.2.1.4.2 .. 2.2.1.4.6).
 *
 * <pre>
 * 7F 66 len                       Connect-Response [APPLICATION 102]
 *   0A 01 rr                      result (0 = rt-successful)
 *   02 01 00                      calledConnectId
 *   30 len ...                    domainParameters
 *   04 len                        userData: GCC ConnectData (PER)
 *     00 05 00 14 7C 00 01        t124Identifier
 *     len                         connectPDU length (PER: 1 or 2 bytes)
 *     14 nn nn                    ConferenceCreateResponse choice, nodeID
 *     01 tt                       tag (PER integer: length, value)
 *     rr 01 C0                    result, set of 1, choice
 *     00 4D 63 44 6E              h221NonStandard key "McDn"
 *     len                         server data blocks, each: type u16 | length u16 | body
 *       SC_CORE     0C01 version u32 [clientRequestedProtocols u32 [earlyCapabilityFlags u32]]
 *       SC_SECURITY 0C02 encryptionMethod u32 | encryptionLevel u32 [| serverRandomLen u32 |
 *                        serverCertLen u32 | serverRandom | serverCertificate]
 *       SC_NET      0C03 MCSChannelId u16 | channelCount u16 | channelIdArray u16 * n [| pad]
 *       SC_MULTITRANSPORT 0C08 flags u32
 * </pre>
 *
 * @param result the MCS result (0 rt-successful; others refuse the connection)
 * @param core SC_CORE, null when absent (with a refusing result)
 * @param security SC_SECURITY, null when absent
 * @param network SC_NET, null when absent
 * @param multitransportFlags SC_MULTITRANSPORT flags, null when the block is absent
 * @param unknownBlocks types of blocks this decoder does not know, in order
 */
public record McsConnectResponse(
    int result,
    ServerCore core,
    ServerSecurity security,
    ServerNetwork network,
    Integer multitransportFlags,
    List<Integer> unknownBlocks) {
  public static final int TAG_CONNECT_INITIAL = 0x7F65;
  public static final int TAG_CONNECT_RESPONSE = 0x7F66;
  public static final int SC_CORE = 0x0C01;
  public static final int SC_SECURITY = 0x0C02;
  public static final int SC_NET = 0x0C03;
  public static final int SC_MULTITRANSPORT = 0x0C08;
  static final String[] RESULTS = {
    "rt-successful",
    "rt-domain-merging",
    "rt-domain-not-hierarchical",
    "rt-no-such-channel",
    "rt-no-such-domain",
    "rt-no-such-user",
    "rt-not-admitted",
    "rt-other-user-id",
    "rt-parameters-unacceptable",
    "rt-token-not-available",
    "rt-token-not-possessed",
    "rt-too-many-channels",
    "rt-too-many-tokens",
    "rt-too-many-users",
    "rt-unspecified-failure",
    "rt-user-rejected"
  };

  /** Static channels: 31 at most ([MS-RDPBCGR] 2.2.1.3.4); a little slack for odd servers. */
  static final int MAX_CHANNELS = 64;

  /** Windows sends 32 bytes of server random. */
  static final int MAX_SERVER_RANDOM = 64;

  /** Proprietary certificates are ~200 bytes; X.509 chains a few KB. */
  static final int MAX_SERVER_CERT = 16 * 1024;

  /** The number of data blocks a server could sensibly send. */
  static final int MAX_BLOCKS = 32;

  /** SC_CORE: version and, when present, the echo of the client's requestedProtocols. */
  public record ServerCore(
      int version, Integer clientRequestedProtocols, Integer earlyCapabilityFlags) {}

  /**
   * SC_SECURITY; serverRandom and certificate only with a non-zero method and level.
   *
   * @param serverRandom the 32 random bytes the session keys are derived from (5.3.5)
   */
  public record ServerSecurity(
      int encryptionMethod,
      int encryptionLevel,
      Integer serverRandomLength,
      byte[] serverRandom,
      ServerCertificate certificate) {}

  /** SC_NET: the I/O channel and the ids given to the client's static channels. */
  public record ServerNetwork(int ioChannelId, List<Integer> channelIds) {}

  public String resultName() {
    return result >= 0 && result < RESULTS.length ? RESULTS[result] : "result(" + result + ")";
  }

  /** Decodes a whole TPKT / X.224 Data framed PDU. */
  public static McsConnectResponse decode(byte[] pdu) throws MalformedPduException {
    byte[] mcs = X224Data.payload(pdu);
    int base = X224Data.OVERHEAD;
    ByteReader r = new ByteReader(mcs);
    int len = Ber.expect(r, TAG_CONNECT_RESPONSE, "Connect-Response");
    r = new ByteReader(mcs, r.position(), len);
    int result = (int) Ber.unsigned(r, Ber.TAG_ENUMERATED, "result");
    Ber.unsigned(r, Ber.TAG_INTEGER, "calledConnectId");
    r.skip(Ber.expect(r, Ber.TAG_SEQUENCE, "domainParameters"), "domainParameters");
    int udLen = Ber.expect(r, Ber.TAG_OCTET_STRING, "userData");
    int udAt = r.position();
    byte[] gcc = r.bytes(udLen, "userData");
    try {
      return gcc(result, gcc);
    } catch (MalformedPduException e) {
      throw new MalformedPduException("GCC: " + e.getMessage(), base + udAt + e.offset());
    }
  }

  private static McsConnectResponse gcc(int result, byte[] gcc) throws MalformedPduException {
    ByteReader r = new ByteReader(gcc);
    r.u8("ConnectData choice");
    int oidLen = r.u8("t124Identifier length");
    r.skip(oidLen, "t124Identifier");
    Per.readLength(r, "connectPDU length");
    int choice = r.u8("ConnectGCCPDU choice");
    if (choice != 0x14) {
      throw new MalformedPduException(
          String.format("GCC choice 0x%02x is not a Conference" + " Create Response", choice),
          r.position() - 1);
    }
    r.u16be("nodeID");
    int tagLen = r.u8("tag length");
    r.skip(tagLen, "tag");
    r.u8("GCC result");
    r.u8("userData set count");
    r.u8("userData choice");
    int keyLen = r.u8("h221 key length") + 4;
    byte[] key = r.bytes(keyLen, "h221 key");
    if (!new String(key, java.nio.charset.StandardCharsets.US_ASCII).equals("McDn")) {
      throw new MalformedPduException("h221 key is not McDn", r.position() - keyLen);
    }
    int blocksLen = Per.readLength(r, "server data length");
    r.require(blocksLen, "server data blocks");
    ByteReader b = new ByteReader(gcc, r.position(), blocksLen);
    ServerCore core = null;
    ServerSecurity sec = null;
    ServerNetwork net = null;
    Integer mt = null;
    List<Integer> unknown = new ArrayList<>();
    for (int i = 0; b.remaining() > 0; i++) {
      if (i >= MAX_BLOCKS) {
        throw new MalformedPduException(
            "more than " + MAX_BLOCKS + " server data blocks", b.position());
      }
      int at = b.position();
      int type = b.u16le("block type");
      int blen = b.u16le("block length");
      if (blen < 4) {
        throw new MalformedPduException(
            "block length " + blen + " is shorter than its header", at + 2);
      }
      ByteReader body = new ByteReader(b.bytes(blen - 4, String.format("block 0x%04x", type)));
      switch (type) {
        case SC_CORE -> core = core(body);
        case SC_SECURITY -> sec = security(body);
        case SC_NET -> net = network(body);
        case SC_MULTITRANSPORT -> mt = body.u32le("multitransport flags");
        default -> unknown.add(type);
      }
    }
    return new McsConnectResponse(result, core, sec, net, mt, List.copyOf(unknown));
  }

  private static ServerCore core(ByteReader r) throws MalformedPduException {
    int version = r.u32le("SC_CORE version");
    Integer requested = r.remaining() >= 4 ? r.u32le("clientRequestedProtocols") : null;
    Integer early = r.remaining() >= 4 ? r.u32le("earlyCapabilityFlags") : null;
    return new ServerCore(version, requested, early);
  }

  private static ServerSecurity security(ByteReader r) throws MalformedPduException {
    int method = r.u32le("encryptionMethod");
    int level = r.u32le("encryptionLevel");
    if (method == 0 && level == 0 || r.remaining() == 0) {
      return new ServerSecurity(method, level, null, null, null);
    }
    int randomLen = r.u32le("serverRandomLen");
    int certLen = r.u32le("serverCertLen");
    if (randomLen < 0 || randomLen > MAX_SERVER_RANDOM) {
      throw new MalformedPduException(
          "serverRandomLen "
              + Integer.toUnsignedString(randomLen)
              + " beyond cap "
              + MAX_SERVER_RANDOM,
          r.position() - 8);
    }
    if (certLen < 0 || certLen > MAX_SERVER_CERT) {
      throw new MalformedPduException(
          "serverCertLen " + Integer.toUnsignedString(certLen) + " beyond cap " + MAX_SERVER_CERT,
          r.position() - 4);
    }
    byte[] random = r.bytes(randomLen, "serverRandom");
    ServerCertificate cert = ServerCertificate.decode(r.bytes(certLen, "serverCertificate"));
    return new ServerSecurity(method, level, randomLen, random, cert);
  }

  private static ServerNetwork network(ByteReader r) throws MalformedPduException {
    int io = r.u16le("MCSChannelId");
    int count = r.u16le("channelCount");
    if (count > MAX_CHANNELS) {
      throw new MalformedPduException(
          "channelCount " + count + " beyond cap " + MAX_CHANNELS, r.position() - 2);
    }
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(r.u16le("channel id"));
    }
    return new ServerNetwork(io, List.copyOf(ids));
  }
}

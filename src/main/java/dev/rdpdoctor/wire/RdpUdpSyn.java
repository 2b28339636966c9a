package dev.rdpdoctor.wire;

/**
 * The first datagram of RDP over UDP ([MS-RDPEUDP] 3.1.5.1.1) and the server's SYN+ACK
 * ([MS-RDPEUDP] 3.1.5.1.2): an RDPUDP_FEC_HEADER (2.2.2.1) followed by an RDPUDP_SYNDATA_PAYLOAD
 * (2.2.2.5). Every field is in network byte order. The client's SYN is zero-padded to exactly
 * {@link #SYN_DATAGRAM_LENGTH} bytes so the server learns that such datagrams pass; optional
 * trailing payloads (CORRELATION_ID, SYNDATAEX) are not parsed, only tolerated.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 snSourceAck (SYN: 0xFFFFFFFF)                 |  FEC header
 * +-------------------------------+-------------------------------+
 * |      uReceiveWindowSize       |            uFlags             |
 * +-------------------------------+-------------------------------+
 * |                    snInitialSequenceNumber                    |  SYNDATA payload
 * +-------------------------------+-------------------------------+
 * |         uUpStreamMtu          |        uDownStreamMtu         |
 * +-------------------------------+-------------------------------+
 * |  optional payloads, then zero padding up to 1232 bytes (SYN)  |
 * </pre>
 *
 * @param snSourceAck 0xFFFFFFFF in a SYN; the client's initial sequence number in a SYN+ACK
 * @param flags RDPUDP_FLAG_* bits
 * @param upStreamMtu MTU for datagrams the client sends, 1132..1232
 * @param downStreamMtu MTU for datagrams the server sends, 1132..1232
 */
public record RdpUdpSyn(
    int snSourceAck,
    int receiveWindowSize,
    int flags,
    int initialSequenceNumber,
    int upStreamMtu,
    int downStreamMtu) {

  public static final int FLAG_SYN = 0x0001;
  public static final int FLAG_FIN = 0x0002;
  public static final int FLAG_ACK = 0x0004;
  public static final int FLAG_DATA = 0x0008;
  public static final int FLAG_FEC = 0x0010;
  public static final int FLAG_CN = 0x0020;
  public static final int FLAG_CWR = 0x0040;
  public static final int FLAG_ACK_OF_ACKS = 0x0100;
  public static final int FLAG_SYNLOSSY = 0x0200;
  public static final int FLAG_ACKDELAYED = 0x0400;
  public static final int FLAG_CORRELATION_ID = 0x0800;
  public static final int FLAG_SYNEX = 0x1000;

  /** The SYN "MUST be padded with zeros to 1232 bytes" (3.1.5.1.1). */
  public static final int SYN_DATAGRAM_LENGTH = 1232;

  /** FEC header (8) + SYNDATA payload (8): everything this codec reads. */
  public static final int HEADER_LENGTH = 16;

  public static final int MIN_MTU = 1132;
  public static final int MAX_MTU = 1232;

  /** snSourceAck of a SYN: there is nothing to acknowledge yet. */
  public static final int NO_ACK = 0xFFFFFFFF;

  /** Larger datagrams than this are not RDP-UDP answers; stop reading rather than allocate. */
  public static final int MAX_DATAGRAM = 2048;

  /** A client SYN as mstsc sends it: reliable mode, window 64, both MTUs at the maximum. */
  public static RdpUdpSyn clientSyn(int initialSequenceNumber) {
    return new RdpUdpSyn(NO_ACK, 64, FLAG_SYN, initialSequenceNumber, MAX_MTU, MAX_MTU);
  }

  public boolean isSynAck() {
    return (flags & (FLAG_SYN | FLAG_ACK)) == (FLAG_SYN | FLAG_ACK);
  }

  /** The datagram bytes: the 16 header bytes, zero-padded to {@code length} (>= 16). */
  public byte[] encode(int length) {
    if (length < HEADER_LENGTH || length > MAX_DATAGRAM) {
      throw new IllegalArgumentException("datagram length " + length);
    }
    byte[] b = new byte[length];
    put32(b, 0, snSourceAck);
    put16(b, 4, receiveWindowSize);
    put16(b, 6, flags);
    put32(b, 8, initialSequenceNumber);
    put16(b, 12, upStreamMtu);
    put16(b, 14, downStreamMtu);
    return b;
  }

  /** A SYN padded as the spec requires. */
  public byte[] encode() {
    return encode(SYN_DATAGRAM_LENGTH);
  }

  /**
   * Decodes a SYN or SYN+ACK. Requires the SYN flag and the MTUs in the spec's range; anything else
   * from port 3389 is not an RDP-UDP answer.
   */
  public static RdpUdpSyn decode(byte[] buf, int length) throws MalformedPduException {
    if (length > MAX_DATAGRAM) {
      throw new MalformedPduException(
          "datagram of " + length + " bytes exceeds " + MAX_DATAGRAM, 0);
    }
    ByteReader r = new ByteReader(buf, 0, length);
    int ack = u32be(r, "snSourceAck");
    int window = r.u16be("uReceiveWindowSize");
    int flags = r.u16be("uFlags");
    if ((flags & FLAG_SYN) == 0) {
      throw new MalformedPduException(
          "uFlags 0x" + Integer.toHexString(flags) + " lack RDPUDP_FLAG_SYN", 6);
    }
    int isn = u32be(r, "snInitialSequenceNumber");
    int up = r.u16be("uUpStreamMtu");
    int down = r.u16be("uDownStreamMtu");
    if (up < MIN_MTU || up > MAX_MTU || down < MIN_MTU || down > MAX_MTU) {
      throw new MalformedPduException(
          "MTUs " + up + "/" + down + " outside " + MIN_MTU + ".." + MAX_MTU, 12);
    }
    return new RdpUdpSyn(ack, window, flags, isn, up, down);
  }

  private static int u32be(ByteReader r, String what) throws MalformedPduException {
    r.require(4, what);
    return (r.u16be(what) << 16) | r.u16be(what);
  }

  private static void put32(byte[] b, int at, int v) {
    put16(b, at, v >>> 16);
    put16(b, at + 2, v);
  }

  private static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }
}

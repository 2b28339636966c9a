package dev.rdpdoctor.probe.connect;

/** How the next server message is framed, so the driver knows how much to read. */
public enum Frame {
  /** A TPKT-framed PDU (X.224, MCS and everything after it), length-capped. */
  TPKT,
  /** One DER TSRequest ([MS-CSSP] 2.2.1), length-capped. */
  TS_REQUEST,
  /** The 4-byte Early User Authorization Result ([MS-RDPBCGR] 2.2.10.2). */
  EARLY_USER_AUTHORIZATION;

  /**
   * The cap on one TPKT frame past the negotiation: a Demand Active is about 500 bytes, a Connect
   * Response or licensing request with an X.509 chain a few KB.
   */
  public static final int MAX_TPKT = 32 * 1024;
}

package dev.rdpdoctor.wire.security;

import dev.rdpdoctor.codes.FlagNames;

/**
 * The flags of the Basic Security Header ([MS-RDPBCGR] 2.2.8.1.1.2.1). Open set: an unknown bit is
 * kept and printed in hex, never an error.
 */
public final class SecurityFlags {
  public static final int SEC_EXCHANGE_PKT = 0x0001;
  public static final int SEC_TRANSPORT_REQ = 0x0002;
  public static final int SEC_TRANSPORT_RSP = 0x0004;
  public static final int SEC_ENCRYPT = 0x0008;
  public static final int SEC_RESET_SEQNO = 0x0010;
  public static final int SEC_IGNORE_SEQNO = 0x0020;
  public static final int SEC_INFO_PKT = 0x0040;
  public static final int SEC_LICENSE_PKT = 0x0080;

  /** Client to server: the client can take encrypted licensing PDUs (same bit as _CS). */
  public static final int SEC_LICENSE_ENCRYPT_SC = 0x0200;

  /** Server to client: this licensing PDU is encrypted. */
  public static final int SEC_LICENSE_ENCRYPT_CS = 0x0200;

  public static final int SEC_REDIRECTION_PKT = 0x0400;
  public static final int SEC_SECURE_CHECKSUM = 0x0800;
  public static final int SEC_AUTODETECT_REQ = 0x1000;
  public static final int SEC_AUTODETECT_RSP = 0x2000;
  public static final int SEC_HEARTBEAT = 0x4000;
  public static final int SEC_FLAGSHI_VALID = 0x8000;

  private static final int[] BITS = {
    SEC_EXCHANGE_PKT,
    SEC_TRANSPORT_REQ,
    SEC_TRANSPORT_RSP,
    SEC_ENCRYPT,
    SEC_RESET_SEQNO,
    SEC_IGNORE_SEQNO,
    SEC_INFO_PKT,
    SEC_LICENSE_PKT,
    SEC_LICENSE_ENCRYPT_SC,
    SEC_REDIRECTION_PKT,
    SEC_SECURE_CHECKSUM,
    SEC_AUTODETECT_REQ,
    SEC_AUTODETECT_RSP,
    SEC_HEARTBEAT,
    SEC_FLAGSHI_VALID
  };
  private static final String[] NAMES = {
    "SEC_EXCHANGE_PKT",
    "SEC_TRANSPORT_REQ",
    "SEC_TRANSPORT_RSP",
    "SEC_ENCRYPT",
    "SEC_RESET_SEQNO",
    "SEC_IGNORE_SEQNO",
    "SEC_INFO_PKT",
    "SEC_LICENSE_PKT",
    "SEC_LICENSE_ENCRYPT",
    "SEC_REDIRECTION_PKT",
    "SEC_SECURE_CHECKSUM",
    "SEC_AUTODETECT_REQ",
    "SEC_AUTODETECT_RSP",
    "SEC_HEARTBEAT",
    "SEC_FLAGSHI_VALID"
  };

  private SecurityFlags() {}

  /** "SEC_INFO_PKT|SEC_ENCRYPT" style, for traces; unknown bits as 0x.... */
  public static String describe(int flags) {
    String s = FlagNames.describe(flags & 0xFFFF, BITS, NAMES);
    return s.isEmpty() ? "0" : s;
  }
}

package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.codes.FlagNames;
import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RDP_SERVER_REDIRECTION_PACKET ([MS-RDPBCGR] 2.2.13.1): a Connection Broker's instruction to
 * reconnect elsewhere, inside an Enhanced Security Server Redirection PDU (2.2.13.3.1: share
 * control header, pad2Octets, this packet, optional pad1Octet) or a Standard Security one
 * (2.2.13.2.1: a security header saying SEC_REDIRECTION_PKT, then this packet).
 *
 * <pre>
 * Flags u16 = SEC_REDIRECTION_PKT (0x0400) | Length u16 (the whole packet)
 * SessionID u32 | RedirFlags u32 (LB_*)
 * then, each present when its LB_ flag is set, in this order, each u32 length + bytes:
 *   TargetNetAddress (UTF-16LE, NUL)   LB_TARGET_NET_ADDRESS    0x0001
 *   LoadBalanceInfo (routing token)    LB_LOAD_BALANCE_INFO     0x0002
 *   UserName, Domain (UTF-16LE, NUL)   LB_USERNAME / LB_DOMAIN  0x0004 / 0x0008
 *   Password (an opaque cookie)        LB_PASSWORD              0x0010
 *   TargetFQDN, TargetNetBiosName      LB_TARGET_FQDN / _NETBIOS_NAME 0x0100 / 0x0200
 *   TsvUrl                             LB_CLIENT_TSV_URL        0x1000
 *   RedirectionGuid                    LB_REDIRECTION_GUID      0x8000
 *   TargetCertificate                  LB_TARGET_CERTIFICATE    0x10000
 *   TargetNetAddresses: u32 length, u32 count, count x (u32 length + UTF-16LE address)
 *                                      LB_TARGET_NET_ADDRESSES  0x0800
 * Pad (8, optional)
 * </pre>
 *
 * <p>The Password field is a logon cookie for the target: it is skipped, only its length kept, and
 * it never reaches evidence, traces or {@link #toString}. Strings are capped per field and the
 * address list by count, so a hostile broker cannot make us allocate much.
 */
public record ServerRedirectionPacket(
    int sessionId,
    int redirFlags,
    String targetNetAddress,
    String loadBalanceInfo,
    String userName,
    String domain,
    Integer passwordCookieLength,
    String targetFqdn,
    String targetNetBiosName,
    List<String> targetNetAddresses) {
  public static final int SEC_REDIRECTION_PKT = 0x0400;
  public static final int LB_TARGET_NET_ADDRESS = 0x0001;
  public static final int LB_LOAD_BALANCE_INFO = 0x0002;
  public static final int LB_USERNAME = 0x0004;
  public static final int LB_DOMAIN = 0x0008;
  public static final int LB_PASSWORD = 0x0010;
  public static final int LB_DONTSTOREUSERNAME = 0x0020;
  public static final int LB_SMARTCARD_LOGON = 0x0040;
  public static final int LB_NOREDIRECT = 0x0080;
  public static final int LB_TARGET_FQDN = 0x0100;
  public static final int LB_TARGET_NETBIOS_NAME = 0x0200;
  public static final int LB_TARGET_NET_ADDRESSES = 0x0800;
  public static final int LB_CLIENT_TSV_URL = 0x1000;
  public static final int LB_SERVER_TSV_CAPABLE = 0x2000;
  public static final int LB_PASSWORD_IS_PK_ENCRYPTED = 0x4000;
  public static final int LB_REDIRECTION_GUID = 0x8000;
  public static final int LB_TARGET_CERTIFICATE = 0x10000;

  /** A host name or address in UTF-16 with its NUL: 512 bytes is 255 characters. */
  public static final int MAX_STRING_BYTES = 512;

  /** Opaque fields (routing token, cookie, GUID, TSV URL, certificate): the PDU's own cap. */
  public static final int MAX_BLOB_BYTES = 0xFFFF;

  /** A broker lists a handful of target addresses; more is not a redirection we believe. */
  public static final int MAX_ADDRESSES = 32;

  static final int HEADER = 12;

  private static final int[] FLAG_BITS = {
    LB_TARGET_NET_ADDRESS,
    LB_LOAD_BALANCE_INFO,
    LB_USERNAME,
    LB_DOMAIN,
    LB_PASSWORD,
    LB_DONTSTOREUSERNAME,
    LB_SMARTCARD_LOGON,
    LB_NOREDIRECT,
    LB_TARGET_FQDN,
    LB_TARGET_NETBIOS_NAME,
    LB_TARGET_NET_ADDRESSES,
    LB_CLIENT_TSV_URL,
    LB_SERVER_TSV_CAPABLE,
    LB_PASSWORD_IS_PK_ENCRYPTED,
    LB_REDIRECTION_GUID,
    LB_TARGET_CERTIFICATE
  };
  private static final String[] FLAG_NAMES = {
    "LB_TARGET_NET_ADDRESS",
    "LB_LOAD_BALANCE_INFO",
    "LB_USERNAME",
    "LB_DOMAIN",
    "LB_PASSWORD",
    "LB_DONTSTOREUSERNAME",
    "LB_SMARTCARD_LOGON",
    "LB_NOREDIRECT",
    "LB_TARGET_FQDN",
    "LB_TARGET_NETBIOS_NAME",
    "LB_TARGET_NET_ADDRESSES",
    "LB_CLIENT_TSV_URL",
    "LB_SERVER_TSV_CAPABLE",
    "LB_PASSWORD_IS_PK_ENCRYPTED",
    "LB_REDIRECTION_GUID",
    "LB_TARGET_CERTIFICATE"
  };

  public ServerRedirectionPacket {
    targetNetAddresses = List.copyOf(targetNetAddresses);
  }

  /** The userData of an Enhanced Security Server Redirection PDU (share control type 0xA). */
  public static ServerRedirectionPacket decodeEnhanced(byte[] userData)
      throws MalformedPduException {
    ByteReader r = new ByteReader(userData);
    ShareControlHeader h = ShareControlHeader.read(r, userData.length);
    if (h.type() != ShareControlHeader.PDUTYPE_SERVER_REDIR_PKT) {
      throw new MalformedPduException(
          "share control type " + h.type() + " is not PDUTYPE_SERVER_REDIR_PKT", 2);
    }
    r.skip(2, "pad2Octets");
    return read(userData, r.position());
  }

  /** The packet itself, as it follows a Standard Security header saying SEC_REDIRECTION_PKT. */
  public static ServerRedirectionPacket decode(byte[] packet) throws MalformedPduException {
    return read(packet, 0);
  }

  private static ServerRedirectionPacket read(byte[] buf, int at) throws MalformedPduException {
    ByteReader head = new ByteReader(buf, at, buf.length - at);
    int flags = head.u16le("Flags");
    if (flags != SEC_REDIRECTION_PKT) {
      throw new MalformedPduException(
          String.format("Flags 0x%04x, must be SEC_REDIRECTION_PKT", flags), at);
    }
    int length = head.u16le("Length");
    if (length < HEADER || length > buf.length - at) {
      throw new MalformedPduException(
          "Length " + length + " but " + (buf.length - at) + " bytes of packet", at + 2);
    }
    // every field is read within Length: a field that claims more is the broker's fault
    ByteReader r = new ByteReader(buf, at, length);
    r.skip(4, "Flags and Length");
    int sessionId = r.u32le("SessionID");
    int redir = r.u32le("RedirFlags");
    String netAddress = has(redir, LB_TARGET_NET_ADDRESS) ? string(r, "TargetNetAddress") : null;
    String lbInfo =
        has(redir, LB_LOAD_BALANCE_INFO) ? routingToken(blob(r, "LoadBalanceInfo")) : null;
    String user = has(redir, LB_USERNAME) ? string(r, "UserName") : null;
    String domain = has(redir, LB_DOMAIN) ? string(r, "Domain") : null;
    Integer cookie = null;
    if (has(redir, LB_PASSWORD)) {
      cookie = skipBlob(r, "Password");
    }
    String fqdn = has(redir, LB_TARGET_FQDN) ? string(r, "TargetFQDN") : null;
    String netbios = has(redir, LB_TARGET_NETBIOS_NAME) ? string(r, "TargetNetBiosName") : null;
    if (has(redir, LB_CLIENT_TSV_URL)) {
      skipBlob(r, "TsvUrl");
    }
    if (has(redir, LB_REDIRECTION_GUID)) {
      skipBlob(r, "RedirectionGuid");
    }
    if (has(redir, LB_TARGET_CERTIFICATE)) {
      skipBlob(r, "TargetCertificate");
    }
    List<String> addresses = new ArrayList<>();
    if (has(redir, LB_TARGET_NET_ADDRESSES)) {
      long listLength = r.u32le("TargetNetAddresses length") & 0xFFFF_FFFFL;
      if (listLength > r.remaining()) {
        throw new MalformedPduException(
            "TargetNetAddresses length " + listLength + " but " + r.remaining() + " bytes left",
            r.position() - 4);
      }
      long count = r.u32le("TargetNetAddresses count") & 0xFFFF_FFFFL;
      if (count > MAX_ADDRESSES) {
        throw new MalformedPduException(
            "TargetNetAddresses count " + count + " over the cap of " + MAX_ADDRESSES,
            r.position() - 4);
      }
      for (int i = 0; i < count; i++) {
        addresses.add(string(r, "TargetNetAddresses[" + i + "]"));
      }
    }
    return new ServerRedirectionPacket(
        sessionId, redir, netAddress, lbInfo, user, domain, cookie, fqdn, netbios, addresses);
  }

  /** Where the client goes next, as mstsc picks it: the FQDN, else the net address. */
  public String target() {
    if (targetFqdn != null && !targetFqdn.isEmpty()) {
      return targetFqdn;
    }
    if (targetNetAddress != null && !targetNetAddress.isEmpty()) {
      return targetNetAddress;
    }
    if (!targetNetAddresses.isEmpty()) {
      return targetNetAddresses.get(0);
    }
    return targetNetBiosName;
  }

  /** LB_NOREDIRECT: the packet informs (a routing token), the client stays where it is. */
  public boolean noRedirect() {
    return has(redirFlags, LB_NOREDIRECT);
  }

  /** "LB_TARGET_NET_ADDRESS|LB_TARGET_FQDN"; unknown bits in hex. */
  public static String describeFlags(int flags) {
    String s = FlagNames.describe(flags, FLAG_BITS, FLAG_NAMES);
    return s.isEmpty() ? "0" : s;
  }

  private static boolean has(int flags, int bit) {
    return (flags & bit) != 0;
  }

  /** u32 length, then UTF-16LE with or without its NUL; even, capped, within the packet. */
  private static String string(ByteReader r, String what) throws MalformedPduException {
    long n = r.u32le(what + " length") & 0xFFFF_FFFFL;
    if (n % 2 != 0 || n > MAX_STRING_BYTES) {
      throw new MalformedPduException(
          what + " length " + n + " (must be even, at most " + MAX_STRING_BYTES + ")",
          r.position() - 4);
    }
    String s = new String(r.bytes((int) n, what), StandardCharsets.UTF_16LE);
    int nul = s.indexOf('\0');
    return nul >= 0 ? s.substring(0, nul) : s;
  }

  private static byte[] blob(ByteReader r, String what) throws MalformedPduException {
    long n = r.u32le(what + " length") & 0xFFFF_FFFFL;
    if (n > MAX_BLOB_BYTES) {
      throw new MalformedPduException(what + " length " + n, r.position() - 4);
    }
    return r.bytes((int) n, what);
  }

  private static int skipBlob(ByteReader r, String what) throws MalformedPduException {
    long n = r.u32le(what + " length") & 0xFFFF_FFFFL;
    if (n > r.remaining()) {
      throw new MalformedPduException(
          what + " length " + n + " but " + r.remaining() + " bytes left", r.position() - 4);
    }
    r.skip((int) n, what);
    return (int) n;
  }

  /**
   * The routing token as text when it is printable ASCII ("Cookie: msts=...", "tsv://MS Terminal
   * Services Plugin.1.Collection"), else its size: it is an identifier for the broker, and a binary
   * one tells a reader nothing.
   */
  static String routingToken(byte[] b) {
    int end = b.length;
    while (end > 0 && (b[end - 1] == '\r' || b[end - 1] == '\n' || b[end - 1] == 0)) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      if (b[i] < 0x20 || b[i] > 0x7E) {
        return "(" + b.length + " bytes, not text)";
      }
    }
    return new String(b, 0, end, StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "ServerRedirectionPacket[sessionId="
        + sessionId
        + ", flags="
        + describeFlags(redirFlags)
        + ", target="
        + target()
        + ", netAddress="
        + targetNetAddress
        + ", addresses="
        + targetNetAddresses
        + ", fqdn="
        + targetFqdn
        + ", netbios="
        + targetNetBiosName
        + ", loadBalanceInfo="
        + loadBalanceInfo
        + ", user="
        + userName
        + ", domain="
        + domain
        + ", passwordCookie="
        + (passwordCookieLength == null ? "none" : passwordCookieLength + " bytes, withheld")
        + "]";
  }
}

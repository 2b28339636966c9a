package dev.rdpdoctor.wire.session;

import static dev.rdpdoctor.wire.Le.u16;
import static dev.rdpdoctor.wire.Le.u32;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Client Info PDU userData ([MS-RDPBCGR] 2.2.1.11.1): a basic security header saying SEC_INFO_PKT
 * (the only security header a TLS connection carries here), then TS_INFO_PACKET (2.2.1.11.1.1) with
 * empty domain, user, password, shell and directory, then TS_EXTENDED_INFO_PACKET (2.2.1.11.1.1.1)
 * up to cbAutoReconnectCookie. No credentials ever go in it: the probe only needs the server to
 * reach its licensing and Demand Active steps.
 *
 * <pre>
 * flags(2) flagsHi(2)                     basic security header, SEC_INFO_PKT
 * CodePage(4) flags(4)                    TS_INFO_PACKET
 * cbDomain(2) cbUserName(2) cbPassword(2) cbAlternateShell(2) cbWorkingDir(2)
 * Domain UserName Password AlternateShell WorkingDir   each "" + UTF-16 NUL (2 bytes)
 * clientAddressFamily(2) cbClientAddress(2) clientAddress   TS_EXTENDED_INFO_PACKET
 * cbClientDir(2) clientDir  clientTimeZone(172)  clientSessionId(4)
 * performanceFlags(4) cbAutoReconnectCookie(2)
 * </pre>
 *
 * @param flags INFO_* flags of TS_INFO_PACKET
 */
public record ClientInfoPdu(int flags) {
  public static final int SEC_INFO_PKT = 0x0040;
  public static final int INFO_MOUSE = 0x00000001;
  public static final int INFO_DISABLECTRLALTDEL = 0x00000002;
  public static final int INFO_UNICODE = 0x00000010;
  public static final int INFO_MAXIMIZESHELL = 0x00000020;
  public static final int INFO_LOGONNOTIFY = 0x00000040;
  public static final int INFO_ENABLEWINDOWSKEY = 0x00000100;
  public static final int INFO_LOGONERRORS = 0x00010000;
  public static final int INFO_MOUSE_HAS_WHEEL = 0x00020000;

  /** What the probe sends: mstsc's usual set, Unicode, and "tell me about logon errors". */
  public static final int PROBE_FLAGS =
      INFO_MOUSE
          | INFO_DISABLECTRLALTDEL
          | INFO_UNICODE
          | INFO_MAXIMIZESHELL
          | INFO_LOGONNOTIFY
          | INFO_ENABLEWINDOWSKEY
          | INFO_LOGONERRORS
          | INFO_MOUSE_HAS_WHEEL;

  static final int AF_INET = 0x0002;
  static final int TIME_ZONE_LENGTH = 172;

  /** The client address we announce: the probe's own is none of the server's business. */
  static final String CLIENT_ADDRESS = "0.0.0.0";

  static final String CLIENT_DIR = "C:\\Windows\\System32\\mstscax.dll";

  public static ClientInfoPdu probe() {
    return new ClientInfoPdu(PROBE_FLAGS);
  }

  /**
   * The userData of the MCS Send Data Request on the I/O channel when no encryption is in force
   * (TLS): a basic security header saying SEC_INFO_PKT, then the info packet.
   */
  public byte[] encode() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    u16(b, SEC_INFO_PKT);
    u16(b, 0);
    b.writeBytes(infoPacket());
    return b.toByteArray();
  }

  /**
   * TS_INFO_PACKET alone: what Standard RDP Security encrypts behind its own security header
   * (SEC_INFO_PKT | SEC_ENCRYPT and a MAC).
   */
  public byte[] infoPacket() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    u32(b, 0); // CodePage: ignored when INFO_UNICODE is set
    u32(b, flags);
    for (int i = 0; i < 5; i++) {
      u16(b, 0); // cbDomain .. cbWorkingDir: lengths exclude the terminator
    }
    for (int i = 0; i < 5; i++) {
      u16(b, 0); // each empty string is still NUL-terminated
    }
    u16(b, AF_INET);
    byte[] addr = utf16z(CLIENT_ADDRESS);
    u16(b, addr.length);
    b.writeBytes(addr);
    byte[] dir = utf16z(CLIENT_DIR);
    u16(b, dir.length);
    b.writeBytes(dir);
    b.writeBytes(new byte[TIME_ZONE_LENGTH]); // UTC, no daylight saving
    u32(b, 0); // clientSessionId
    u32(b, 0); // performanceFlags
    u16(b, 0); // cbAutoReconnectCookie
    return b.toByteArray();
  }

  private static byte[] utf16z(String s) {
    byte[] t = s.getBytes(StandardCharsets.UTF_16LE);
    return java.util.Arrays.copyOf(t, t.length + 2);
  }
}

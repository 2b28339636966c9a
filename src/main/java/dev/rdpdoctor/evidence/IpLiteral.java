package dev.rdpdoctor.evidence;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address written as text (by the user, in a certificate, in a tool's output), parsed without
 * ever asking DNS: {@link InetAddress#getByName} resolves anything that is not a literal, so only a
 * dotted quad or a string of hex digits, colons and dots (IPv6, with an optional {@code %scope}) is
 * handed to it.
 */
public final class IpLiteral {
  private static final Pattern V4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9_.-]{1,64})?");

  private IpLiteral() {}

  /** A dotted-quad IPv4 address, each octet 0..255 without leading zeros. */
  public static boolean isV4(String s) {
    return s != null && V4.matcher(s).matches();
  }

  /** The address, or empty for a name, a typo or nothing; [brackets] around IPv6 are allowed. */
  public static Optional<InetAddress> parse(String s) {
    String t = s == null ? "" : s.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    boolean v6 = t.indexOf(':') >= 0 && V6.matcher(t).matches();
    if (!isV4(t) && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t)); // a literal: no lookup happens
    } catch (UnknownHostException | RuntimeException e) {
      return Optional.empty();
    }
  }
}

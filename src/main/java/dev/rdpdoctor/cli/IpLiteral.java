package dev.rdpdoctor.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IP address typed by the user, parsed without ever asking DNS. */
final class IpLiteral {
  private static final Pattern V4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private IpLiteral() {}

  static Optional<InetAddress> parse(String s) {
    String t = s == null ? "" : s.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    boolean v6 = t.indexOf(':') >= 0 && V6.matcher(t).matches();
    if (!V4.matcher(t).matches() && !v6) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t)); // a literal: no lookup happens
    } catch (UnknownHostException | RuntimeException e) {
      return Optional.empty();
    }
  }
}

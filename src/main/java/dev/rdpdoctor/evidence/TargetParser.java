package dev.rdpdoctor.evidence;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Reads what a user types as the server: {@code host}, {@code host:port}, {@code 192.0.2.7}, {@code
 * [2001:db8::7]:3390} or a bare IPv6 literal. Rejects anything else with a message that says what
 * is wrong, before any packet is sent. Shared by the command line and the web.
 */
public final class TargetParser {
  private static final Pattern HOSTNAME =
      Pattern.compile(
          "^(?=.{1,253}\\.?$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)"
              + "(\\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?$");
  private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?$");

  private TargetParser() {}

  /** Thrown with a message fit to show the user as it is. */
  public static final class BadTarget extends Exception {
    private static final long serialVersionUID = 1L;

    public BadTarget(String message) {
      super(message);
    }
  }

  public static Target parse(String text, Integer portOption, ClientProfile profile)
      throws BadTarget {
    String s = text == null ? "" : text.trim();
    if (s.isEmpty()) {
      throw new BadTarget("no server given");
    }
    String host;
    String portText = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new BadTarget("'" + TerminalText.safe(s) + "': missing ']' after the IPv6 address");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new BadTarget("'" + TerminalText.safe(s) + "': expected ':PORT' after ']'");
        }
        portText = rest.substring(1);
      }
      if (!looksLikeIpv6(host)) {
        throw new BadTarget("'" + TerminalText.safe(host) + "' is not an IPv6 address");
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      host = s; // several colons: a bare IPv6 literal, which cannot carry a port
      if (!looksLikeIpv6(host)) {
        throw new BadTarget(
            "'" + TerminalText.safe(s) + "' is neither host:port nor an IPv6 address");
      }
    } else if (s.indexOf(':') >= 0) {
      host = s.substring(0, s.indexOf(':'));
      portText = s.substring(s.indexOf(':') + 1);
    } else {
      host = s;
    }
    int port = Target.DEFAULT_PORT;
    if (portText != null) {
      port = parsePort(portText);
    }
    if (portOption != null) {
      if (portText != null && portOption != port) {
        throw new BadTarget("two different ports given: " + port + " and --port " + portOption);
      }
      port = portOption;
      if (port < 1 || port > 65535) {
        throw new BadTarget("port " + port + " is outside 1-65535");
      }
    }
    boolean literal;
    if (host.indexOf(':') >= 0) {
      literal = true;
    } else if (IpLiteral.isV4(host)) {
      literal = true;
    } else if (host.matches("[0-9.]+")) {
      throw new BadTarget("'" + TerminalText.safe(host) + "' is not a valid IPv4 address");
    } else if (HOSTNAME.matcher(host).matches()) {
      literal = false;
    } else {
      throw new BadTarget("'" + TerminalText.safe(host) + "' is not a valid host name");
    }
    return new Target(host, port, literal, profile);
  }

  private static boolean looksLikeIpv6(String h) {
    if (!IPV6.matcher(h).matches() || h.indexOf(':') < 0) {
      return false;
    }
    try {
      // a literal: the JDK parses it without any lookup
      InetAddress.getByName(h);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static int parsePort(String p) throws BadTarget {
    if (!p.matches("\\d{1,5}")) {
      throw new BadTarget("'" + TerminalText.safe(p) + "' is not a port number");
    }
    int port = Integer.parseInt(p);
    if (port < 1 || port > 65535) {
      throw new BadTarget("port " + port + " is outside 1-65535");
    }
    return port;
  }
}

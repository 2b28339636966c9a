package dev.rdpdoctor.sources.rdpfile;

import java.util.Optional;

/**
 * A {@code full address} value: {@code host}, {@code host:port}, {@code [v6]:port} or a bare IPv6
 * literal.
 *
 * @param port null when the value names no port
 */
record RdpAddress(String host, Integer port) {
  static Optional<RdpAddress> parse(String value) {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      if (close < 2) {
        return Optional.empty();
      }
      String host = v.substring(1, close);
      String rest = v.substring(close + 1);
      if (rest.isEmpty()) {
        return Optional.of(new RdpAddress(host, null));
      }
      return rest.startsWith(":")
          ? port(rest.substring(1)).map(p -> new RdpAddress(host, p))
          : Optional.empty();
    }
    int first = v.indexOf(':');
    if (first < 0) {
      return Optional.of(new RdpAddress(v, null));
    }
    if (first != v.lastIndexOf(':')) {
      return Optional.of(new RdpAddress(v, null)); // bare IPv6 literal
    }
    String host = v.substring(0, first);
    return host.isEmpty()
        ? Optional.empty()
        : port(v.substring(first + 1)).map(p -> new RdpAddress(host, p));
  }

  private static Optional<Integer> port(String s) {
    return RdpFile.parseInt(s).filter(p -> p >= 1 && p <= 65535);
  }
}

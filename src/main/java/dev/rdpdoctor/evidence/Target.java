package dev.rdpdoctor.evidence;

/**
 * What the user asked about.
 *
 * @param host the name or address as typed (IPv6 literals without brackets)
 * @param port the TCP port, 3389 unless told otherwise
 * @param literal true when host is an IP address, so there is nothing to resolve
 * @param profile what the client offers
 */
public record Target(String host, int port, boolean literal, ClientProfile profile) {
  public static final int DEFAULT_PORT = 3389;

  /** host:port as a user would type it, with brackets around IPv6 literals. */
  public String display() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}

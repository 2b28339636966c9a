package dev.rdpdoctor.engine;

import java.net.InetAddress;

/**
 * Which checks a run makes beyond the client's own path. {@link #full()} is what {@code diagnose}
 * does by default; {@link #fleet()} skips only what costs many connections.
 *
 * @param eachProtocol one X.224 negotiation per security protocol alone (7 connections)
 * @param eachTlsVersion one TLS handshake per version alone (4 connections)
 * @param tlsCiphers every cipher suite per version (up to 60 connections)
 * @param path link quality and path MTU even when nothing points at the path
 * @param connectionLimit the pending-connection test (8 connections at once)
 * @param expectUdp the server offers RDP-UDP, so a path dropping UDP is a finding
 * @param givenIp the address the server really has, to compare with where the name leads
 */
public record Checks(
    boolean eachProtocol,
    boolean eachTlsVersion,
    boolean tlsCiphers,
    boolean path,
    boolean connectionLimit,
    boolean expectUdp,
    InetAddress givenIp) {

  public static Checks full() {
    return new Checks(true, true, false, false, false, false, null);
  }

  /** {@code diagnose --quick}: only the client's own offer. */
  public static Checks quick() {
    return new Checks(false, false, false, false, false, false, null);
  }

  /**
   * For many hosts at once: every check of {@link #full()}, no cipher enumeration, MTU search or
   * connection-limit test unless asked.
   */
  public static Checks fleet() {
    return full();
  }

  public Checks withTlsCiphers(boolean on) {
    return new Checks(eachProtocol, eachTlsVersion, on, path, connectionLimit, expectUdp, givenIp);
  }

  public Checks withPath(boolean on) {
    return new Checks(
        eachProtocol, eachTlsVersion, tlsCiphers, on, connectionLimit, expectUdp, givenIp);
  }

  public Checks withConnectionLimit(boolean on) {
    return new Checks(eachProtocol, eachTlsVersion, tlsCiphers, path, on, expectUdp, givenIp);
  }

  public Checks withExpectUdp(boolean on) {
    return new Checks(eachProtocol, eachTlsVersion, tlsCiphers, path, connectionLimit, on, givenIp);
  }

  public Checks withGivenIp(InetAddress ip) {
    return new Checks(
        eachProtocol, eachTlsVersion, tlsCiphers, path, connectionLimit, expectUdp, ip);
  }
}

package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * The network path between this machine and the server: RDP over UDP, link quality, the path MTU,
 * the server's tolerance of pending connections, and the address the user says is the right one. A
 * check that did not run is null (the diagnosis' not-checked list says why). Each check carries its
 * {@link Bounds}, so {@code --json} shows how much traffic it could cost.
 *
 * @param address the server address the path probes used
 * @param interfaces this machine's network interfaces and their MTUs
 */
public record PathEvidence(
    String address,
    UdpCheck udp,
    QualityCheck quality,
    MtuCheck mtu,
    ConnectionLimitCheck connectionLimit,
    AlternateAddressCheck alternate,
    List<InterfaceMtu> interfaces)
    implements EvidenceSection {

  @Override
  public String key() {
    return "path";
  }

  /** The most a probe may cost: packets it sends (retransmits included) and wall time. */
  public record Bounds(int maxPackets, double maxSeconds) {}

  /** One local interface, as `netsh interface ipv4 show subinterfaces` / `ip link` show it. */
  public record InterfaceMtu(
      String name,
      String displayName,
      int mtu,
      boolean up,
      boolean loopback,
      boolean likelyVpn,
      List<String> addresses) {}
}

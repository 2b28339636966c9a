package dev.rdpdoctor.evidence;

/**
 * The path MTU, found with the operating system's ping and Don't-Fragment set: a binary search over
 * payload sizes for the largest echo that comes back.
 *
 * @param status MEASURED, NO_REPLY (the host does not answer even small pings), UNAVAILABLE (no
 *     usable ping on this machine)
 * @param pathMtu the largest IP packet that passed (payload + 28 bytes of IPv4/ICMP headers, 48 for
 *     IPv6)
 * @param largestPayload the ping payload size that passed
 * @param localMtu the MTU of the interface the route to the server uses, when known
 */
public record MtuCheck(
    String address,
    Status status,
    Integer pathMtu,
    Integer largestPayload,
    Integer localMtu,
    String localInterface,
    int pings,
    String command,
    String detail,
    long millis,
    PathEvidence.Bounds bounds) {

  public enum Status {
    MEASURED,
    NO_REPLY,
    UNAVAILABLE
  }
}

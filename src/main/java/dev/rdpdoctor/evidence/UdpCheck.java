package dev.rdpdoctor.evidence;

/**
 * RDP over UDP ([MS-RDPEUDP]): the spec's 1232-byte SYN and a small SYN-shaped datagram to the RDP
 * port, each on its own connected socket.
 *
 * @param full outcome of the spec-sized (1232-byte) SYN
 * @param small outcome of the small datagram (tells "UDP blocked" from "large UDP dropped")
 * @param serverOffersUdp YES when the server answered RDP-UDP or the user said it offers it,
 *     UNKNOWN otherwise (the multitransport flags of the connection sequence are not read)
 * @param offersSource why serverOffersUdp has its value
 * @param synAckFlags flags of the SYN+ACK, when one came
 */
public record UdpCheck(
    String address,
    int port,
    Outcome full,
    Outcome small,
    Offer serverOffersUdp,
    String offersSource,
    Integer synAckFlags,
    Integer serverUpMtu,
    Integer serverDownMtu,
    String detail,
    long millis,
    PathEvidence.Bounds bounds) {

  public enum Outcome {
    /** A valid SYN+ACK came back. */
    ANSWERED,
    /** Something came back that is not a SYN+ACK. */
    OTHER_REPLY,
    /** ICMP port unreachable: nothing listens on UDP, or a firewall rejects. */
    PORT_UNREACHABLE,
    /** Nothing at all before the deadline: dropped, or a listener that ignores us. */
    SILENT,
    ERROR
  }

  public enum Offer {
    YES,
    UNKNOWN
  }

  public boolean answered() {
    return full == Outcome.ANSWERED || small == Outcome.ANSWERED;
  }
}

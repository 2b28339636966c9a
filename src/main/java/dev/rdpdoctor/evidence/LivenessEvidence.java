package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * Gathered only when the RDP port did not answer: does anything else on the host answer? That tells
 * "host alive, port filtered" from "nothing answers at all".
 *
 * @param otherPorts connects to other common ports on the same address
 * @param icmpEcho result of an ICMP echo (null when it could not be sent)
 */
public record LivenessEvidence(
    String address, List<TcpEvidence> otherPorts, Boolean icmpEcho, long millis) {

  public boolean hostAlive() {
    return Boolean.TRUE.equals(icmpEcho) || otherPorts.stream().anyMatch(TcpEvidence::answered);
  }
}

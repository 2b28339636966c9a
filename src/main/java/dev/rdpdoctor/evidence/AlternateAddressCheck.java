package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * The address the user says the server really has ({@code --ip}), probed like the name's own: TCP,
 * the RDP negotiation and the certificate, to compare the machine there with the machine the name
 * leads to.
 *
 * @param resolvedAddresses what the name resolved to (empty for an IP literal target)
 * @param inResolved whether the given address is one of them
 * @param tcpOutcome TCP connect to the given address
 * @param negotiation one-line outcome of the X.224 negotiation there, null when TCP failed
 * @param rdpWorks the given address speaks RDP (a negotiation response or failure PDU)
 * @param certSha256 fingerprint of the certificate at the given address
 * @param nameCertSha256 fingerprint of the certificate at the name's address
 */
public record AlternateAddressCheck(
    String address,
    List<String> resolvedAddresses,
    boolean inResolved,
    String tcpOutcome,
    String negotiation,
    boolean rdpWorks,
    String certSha256,
    String certSubject,
    String nameCertSha256,
    long millis,
    PathEvidence.Bounds bounds) {

  /** Both certificates are known and differ: the name and the address are different machines. */
  public boolean differentMachine() {
    return certSha256 != null && nameCertSha256 != null && !certSha256.equals(nameCertSha256);
  }
}

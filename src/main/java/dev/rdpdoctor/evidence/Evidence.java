package dev.rdpdoctor.evidence;

import java.time.Instant;
import java.util.List;

/**
 * Everything the probes found, immutable. Fields are null when the probe did not run (because an
 * earlier step made it pointless); {@link #notChecked} says why in words.
 *
 * @param tcp one entry per resolved address
 * @param rdpAddress the address the RDP-level probes used (the first that accepted TCP)
 * @param sections evidence from further probe families, at most one per key
 */
public record Evidence(
    Target target,
    Instant startedAt,
    DnsEvidence dns,
    List<TcpEvidence> tcp,
    LivenessEvidence liveness,
    String rdpAddress,
    NegotiationEvidence negotiation,
    TlsEvidence tls,
    List<ProbeTiming> timings,
    List<String> notChecked,
    long millis,
    List<EvidenceSection> sections) {

  /** The core evidence without further sections. */
  public Evidence(
      Target target,
      Instant startedAt,
      DnsEvidence dns,
      List<TcpEvidence> tcp,
      LivenessEvidence liveness,
      String rdpAddress,
      NegotiationEvidence negotiation,
      TlsEvidence tls,
      List<ProbeTiming> timings,
      List<String> notChecked,
      long millis) {
    this(
        target,
        startedAt,
        dns,
        tcp,
        liveness,
        rdpAddress,
        negotiation,
        tls,
        timings,
        notChecked,
        millis,
        List.of());
  }

  /** The section of the given type, if that probe family ran. */
  public <T extends EvidenceSection> java.util.Optional<T> section(Class<T> type) {
    return sections.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /** A copy with one more section (replacing one with the same key). */
  public Evidence with(EvidenceSection s) {
    List<EvidenceSection> copy = new java.util.ArrayList<>(sections);
    copy.removeIf(x -> x.key().equals(s.key()));
    copy.add(s);
    return new Evidence(
        target,
        startedAt,
        dns,
        tcp,
        liveness,
        rdpAddress,
        negotiation,
        tls,
        timings,
        notChecked,
        millis,
        List.copyOf(copy));
  }
}

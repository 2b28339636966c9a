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

  /** A run's evidence, filled in as the probes report; nothing yet but the target. */
  public static Builder builder(Target target, Instant startedAt) {
    return new Builder(target, startedAt);
  }

  /** This evidence as a builder, to change a few components. */
  public Builder toBuilder() {
    return new Builder(target, startedAt)
        .dns(dns)
        .tcp(tcp)
        .liveness(liveness)
        .rdpAddress(rdpAddress)
        .negotiation(negotiation)
        .tls(tls)
        .timings(timings)
        .notChecked(notChecked)
        .millis(millis)
        .sections(sections);
  }

  /** Fills the components one by one; {@link #build} copies the lists. */
  public static final class Builder {
    private final Target target;
    private final Instant startedAt;
    private DnsEvidence dns;
    private List<TcpEvidence> tcp = List.of();
    private LivenessEvidence liveness;
    private String rdpAddress;
    private NegotiationEvidence negotiation;
    private TlsEvidence tls;
    private List<ProbeTiming> timings = List.of();
    private List<String> notChecked = List.of();
    private long millis;
    private List<EvidenceSection> sections = List.of();

    private Builder(Target target, Instant startedAt) {
      this.target = target;
      this.startedAt = startedAt;
    }

    public Builder dns(DnsEvidence v) {
      dns = v;
      return this;
    }

    public Builder tcp(List<TcpEvidence> v) {
      tcp = v;
      return this;
    }

    public Builder liveness(LivenessEvidence v) {
      liveness = v;
      return this;
    }

    public Builder rdpAddress(String v) {
      rdpAddress = v;
      return this;
    }

    public Builder negotiation(NegotiationEvidence v) {
      negotiation = v;
      return this;
    }

    public Builder tls(TlsEvidence v) {
      tls = v;
      return this;
    }

    public Builder timings(List<ProbeTiming> v) {
      timings = v;
      return this;
    }

    public Builder notChecked(List<String> v) {
      notChecked = v;
      return this;
    }

    public Builder millis(long v) {
      millis = v;
      return this;
    }

    public Builder sections(List<EvidenceSection> v) {
      sections = v;
      return this;
    }

    public Evidence build() {
      return new Evidence(
          target,
          startedAt,
          dns,
          List.copyOf(tcp),
          liveness,
          rdpAddress,
          negotiation,
          tls,
          List.copyOf(timings),
          List.copyOf(notChecked),
          millis,
          List.copyOf(sections));
    }
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
    return toBuilder().sections(copy).build();
  }
}

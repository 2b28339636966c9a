package dev.rdpdoctor.evidence;

import java.time.Instant;
import java.util.List;

/**
 * Everything the probes found, immutable. Fields are null when the probe did not run (because
 * an earlier step made it pointless); {@link #notChecked} says why in words.
 *
 * @param tcp one entry per resolved address
 * @param rdpAddress the address the RDP-level probes used (the first that accepted TCP)
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
    long millis) {}

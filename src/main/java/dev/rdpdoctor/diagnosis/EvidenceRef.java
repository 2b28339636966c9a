package dev.rdpdoctor.diagnosis;

/**
 * A fact a finding rests on.
 *
 * @param probe which probe measured it (dns, tcp, liveness, negotiation, tls, certificate)
 * @param fact the measurement in words, with its numbers
 */
public record EvidenceRef(String probe, String fact) {}

package dev.rdpdoctor.evidence;

/**
 * When one probe ran and how it ended; built by the probe listener only.
 *
 * @param startMillis offset from the start of the run
 */
public record ProbeTiming(
    String probe, String subject, long startMillis, long millis, String outcome) {}

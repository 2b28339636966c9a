package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.EvidenceSection;
import java.net.InetAddress;

/**
 * A probe family that runs after the core path (CredSSP, MCS ...), on the address that answered
 * RDP, with the run's context (listener, trace, slots, deadlines). Steps run in order; each gets
 * the core evidence with the sections of the steps before it.
 */
@FunctionalInterface
public interface SectionStep {
  /** The section to attach, or null when the core evidence makes this probe pointless. */
  EvidenceSection run(Evidence core, InetAddress address, ProbeContext ctx);
}

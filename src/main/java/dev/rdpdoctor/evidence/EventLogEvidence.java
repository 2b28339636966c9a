package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * The RDP-relevant events read from the client's or server's own logs, oldest first.
 *
 * @param files one line per file read, for the "checked" list
 */
public record EventLogEvidence(List<LogEvent> events, List<String> files)
    implements EvidenceSection {
  @Override
  public String key() {
    return "event_log";
  }
}

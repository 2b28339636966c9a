package dev.rdpdoctor.evidence;

import java.time.Instant;
import java.util.Map;

/**
 * One Windows event, normalised from EVTX, an XML export or a CSV export.
 *
 * @param source the file it came from
 * @param time when it was logged (null if the file did not say in a form we read)
 * @param channel the log, e.g. {@code Microsoft-Windows-TerminalServices-RDPClient/Operational}
 * @param provider the provider name, e.g. {@code Schannel}
 * @param data the event's named values (EventData/Data by Name, UserData fields, or fields read
 *     from a CSV export's message text); insertion-ordered
 * @param meaning what the event says, from the catalogue of RDP-relevant events
 */
public record LogEvent(
    String source,
    Long recordId,
    Instant time,
    String channel,
    String provider,
    int eventId,
    String level,
    String computer,
    String activityId,
    Map<String, String> data,
    String meaning) {

  /** A data value, or null. */
  public String value(String name) {
    return data.get(name);
  }

  /** A data value as an integer (decimal or 0x hex), or null. */
  public Long number(String name) {
    String v = data.get(name);
    if (v == null) {
      return null;
    }
    v = v.trim();
    try {
      if (v.startsWith("0x") || v.startsWith("0X")) {
        return Long.parseUnsignedLong(v.substring(2), 16);
      }
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether the channel or provider contains this fragment (case-insensitive). */
  public boolean from(String fragment) {
    String f = fragment.toLowerCase(java.util.Locale.ROOT);
    return (channel != null && channel.toLowerCase(java.util.Locale.ROOT).contains(f))
        || (provider != null && provider.toLowerCase(java.util.Locale.ROOT).contains(f));
  }
}

package dev.rdpdoctor.sources.eventlog;

import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.sources.eventlog.xml.XmlContent;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns an {@code <Event>} element (from EVTX or an XML export) into a {@link LogEvent}. */
public final class EventNormalizer {
  private static final DateTimeFormatter PY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

  /** Named values kept from one event's UserData; a hostile file cannot grow it further. */
  static final int MAX_FIELDS = 256;

  private EventNormalizer() {}

  /** Null when the element is not an event (no System/EventID). */
  public static LogEvent normalise(String source, XmlContent.Element event) {
    XmlContent.Element sys = event.child("System");
    if (sys == null || sys.child("EventID") == null) {
      return null;
    }
    Integer id = parseInt(sys.child("EventID").text());
    if (id == null) {
      return null;
    }
    String provider = attr(sys.child("Provider"), "Name");
    String channel = text(sys.child("Channel"));
    Map<String, String> data = new LinkedHashMap<>();
    XmlContent.Element ed = event.child("EventData");
    if (ed != null) {
      int n = 0;
      for (XmlContent.Element d : ed.elements()) {
        n++;
        String name = d.attribute("Name");
        data.put(name != null && !name.isEmpty() ? name : d.name() + n, d.text());
      }
    }
    XmlContent.Element ud = event.child("UserData");
    if (ud != null) {
      for (XmlContent.Element wrapper : ud.elements()) {
        for (XmlContent.Element f : wrapper.elements()) {
          if (data.size() >= MAX_FIELDS) {
            break;
          }
          data.putIfAbsent(f.name(), f.text());
          // CAPI2 keeps its facts in attributes (<Result value="800B0109">,
          // <EventAuxInfo ProcessName="mstsc.exe"/>): kept as Element.attribute
          for (XmlContent.Attribute at : f.attributes()) {
            data.putIfAbsent(f.name() + "." + at.name(), at.text());
          }
        }
      }
    }
    String rid = text(sys.child("EventRecordID"));
    Long recordId = null;
    try {
      recordId = rid == null ? null : Long.parseLong(rid.trim());
    } catch (NumberFormatException e) {
      recordId = null;
    }
    Map<String, String> fixed = java.util.Collections.unmodifiableMap(data);
    return new LogEvent(
        source,
        recordId,
        time(attr(sys.child("TimeCreated"), "SystemTime")),
        channel,
        provider,
        id,
        text(sys.child("Level")),
        text(sys.child("Computer")),
        emptyToNull(attr(sys.child("Correlation"), "ActivityID")),
        fixed,
        RdpEventCatalogue.meaning(channel, provider, id, fixed));
  }

  /** python-evtx's {@code 2016-06-29 15:24:34.345999} or wevtutil's ISO-8601 with Z. */
  static Instant time(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    s = s.trim();
    try {
      if (s.indexOf('T') > 0) {
        return OffsetDateTime.parse(
                s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$") ? s : s + "Z")
            .toInstant();
      }
      return LocalDateTime.parse(s, PY).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  static Integer parseInt(String s) {
    try {
      return s == null ? null : Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String attr(XmlContent.Element e, String n) {
    return e == null ? null : e.attribute(n);
  }

  private static String text(XmlContent.Element e) {
    return e == null ? null : e.text();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}

package dev.rdpdoctor.kb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which Windows events record a refused or failed Remote Desktop connection, and the cause each
 * points to ({@code kb/event-causes.json}), with the document each id comes from. The rules that
 * read an event's data to refine the cause live in {@code diagnosis.EventLogRules}.
 */
public final class EventCauses {
  private static final String RESOURCE = "/kb/event-causes.json";
  private static volatile EventCauses instance;

  /**
   * One kind of event.
   *
   * @param source a fragment of the channel or provider name (case-insensitive)
   * @param ids the event ids; empty for a rule that applies to any id of the source
   * @param rule how the event's data refines the cause; null when it does not
   * @param cause the cause when the data says no more
   * @param severity FAIL, WARN or INFO (diagnosis.Severity names)
   * @param confidence HIGH, MEDIUM or LOW (diagnosis.Confidence names)
   * @param summary what the event says, for people; null when the rule words it
   * @param doc where the id and its fields come from
   */
  public record Entry(
      String source,
      List<Integer> ids,
      String rule,
      String cause,
      String severity,
      String confidence,
      String summary,
      String doc) {
    public Entry {
      ids = ids == null ? List.of() : List.copyOf(ids);
    }
  }

  private record Document(
      String about,
      List<Entry> events,
      Map<String, String> certificateStatus,
      String certificateStatusDoc) {}

  private final Document doc;

  private EventCauses(Document doc) {
    this.doc = doc;
  }

  public static EventCauses get() {
    EventCauses e = instance;
    if (e == null) {
      synchronized (EventCauses.class) {
        e = instance;
        if (e == null) {
          instance = e = load();
        }
      }
    }
    return e;
  }

  private static EventCauses load() {
    JsonMapper mapper =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    try (InputStream in = EventCauses.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the jar");
      }
      return new EventCauses(mapper.readValue(in, Document.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Entry> entries() {
    return List.copyOf(doc.events());
  }

  /**
   * The entry for an event: one that lists the id wins over a source-wide rule.
   *
   * @param from whether the event's channel or provider contains a fragment
   */
  public Optional<Entry> entry(int id, Predicate<String> from) {
    Entry any = null;
    for (Entry e : doc.events()) {
      if (!from.test(e.source())) {
        continue;
      }
      if (e.ids().contains(id)) {
        return Optional.of(e);
      }
      if (any == null && e.ids().isEmpty()) {
        any = e;
      }
    }
    return Optional.ofNullable(any);
  }

  /** The cause a certificate or SSPI status code (0x800B0109 ...) points to, if any. */
  public Optional<String> certificateStatus(long code) {
    String key = "0x" + Long.toHexString(code & 0xFFFFFFFFL).toUpperCase(Locale.ROOT);
    return Optional.ofNullable(doc.certificateStatus().get(key));
  }

  public Map<String, String> certificateStatuses() {
    return Map.copyOf(doc.certificateStatus());
  }
}

package dev.rdpdoctor.kb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Causes and fixes as data ({@code kb/causes.json}), so advice lives in one reviewed file instead
 * of strings scattered through the rules.
 */
public final class KnowledgeBase {
  private static final String RESOURCE = "/kb/causes.json";
  private static volatile KnowledgeBase instance;

  private final Map<String, Cause> causes;
  private final Map<String, Fix> fixes;

  private record Document(List<Cause> causes, List<Fix> fixes) {}

  private KnowledgeBase(Document doc) {
    Map<String, Cause> c = new LinkedHashMap<>();
    doc.causes().forEach(x -> c.put(x.id(), x));
    Map<String, Fix> f = new LinkedHashMap<>();
    doc.fixes().forEach(x -> f.put(x.id(), x));
    this.causes = Map.copyOf(c);
    this.fixes = Map.copyOf(f);
  }

  public static KnowledgeBase get() {
    KnowledgeBase kb = instance;
    if (kb == null) {
      synchronized (KnowledgeBase.class) {
        kb = instance;
        if (kb == null) {
          instance = kb = load();
        }
      }
    }
    return kb;
  }

  private static KnowledgeBase load() {
    JsonMapper mapper =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    try (InputStream in = KnowledgeBase.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the jar");
      }
      return new KnowledgeBase(mapper.readValue(in, Document.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Optional<Cause> cause(String id) {
    return Optional.ofNullable(causes.get(id));
  }

  public Optional<Fix> fix(String id) {
    return Optional.ofNullable(fixes.get(id));
  }

  public Map<String, Cause> causes() {
    return causes;
  }

  public Map<String, Fix> fixes() {
    return fixes;
  }

  /** The causes whose evidence leads to this fix: advice is only given where they point. */
  public List<String> causesFor(String fixId) {
    return causes.values().stream()
        .filter(c -> c.fixes().contains(fixId))
        .map(Cause::id)
        .sorted()
        .toList();
  }

  /** The fixes for a cause, in the order the catalogue lists them. */
  public List<Fix> fixesFor(String causeId) {
    return cause(causeId)
        .map(c -> c.fixes().stream().map(fixes::get).filter(java.util.Objects::nonNull).toList())
        .orElse(List.of());
  }
}

package dev.rdpdoctor.kb;

import dev.rdpdoctor.codes.CodeLookup;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The field's knowledge of client error codes ({@code kb/client-codes.json}): for a code or an
 * mstsc code/extended pair, the causes people meet in practice, ranked, each with why it gives this
 * code and the rdpdoctor check that confirms it or rules it out. Also the one home of "what to run
 * next": which check confirms which cause. The code tables keep the literal meaning.
 */
public final class ClientCodeAdvice {
  private static final String RESOURCE = "/kb/client-codes.json";

  /** The code an entry gives as "*": it applies whatever the disconnect reason was. */
  static final String ANY_CODE = "*";

  private static volatile ClientCodeAdvice instance;

  /**
   * An rdpdoctor command and the causes it confirms or rules out.
   *
   * @param kind diagnose, logs or rdpfile: which rdpdoctor command runs it
   */
  public record Check(String id, String kind, String command, String why, List<String> confirms) {
    public Check {
      confirms = confirms == null ? List.of() : List.copyOf(confirms);
    }
  }

  /** A cause as the field reports it for one code, with why it gives that code. */
  public record FieldCause(String cause, String reason) {}

  /**
   * One code or code/extended pair.
   *
   * @param code the disconnect reason (hex), or "*" for any when {@code extended} is given
   * @param extended the extended codes it applies to; absent means "none or 0"
   * @param source a key of the document's sources: where the meaning and the causes come from
   * @param meaning the literal meaning, only for codes the code tables do not name
   */
  public record Entry(
      String code, List<String> extended, String source, String meaning, List<FieldCause> causes) {
    public Entry {
      extended = extended == null ? List.of() : List.copyOf(extended);
      causes = causes == null ? List.of() : List.copyOf(causes);
    }
  }

  private record Document(
      String about,
      Map<String, String> sources,
      List<Check> checks,
      List<String> openEnded,
      List<Entry> codes) {}

  /** A command to run, as explain prints it. */
  public record Step(String kind, String command, String why) {}

  /** A field cause, ranked, with the cause's title and the checks for it. */
  public record RankedCause(
      int rank, String cause, String title, String reason, boolean literal, List<Step> checks) {
    public RankedCause {
      checks = List.copyOf(checks);
    }
  }

  /**
   * What the knowledge base adds to a decoded code.
   *
   * @param meaning the literal meaning when the code tables have none, else null
   * @param source where the meaning and the field causes come from, null when nothing matched
   * @param fieldCauses the causes reported in practice, most likely first; empty when none
   * @param nextSteps the checks for the literal causes first, then for the field causes
   */
  public record Advice(
      String meaning, String source, List<RankedCause> fieldCauses, List<Step> nextSteps) {
    public Advice {
      fieldCauses = List.copyOf(fieldCauses);
      nextSteps = List.copyOf(nextSteps);
    }
  }

  /**
   * What {@code rdpdoctor explain} shows: the codes as the tables decode them, then what the
   * knowledge base adds.
   *
   * @param decoded every code has a meaning, from the tables or the knowledge base
   */
  public record Explained(
      CodeLookup.Explanation codes, Advice advice, boolean decoded, String summary) {}

  private final Document doc;
  private final KnowledgeBase kb;

  private ClientCodeAdvice(Document doc, KnowledgeBase kb) {
    this.doc = doc;
    this.kb = kb;
  }

  public static ClientCodeAdvice get() {
    ClientCodeAdvice a = instance;
    if (a == null) {
      synchronized (ClientCodeAdvice.class) {
        a = instance;
        if (a == null) {
          instance = a = load();
        }
      }
    }
    return a;
  }

  private static ClientCodeAdvice load() {
    JsonMapper mapper =
        JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    try (InputStream in = ClientCodeAdvice.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the jar");
      }
      return new ClientCodeAdvice(mapper.readValue(in, Document.class), KnowledgeBase.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Check> checks() {
    return List.copyOf(doc.checks());
  }

  public List<Entry> entries() {
    return List.copyOf(doc.codes());
  }

  public Map<String, String> sources() {
    return Map.copyOf(doc.sources());
  }

  /**
   * The entry for a disconnect reason and its extended code (null when only one code was given): an
   * entry naming the code wins over one that applies to any code.
   */
  public Optional<Entry> entry(int code, Integer extended) {
    int x = extended == null ? 0 : extended;
    Entry any = null;
    for (Entry e : doc.codes()) {
      boolean extendedMatches =
          e.extended().isEmpty() ? x == 0 : e.extended().stream().anyMatch(s -> parsesTo(s, x));
      if (!extendedMatches) {
        continue;
      }
      if (parsesTo(e.code(), code)) {
        return Optional.of(e);
      }
      if (any == null && ANY_CODE.equals(e.code())) {
        any = e;
      }
    }
    return Optional.ofNullable(any);
  }

  private static boolean parsesTo(String s, int value) {
    CodeLookup.Parsed p = CodeLookup.parse(s);
    return p.ok() && p.value() == value;
  }

  /** The checks that confirm or rule out a cause, most specific first. */
  public List<Step> checksFor(String cause) {
    return doc.checks().stream()
        .filter(c -> c.confirms().contains(cause))
        .map(ClientCodeAdvice::step)
        .toList();
  }

  /**
   * The checks for these causes, in the causes' order, each once. With {@code openEnded} (the code
   * says too little to name a cause) and nothing found, the general checks.
   */
  public List<Step> nextSteps(List<String> causes, boolean openEnded) {
    Map<String, Step> out = new LinkedHashMap<>();
    for (String cause : causes) {
      checksFor(cause).forEach(s -> out.putIfAbsent(s.command(), s));
    }
    if (out.isEmpty() && openEnded) {
      for (String id : doc.openEnded()) {
        doc.checks().stream()
            .filter(c -> c.id().equals(id))
            .findFirst()
            .ifPresent(c -> out.put(c.command(), step(c)));
      }
    }
    return List.copyOf(out.values());
  }

  /**
   * The field's causes for a code (and extended code), with the checks for the literal causes (what
   * the code tables say) ahead of those for the field's.
   */
  public Advice advise(
      Integer code, Integer extended, List<String> literalCauses, boolean openEnded) {
    Optional<Entry> entry = code == null ? Optional.empty() : entry(code, extended);
    List<RankedCause> ranked = new ArrayList<>();
    Set<String> literal = Set.copyOf(literalCauses);
    entry.ifPresent(
        e -> {
          for (FieldCause c : e.causes()) {
            String title = kb.cause(c.cause()).map(Cause::title).orElse(c.cause());
            ranked.add(
                new RankedCause(
                    ranked.size() + 1,
                    c.cause(),
                    title,
                    c.reason(),
                    literal.contains(c.cause()),
                    checksFor(c.cause())));
          }
        });
    Set<String> all = new LinkedHashSet<>(literalCauses);
    ranked.forEach(r -> all.add(r.cause()));
    return new Advice(
        entry.map(Entry::meaning).orElse(null),
        entry.map(e -> doc.sources().getOrDefault(e.source(), e.source())).orElse(null),
        ranked,
        nextSteps(List.copyOf(all), openEnded && ranked.isEmpty()));
  }

  /** {@code explain CODE} ({@code extended} null) or {@code explain CODE EXTENDED}. */
  public Explained explain(String code, String extended) {
    CodeLookup.Explanation e =
        extended == null ? CodeLookup.explain(code) : CodeLookup.explain(code, extended);
    if (e.codes().stream().anyMatch(d -> d.error() != null)) {
      return new Explained(e, new Advice(null, null, List.of(), List.of()), false, e.summary());
    }
    Integer c = value(e.codes().get(0));
    Integer x = e.codes().size() > 1 ? value(e.codes().get(1)) : null;
    Advice a = advise(c, x, e.probableCauses(), e.openEnded());
    if (e.allDecoded() || a.meaning() == null) {
      return new Explained(e, a, e.allDecoded(), e.summary());
    }
    String summary = e.codes().get(0).hex() + ": " + a.meaning() + ".";
    return new Explained(e, a, true, summary);
  }

  private static Integer value(CodeLookup.DecodedCode d) {
    return d.value() == null ? null : (int) (long) d.value();
  }

  private static Step step(Check c) {
    return new Step(c.kind(), c.command(), c.why());
  }
}

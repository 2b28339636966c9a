package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.kb.Cause;
import dev.rdpdoctor.kb.Fix;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Builds findings for one target: the catalogue supplies title, symptom and fixes, and the fixes
 * get the target's host and port filled in so their commands can be pasted as they are.
 */
public final class FindingFactory {
  private final KnowledgeBase kb;
  private final Target target;
  private final Clock clock;

  FindingFactory(KnowledgeBase kb, Target target, Clock clock) {
    this.kb = kb;
    this.target = target;
    this.clock = clock;
  }

  /** The diagnosis' notion of now (fixed in tests), for rules about dates and clocks. */
  public Instant now() {
    return clock.instant();
  }

  public Target target() {
    return target;
  }

  public Finding finding(
      CauseId cause, Severity sev, Confidence conf, String summary, List<EvidenceRef> refs) {
    Cause c =
        kb.cause(cause.id())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "cause " + cause + " missing from the knowledge base"));
    return new Finding(
        cause.id(),
        sev,
        conf,
        c.title(),
        summary,
        c.symptom(),
        List.copyOf(refs),
        kb.fixesFor(cause.id()).stream().map(f -> forTarget(f, target)).toList());
  }

  public static EvidenceRef ref(String probe, String fact) {
    return new EvidenceRef(probe, fact);
  }

  /** The fix with {host} and {port} filled in for the target (in steps and actions). */
  public static Fix forTarget(Fix f, Target t) {
    return f.fill(s -> s.replace("{host}", t.host()).replace("{port}", Integer.toString(t.port())));
  }
}

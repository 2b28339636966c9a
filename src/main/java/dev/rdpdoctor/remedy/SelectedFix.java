package dev.rdpdoctor.remedy;

import dev.rdpdoctor.diagnosis.Finding;
import dev.rdpdoctor.diagnosis.Severity;
import dev.rdpdoctor.kb.Fix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A fix the diagnosis selected, and the findings (cause ids) that led to it.
 *
 * @param fix already filled in for the target (host, port)
 */
public record SelectedFix(Fix fix, List<String> causes) {
  public SelectedFix {
    causes = List.copyOf(causes);
  }

  /**
   * The fixes of the findings that are problems (fail or warn), each once, in ranking order: advice
   * only where the evidence points, never for information notes.
   */
  public static List<SelectedFix> from(List<Finding> findings) {
    Map<String, Fix> fixes = new LinkedHashMap<>();
    Map<String, Set<String>> causes = new LinkedHashMap<>();
    for (Finding f : findings) {
      if (f.severity() != Severity.FAIL && f.severity() != Severity.WARN) {
        continue;
      }
      for (Fix x : f.fixes()) {
        fixes.putIfAbsent(x.id(), x);
        causes.computeIfAbsent(x.id(), k -> new LinkedHashSet<>()).add(f.cause());
      }
    }
    List<SelectedFix> out = new ArrayList<>();
    fixes.forEach((id, x) -> out.add(new SelectedFix(x, new ArrayList<>(causes.get(id)))));
    return out;
  }
}

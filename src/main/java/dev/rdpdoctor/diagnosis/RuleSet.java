package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.evidence.Evidence;
import java.util.List;

/**
 * Rules for one concern (reachability, negotiation, TLS, the gateway, the network path ...). Pure:
 * evidence in, a {@link Result} out. A rule set sees only the evidence, never another rule set's
 * findings, so its answer does not depend on the order rules run in; ranking and the policies
 * between rule sets live in {@link Diagnoser}.
 */
public interface RuleSet {
  Result apply(Evidence e, FindingFactory f);

  /**
   * Whether this rule set judges a step a client only reaches when everything before it worked: its
   * failures then count as warnings when another rule set found a failure, so they never outrank
   * the failure the user meets first.
   */
  default boolean laterInTheSequence() {
    return false;
  }

  /**
   * What a rule set concluded.
   *
   * @param findings in the order the rule set found them (path order)
   * @param checked what it could check, in words
   * @param complete false when the evidence shows a check that should have run could not complete
   *     (for the path rules: the path stops here)
   */
  record Result(List<Finding> findings, List<String> checked, boolean complete) {
    public static final Result NOTHING = new Result(List.of(), List.of(), true);

    public Result {
      findings = List.copyOf(findings);
      checked = List.copyOf(checked);
    }
  }
}

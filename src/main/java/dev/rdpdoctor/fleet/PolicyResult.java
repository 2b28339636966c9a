package dev.rdpdoctor.fleet;

import java.util.List;

/**
 * One host against the policy: compliant when nothing was violated.
 *
 * @param violations each rule the host breaks, with what the policy wants and what was found
 */
public record PolicyResult(boolean compliant, List<Violation> violations) {
  public PolicyResult {
    violations = List.copyOf(violations);
  }

  /** One broken rule; {@code rule} is the policy file's key. */
  public record Violation(String rule, String expected, String found) {}
}

package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.evidence.Evidence;
import java.util.List;

/**
 * Rules for one probe family (gateway, network path, CredSSP ...), run after the core path
 * rules. Pure: evidence in, findings out.
 */
public interface RuleSet {
  /**
   * Adds findings and the checks it could make.
   *
   * @return false when the evidence shows a check that should have run could not complete
   */
  boolean apply(Evidence e, FindingFactory f, List<Finding> out, List<String> checked);
}

package dev.rdpdoctor.kb;

import java.util.List;

/**
 * A remedy from the knowledge base.
 *
 * @param where client, server, network or gateway: whose machine the steps run on
 * @param risk what the fix costs, especially in security
 * @param undo how to go back; required whenever the fix lowers security
 * @param actions the scriptable form of the steps, for {@code rdpdoctor fix}; empty when only a
 *     person can do it (a router, a gateway's policies, a certificate request)
 */
public record Fix(String id, String title, String where, List<FixStep> steps, String risk,
    List<FixStep> undo, List<FixAction> actions) {
  public Fix {
    steps = steps == null ? List.of() : List.copyOf(steps);
    undo = undo == null ? List.of() : List.copyOf(undo);
    actions = actions == null ? List.of() : List.copyOf(actions);
  }

  /** Whether the catalogue marks this fix as lowering security (its undo is then required). */
  public boolean lowersSecurity() {
    return risk != null && risk.toLowerCase(java.util.Locale.ROOT).contains("lowers security");
  }
}

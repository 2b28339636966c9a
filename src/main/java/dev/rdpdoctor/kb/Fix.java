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
public record Fix(
    String id,
    String title,
    String where,
    List<FixStep> steps,
    String risk,
    List<FixStep> undo,
    List<FixAction> actions) {
  public Fix {
    steps = steps == null ? List.of() : List.copyOf(steps);
    undo = undo == null ? List.of() : List.copyOf(undo);
    actions = actions == null ? List.of() : List.copyOf(actions);
  }

  /**
   * A copy with placeholders ({host}, {port}, {mtu} ...) filled in by {@code fill} in every text a
   * user or a script sees.
   */
  public Fix fill(java.util.function.UnaryOperator<String> fill) {
    java.util.function.UnaryOperator<String> opt = s -> s == null ? null : fill.apply(s);
    java.util.function.Function<List<FixStep>, List<FixStep>> each =
        l -> l.stream().map(x -> new FixStep(x.kind(), opt.apply(x.text()))).toList();
    List<FixAction> filled =
        actions.stream()
            .map(
                a ->
                    new FixAction(
                        a.type(),
                        a.why(),
                        opt.apply(a.path()),
                        opt.apply(a.name()),
                        a.valueType(),
                        opt.apply(a.data()),
                        opt.apply(a.undoData()),
                        a.group(),
                        a.service(),
                        opt.apply(a.target()),
                        a.command(),
                        a.undoCommand(),
                        a.lowersSecurity()))
            .toList();
    return new Fix(
        id, opt.apply(title), where, each.apply(steps), opt.apply(risk), each.apply(undo), filled);
  }

  /** Whether the catalogue marks this fix as lowering security (its undo is then required). */
  public boolean lowersSecurity() {
    return risk != null && risk.toLowerCase(java.util.Locale.ROOT).contains("lowers security");
  }
}

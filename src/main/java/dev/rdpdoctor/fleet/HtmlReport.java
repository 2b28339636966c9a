package dev.rdpdoctor.fleet;

import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.kb.Cause;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet report as one self-contained HTML page (no script, no external resource): verdict
 * counts, the causes ranked by hosts affected with a table each, the policy's violations, the
 * consistency matrix and the certificates in expiry order. It renders summaries; it concludes
 * nothing of its own.
 */
public final class HtmlReport {
  /** Rows per table; the CSV and NDJSON outputs hold every host. */
  static final int MAX_ROWS = 500;

  /**
   * @param checks what each host's run covered, in words
   * @param policy the policy's rules as written, or null
   */
  public record Meta(
      String toolVersion,
      Instant started,
      long millis,
      List<String> targets,
      List<String> checks,
      List<String> policy,
      long problems) {}

  private HtmlReport() {}

  public static String render(Meta meta, List<HostSummary> hosts) {
    StringBuilder b = new StringBuilder(64 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>rdpdoctor fleet scan</title>\n<style>")
        .append(CSS)
        .append("</style></head><body>\n");
    b.append("<header><h1>RDP fleet scan</h1><p class=\"meta\">")
        .append(
            esc(
                hosts.size()
                    + " hosts scanned by rdpdoctor "
                    + meta.toolVersion()
                    + " on "
                    + meta.started().truncatedTo(ChronoUnit.SECONDS)
                    + " in "
                    + seconds(meta.millis())
                    + " · targets: "
                    + String.join(" ", meta.targets())))
        .append("</p><p class=\"meta\">Checks per host: ")
        .append(esc(String.join("; ", meta.checks())))
        .append("</p>");
    if (meta.problems() > 0) {
      b.append("<p class=\"meta warn-text\">")
          .append(meta.problems())
          .append(" target(s) could not be used (see the scan's messages on stderr).</p>");
    }
    b.append("</header>\n");
    verdicts(b, hosts);
    causes(b, hosts);
    if (meta.policy() != null) {
      policy(b, meta.policy(), hosts);
    }
    consistency(b, Consistency.of(hosts));
    certificates(b, hosts, meta.started());
    b.append(
        "<footer>Each host's full evidence and fixes: <code>rdpdoctor scan --json</code>"
            + " (one diagnose document per line) or <code>rdpdoctor diagnose HOST</code>."
            + "</footer>\n</body></html>\n");
    return b.toString();
  }

  private static void verdicts(StringBuilder b, List<HostSummary> hosts) {
    Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
    for (Verdict v : Verdict.values()) {
      n.put(v, 0);
    }
    hosts.forEach(h -> n.merge(h.verdict(), 1, Integer::sum));
    b.append("<section><h2>Verdicts</h2><div class=\"cards\">");
    String[] words = {"OK", "Warning", "Failure", "Unknown"};
    for (Verdict v : Verdict.values()) {
      b.append("<div class=\"card v-")
          .append(cls(v))
          .append("\"><div class=\"num\">")
          .append(n.get(v))
          .append("</div><div>")
          .append(words[v.ordinal()])
          .append("</div><div class=\"pct\">")
          .append(pct(n.get(v), hosts.size()))
          .append("</div></div>");
    }
    b.append("</div></section>\n");
  }

  private static void causes(StringBuilder b, List<HostSummary> hosts) {
    Map<String, List<HostSummary>> by = new LinkedHashMap<>();
    for (HostSummary h : hosts) {
      by.computeIfAbsent(h.topCause(), k -> new ArrayList<>()).add(h);
    }
    List<Map.Entry<String, List<HostSummary>>> ranked = new ArrayList<>(by.entrySet());
    ranked.sort(
        Comparator.comparingInt((Map.Entry<String, List<HostSummary>> e) -> -e.getValue().size())
            .thenComparing(Map.Entry::getKey));
    b.append("<section><h2>Causes, by hosts affected</h2>")
        .append(
            "<p class=\"note\">Each host counted once, under its most likely cause "
                + "(<code>findings[0]</code>).</p><table class=\"rank\"><thead><tr><th>Cause</th>"
                + "<th>What it means</th><th class=\"n\">Hosts</th><th></th></tr></thead><tbody>");
    for (Map.Entry<String, List<HostSummary>> e : ranked) {
      int count = e.getValue().size();
      b.append("<tr><td><a href=\"#cause-")
          .append(esc(e.getKey()))
          .append("\"><code>")
          .append(esc(e.getKey()))
          .append("</code></a></td><td>")
          .append(esc(title(e.getKey())))
          .append("</td><td class=\"n\">")
          .append(count)
          .append("</td><td class=\"bar\">")
          .append("<span style=\"width:")
          .append(Math.max(1, count * 100 / hosts.size()))
          .append("%\" class=\"b-")
          .append(cls(e.getValue().get(0).verdict()))
          .append("\"></span></td></tr>");
    }
    b.append("</tbody></table>");
    for (Map.Entry<String, List<HostSummary>> e : ranked) {
      List<HostSummary> l = e.getValue();
      b.append("<h3 id=\"cause-")
          .append(esc(e.getKey()))
          .append("\"><code>")
          .append(esc(e.getKey()))
          .append("</code> · ")
          .append(esc(title(e.getKey())))
          .append(" <span class=\"count\">")
          .append(l.size())
          .append(" host")
          .append(l.size() == 1 ? "" : "s")
          .append("</span></h3>");
      b.append(
          "<table><thead><tr><th>Host</th><th>Address</th><th>Verdict</th>"
              + "<th>Finding</th><th>Other causes</th></tr></thead><tbody>");
      for (HostSummary h : head(l)) {
        b.append("<tr><td>")
            .append(esc(h.target()))
            .append("</td><td>")
            .append(esc(h.address()))
            .append("</td><td>")
            .append(badge(h.verdict()))
            .append("</td><td>")
            .append(esc(h.summary()))
            .append("</td><td>")
            .append(
                esc(
                    String.join(
                        ", ",
                        h.causes().subList(Math.min(1, h.causes().size()), h.causes().size()))))
            .append("</td></tr>");
      }
      more(b, l.size(), 5);
      b.append("</tbody></table>");
    }
    b.append("</section>\n");
  }

  private static void policy(StringBuilder b, List<String> rules, List<HostSummary> hosts) {
    long compliant =
        hosts.stream().filter(h -> h.policy() != null && h.policy().compliant()).count();
    b.append("<section><h2>Policy</h2><p><b>")
        .append(compliant)
        .append(" of ")
        .append(hosts.size())
        .append("</b> hosts comply with: <code>")
        .append(esc(String.join(" · ", rules)))
        .append("</code></p>");
    Map<String, List<String[]>> byRule = new LinkedHashMap<>();
    for (HostSummary h : hosts) {
      if (h.policy() == null) {
        continue;
      }
      for (PolicyResult.Violation v : h.policy().violations()) {
        byRule
            .computeIfAbsent(v.rule(), k -> new ArrayList<>())
            .add(new String[] {h.target(), v.expected(), v.found()});
      }
    }
    List<Map.Entry<String, List<String[]>>> ranked = new ArrayList<>(byRule.entrySet());
    ranked.sort(
        Comparator.comparingInt((Map.Entry<String, List<String[]>> e) -> -e.getValue().size()));
    for (Map.Entry<String, List<String[]>> e : ranked) {
      b.append("<h3><code>")
          .append(esc(e.getKey()))
          .append("</code> <span class=\"count\">")
          .append(e.getValue().size())
          .append(" host")
          .append(e.getValue().size() == 1 ? "" : "s")
          .append(
              "</span></h3><table><thead><tr><th>Host</th><th>Expected</th>"
                  + "<th>Found</th></tr></thead><tbody>");
      for (String[] r : head(e.getValue())) {
        b.append("<tr><td>")
            .append(esc(r[0]))
            .append("</td><td>")
            .append(esc(r[1]))
            .append("</td><td>")
            .append(esc(r[2]))
            .append("</td></tr>");
      }
      more(b, e.getValue().size(), 3);
      b.append("</tbody></table>");
    }
    b.append("</section>\n");
  }

  private static void consistency(StringBuilder b, Consistency c) {
    b.append(
        "<section><h2>Consistency</h2><p class=\"note\">Hosts grouped by security "
            + "profile. The largest group is taken as the fleet's norm; cells that differ from it "
            + "are marked.</p><table class=\"matrix\"><thead><tr><th>Hosts</th>");
    for (String d : Consistency.DIMENSIONS) {
      b.append("<th>").append(esc(d)).append("</th>");
    }
    b.append("<th>Members</th></tr></thead><tbody>");
    Consistency.Group norm = c.groups().isEmpty() ? null : c.groups().get(0);
    for (Consistency.Group g : c.groups()) {
      b.append("<tr")
          .append(g.majority() ? " class=\"norm\"" : "")
          .append("><td class=\"n\">")
          .append(g.hosts().size())
          .append(g.majority() ? " <span class=\"tag\">norm</span>" : "")
          .append("</td>");
      List<String> values = g.profile().values();
      List<String> normValues = norm.profile().values();
      for (int i = 0; i < values.size(); i++) {
        boolean differs = !g.majority() && !values.get(i).equals(normValues.get(i));
        b.append("<td")
            .append(differs ? " class=\"differs\"" : "")
            .append(">")
            .append(esc(values.get(i)))
            .append("</td>");
      }
      b.append("<td class=\"members\">").append(esc(members(g.hosts()))).append("</td></tr>");
    }
    if (!c.unreachable().isEmpty()) {
      b.append("<tr class=\"unreach\"><td class=\"n\">")
          .append(c.unreachable().size())
          .append("</td><td colspan=\"")
          .append(Consistency.DIMENSIONS.size())
          .append("\">no RDP answer: no profile to compare</td><td class=\"members\">")
          .append(esc(members(c.unreachable())))
          .append("</td></tr>");
    }
    b.append("</tbody></table>");
    List<String> dev = c.deviants();
    b.append("<p>")
        .append(
            c.groups().isEmpty()
                ? "No host answered RDP: nothing to compare."
                : dev.isEmpty()
                    ? "Every reachable host has the same profile."
                    : dev.size()
                        + " host"
                        + (dev.size() == 1 ? " stands" : "s stand")
                        + " apart from the majority.")
        .append("</p></section>\n");
  }

  private static void certificates(StringBuilder b, List<HostSummary> hosts, Instant now) {
    List<HostSummary> certs =
        new ArrayList<>(hosts.stream().filter(h -> h.certNotAfter() != null).toList());
    certs.sort(Comparator.comparing(HostSummary::certNotAfter).thenComparing(HostSummary::target));
    b.append("<section><h2>Certificates, soonest expiry first</h2>");
    if (certs.isEmpty()) {
      b.append("<p>No host presented a TLS certificate.</p></section>\n");
      return;
    }
    b.append(
        "<table><thead><tr><th>Host</th><th>Expires</th><th class=\"n\">Days left</th>"
            + "<th>Subject</th><th>Issuer</th><th class=\"n\">Key bits</th></tr></thead><tbody>");
    for (HostSummary h : head(certs)) {
      long days = Math.floorDiv(Duration.between(now, h.certNotAfter()).toSeconds(), 86_400);
      String c = days < 0 ? "v-fail" : days < 30 ? "v-warn" : "";
      b.append("<tr class=\"")
          .append(c)
          .append("\"><td>")
          .append(esc(h.target()))
          .append("</td><td>")
          .append(LocalDate.ofInstant(h.certNotAfter(), ZoneOffset.UTC))
          .append("</td><td class=\"n\">")
          .append(days < 0 ? "expired" : String.valueOf(days))
          .append("</td><td>")
          .append(esc(HostSummary.commonName(h.certSubject())))
          .append("</td><td>")
          .append(esc(h.certIssuerName()))
          .append("</td><td class=\"n\">")
          .append(h.certKeyBits() == null ? "" : h.certKeyBits())
          .append("</td></tr>");
    }
    more(b, certs.size(), 6);
    b.append("</tbody></table></section>\n");
  }

  private static String members(List<String> hosts) {
    int show = 12;
    String head = String.join(", ", hosts.subList(0, Math.min(show, hosts.size())));
    return hosts.size() > show ? head + " … and " + (hosts.size() - show) + " more" : head;
  }

  private static <T> List<T> head(List<T> l) {
    return l.subList(0, Math.min(MAX_ROWS, l.size()));
  }

  private static void more(StringBuilder b, int size, int columns) {
    if (size > MAX_ROWS) {
      b.append("<tr><td colspan=\"")
          .append(columns)
          .append("\" class=\"note\">… and ")
          .append(size - MAX_ROWS)
          .append(" more (every host is in the CSV and NDJSON)" + "</td></tr>");
    }
  }

  private static String title(String cause) {
    Optional<Cause> c = KnowledgeBase.get().cause(cause);
    return c.map(Cause::title).orElse(cause);
  }

  private static String badge(Verdict v) {
    return "<span class=\"badge v-" + cls(v) + "\">" + cls(v) + "</span>";
  }

  private static String cls(Verdict v) {
    return v.name().toLowerCase(Locale.ROOT);
  }

  private static String pct(int n, int total) {
    return total == 0 ? "" : String.format(Locale.ROOT, "%.1f %%", 100.0 * n / total);
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static final String CSS =
      """
      :root{--ok:#1a7f37;--warn:#9a6700;--fail:#cf222e;--unknown:#57606a;--line:#d0d7de}
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;
        margin:0 auto;max-width:1200px;padding:24px}
      h1{margin:0 0 4px;font-size:24px}h2{font-size:18px;margin:28px 0 8px;
        border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
      .meta{color:#57606a;margin:2px 0}.note{color:#57606a;font-size:13px}
      .warn-text{color:var(--warn)}
      .cards{display:flex;gap:12px}.card{flex:1;border:1px solid var(--line);border-radius:8px;
        padding:12px 16px;border-top:4px solid}.card .num{font-size:28px;font-weight:600}
      .card .pct{color:#57606a;font-size:12px}
      .card.v-ok{border-top-color:var(--ok)}.card.v-warn{border-top-color:var(--warn)}
      .card.v-fail{border-top-color:var(--fail)}.card.v-unknown{border-top-color:var(--unknown)}
      table{border-collapse:collapse;width:100%;margin:4px 0 8px;font-size:13px}
      th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;
        vertical-align:top}th{background:#f6f8fa;font-weight:600}
      td.n,th.n{text-align:right;white-space:nowrap}
      td.bar{width:30%}td.bar span{display:block;height:10px;border-radius:3px}
      .b-ok{background:var(--ok)}.b-warn{background:var(--warn)}.b-fail{background:var(--fail)}
      .b-unknown{background:var(--unknown)}
      .badge{padding:1px 6px;border-radius:10px;color:#fff;font-size:12px}
      .badge.v-ok{background:var(--ok)}.badge.v-warn{background:var(--warn)}
      .badge.v-fail{background:var(--fail)}.badge.v-unknown{background:var(--unknown)}
      tr.v-fail td{background:#ffebe9}tr.v-warn td{background:#fff8c5}
      .matrix td.differs{background:#ffebe9;font-weight:600}.matrix tr.norm td{background:#f0fff4}
      .matrix tr.unreach td{color:#57606a}.members{font-size:12px;color:#57606a}
      .tag{background:#1a7f37;color:#fff;border-radius:8px;padding:0 5px;font-size:11px}
      .count{color:#57606a;font-weight:400}code{font-size:12.5px}
      footer{margin-top:32px;color:#57606a;font-size:12px}
      """;
}

package dev.rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {
  @Test
  void csvQuotesAndDisarmsFormulas() throws Exception {
    assertThat(CsvReport.cell("plain")).isEqualTo("plain");
    assertThat(CsvReport.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(CsvReport.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(CsvReport.cell("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
    assertThat(CsvReport.cell(null)).isEmpty();
    StringWriter w = new StringWriter();
    try (CsvReport csv = new CsvReport(w)) {
      csv.row(HostSummary.of(FleetFixtures.healthy("10.0.0.1")));
    }
    String[] lines = w.toString().split("\r\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("target,host,port,address,verdict,");
    assertThat(lines[1]).startsWith("10.0.0.1:3389,10.0.0.1,3389,10.0.0.1,");
  }

  @Test
  void htmlHasEverySectionAndEscapesServerText() {
    Instant now = FleetFixtures.NOW;
    HostSummary hostile =
        FleetFixtures.summary(
            "10.0.0.9",
            List.of("tls"),
            List.of("TLSv1.2"),
            "CN=<script>alert(1)</script>",
            now.plusSeconds(86_400 * 5L),
            2048,
            null);
    List<HostSummary> hosts =
        List.of(
            HostSummary.of(FleetFixtures.healthy("10.0.0.1")),
            HostSummary.of(FleetFixtures.healthy("10.0.0.2")),
            hostile,
            HostSummary.of(FleetFixtures.closed("10.0.0.3")));
    String html =
        HtmlReport.render(
            new HtmlReport.Meta(
                "1.0", now, 1234, List.of("10.0.0.0/28"), List.of("TLS handshake"), null, 1),
            hosts);
    assertThat(html)
        .contains(
            "<h2>Verdicts</h2>",
            "<h2>Causes, by hosts affected</h2>",
            "<h2>Consistency</h2>",
            "<h2>Certificates, soonest expiry first</h2>",
            "id=\"cause-port-closed\"",
            "1 host stands apart from the majority",
            "&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(html)
        .doesNotContain("<script>")
        .doesNotContain("http://")
        .doesNotContain("https://");
    // soonest expiry first: the hostile host's certificate (5 days) before the others (400)
    assertThat(html.indexOf("<td>10.0.0.9:3389</td><td>2026-12-06"))
        .isLessThan(html.indexOf("<td>10.0.0.1:3389</td><td>2028"));
  }
}

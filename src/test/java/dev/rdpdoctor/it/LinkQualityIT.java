package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * A slow or lossy path is never "healthy", and the answer is the same every time: a plain {@code
 * diagnose} (no --path) on real xrdp behind a router that drops or delays packets, run {@link
 * #RUNS} times per scenario, must put the same cause first each time; a clean link must stay
 * healthy. The link is measured from the run's own connections (probes.path.quality).
 */
class LinkQualityIT {
  private static final int RUNS = 3;
  private static final long DIAGNOSE_TIMEOUT_S = 60;

  /**
   * The documented bound on a run over a link that looks slow or lossy: --timeout (8 s), the
   * link-quality series' own 4 s (PathProbes.QUALITY_BUDGET) and the margin (1.5 s).
   */
  private static final long RUN_BOUND_MS = 8_000 + 4_000 + 1_500;

  @BeforeAll
  static void lab() {
    Lab.requireUsable();
  }

  @ParameterizedTest(name = "{0} -> {1}, {2} runs")
  @CsvSource({
    "healthy-tls,   healthy,      " + RUNS,
    "high-latency,  high-latency, " + RUNS,
    "latency-heavy, high-latency, " + RUNS,
    "lossy-link,    packet-loss,  " + RUNS,
    "lossy-heavy,   packet-loss,  " + RUNS,
  })
  void theSameCauseEveryTime(String scenario, String cause, int runs) {
    Lab.Scenario s = Lab.up(scenario);
    try {
      assertThat(s.expectedCause()).isEqualTo(cause);
      assertThat(s.diagnoseArgs()).as("a plain diagnose, no --path").isEmpty();
      List<String> seen = new ArrayList<>();
      List<String> why = new ArrayList<>(); // what each run measured, for a failure's message
      for (int i = 0; i < runs; i++) {
        Lab.Run r =
            Lab.inClient(
                s,
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    System.getProperty("rdpdoctor.jar"),
                    "diagnose",
                    s.target(),
                    "--json"),
                DIAGNOSE_TIMEOUT_S);
        assertThat(r.timedOut()).as("finished: %s", r.describe()).isFalse();
        JsonNode doc = Lab.JSON.readTree(r.stdout());
        seen.add(doc.path("findings").path(0).path("cause").asString());
        assertThat(doc.path("duration_ms").asLong())
            .as("run %d within the bound", i)
            .isLessThanOrEqualTo(RUN_BOUND_MS);
        JsonNode q = doc.path("probes").path("path").path("quality");
        why.add(
            doc.path("findings").findValuesAsString("cause")
                + " quality="
                + q
                + " not_checked="
                + doc.path("not_checked"));
        assertThat(q.path("samples").asInt())
            .as("the link measured on every run: %s", q)
            .isGreaterThanOrEqualTo(3);
        if (cause.equals("high-latency")) {
          double floor = scenario.equals("high-latency") ? 250 : 550;
          assertThat(q.path("median_millis").asDouble())
              .as("median RTT through the delayer")
              .isGreaterThanOrEqualTo(floor);
        }
      }
      assertThat(seen)
          .as("findings[0].cause of %d runs on %s; the runs: %s", runs, scenario, why)
          .containsOnly(cause);
    } finally {
      Lab.down(scenario);
    }
  }
}

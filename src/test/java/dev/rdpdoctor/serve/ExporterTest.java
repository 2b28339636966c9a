package dev.rdpdoctor.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /probe over HTTP against a closed loopback port: a real run, its metrics and its log. */
class ExporterTest {
  @Test
  void closedPortIsAFailedProbeWithItsFindingAndPhases() throws Exception {
    try (Harness h = new Harness(Harness.config(List.of(), 4, 600, 1024, false))) {
      HttpResponse<String> r = h.get("/probe?target=127.0.0.1:1&module=quick");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/plain; version=0.0.4");
      assertThat(r.body())
          .contains("probe_success 0.0")
          .contains("rdpdoctor_finding{cause=\"port-closed\",severity=\"fail\"} 1.0")
          .contains("rdpdoctor_verdict{verdict=\"fail\"} 1.0")
          .containsPattern("rdpdoctor_phase_duration_seconds\\{phase=\"tcp\"\\} [0-9.E-]+")
          .containsPattern("probe_duration_seconds [0-9.E-]+");
      String metrics = h.get("/metrics").body();
      assertThat(metrics)
          .contains("rdpdoctor_exporter_probes_total{module=\"quick\",result=\"fail\"} 1.0")
          .contains("rdpdoctor_exporter_probe_duration_seconds_count{module=\"quick\"} 1")
          .contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void debugShowsTheEventLogAndTheBudgetFollowsTheScrapeTimeout() throws Exception {
    try (Harness h = new Harness(Harness.config(List.of(), 4, 600, 1024, false))) {
      HttpResponse<String> r =
          h.get(
              "/probe?target=127.0.0.1:1&module=quick&debug=true",
              "X-Prometheus-Scrape-Timeout-Seconds",
              "3");
      assertThat(r.statusCode()).isEqualTo(200);
      // 3 s minus the 0.5 s offset
      assertThat(r.body())
          .contains("run deadline 2500 ms")
          .contains("tcp 127.0.0.1:1: refused")
          .contains("run finished: FAIL")
          .contains("Metrics that would have been returned:")
          .contains("probe_success 0.0")
          .contains("name: quick");
      // a longer scrape timeout is capped by the module (quick: 5 s)
      r =
          h.get(
              "/probe?target=127.0.0.1:1&module=quick&debug=true",
              "X-Prometheus-Scrape-Timeout-Seconds",
              "30");
      assertThat(r.body()).contains("run deadline 5000 ms");
      r =
          h.get(
              "/probe?target=127.0.0.1:1&module=quick",
              "X-Prometheus-Scrape-Timeout-Seconds",
              "0.9");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("leaves less than 500 ms");
    }
  }
}

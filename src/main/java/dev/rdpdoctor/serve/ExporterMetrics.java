package dev.rdpdoctor.serve;

import dev.rdpdoctor.diagnosis.Verdict;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/** The exporter's own metrics for {@code /metrics}: probes by module and result, times, load. */
final class ExporterMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter probes;
  private final Counter refusals;
  private final Histogram durations;
  private final Gauge inFlight;

  ExporterMetrics() {
    probes =
        Counter.builder()
            .name("rdpdoctor_exporter_probes_total")
            .help("Diagnoses run, by module and verdict")
            .labelNames("module", "result")
            .register(registry);
    refusals =
        Counter.builder()
            .name("rdpdoctor_exporter_refusals_total")
            .help("Requests refused before a diagnosis ran, by reason")
            .labelNames("reason")
            .register(registry);
    durations =
        Histogram.builder()
            .name("rdpdoctor_exporter_probe_duration_seconds")
            .help("How long diagnoses took, by module")
            .labelNames("module")
            .classicOnly()
            .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60)
            .register(registry);
    inFlight =
        Gauge.builder()
            .name("rdpdoctor_exporter_probes_in_flight")
            .help("Diagnoses running now")
            .register(registry);
    JvmMetrics.builder().register(registry);
  }

  void started() {
    inFlight.inc();
  }

  void finished() {
    inFlight.dec();
  }

  void observe(String module, Verdict verdict, double seconds) {
    probes.labelValues(module, verdict.name().toLowerCase(Locale.ROOT)).inc();
    durations.labelValues(module).observe(seconds);
  }

  /** A refusal by reason: forbidden, rate-limited, busy, bad-request, unauthorized, policy. */
  void refused(String reason) {
    refusals.labelValues(reason).inc();
  }

  String render() {
    return ProbeMetrics.write(registry);
  }
}

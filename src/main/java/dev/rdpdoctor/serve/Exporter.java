package dev.rdpdoctor.serve;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /probe?target=HOST[:PORT]&module=NAME}: one diagnosis as Prometheus metrics, in the
 * manner of blackbox_exporter. A probe that ran answers 200 whatever it found ({@code
 * probe_success} says that); only a request that could not run gets a 4xx or 5xx.
 */
final class Exporter {
  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final ProbeService probes;

  Exporter(ProbeService probes) {
    this.probes = probes;
  }

  void probe(ServerRequest req, ServerResponse res) throws ProbeService.Refused {
    String module = Http.query(req, "module");
    ProbeService.Plan plan =
        probes.plan(
            Http.query(req, "target"),
            module,
            Http.query(req, "client_profile"),
            Http.query(req, "gateway"),
            ServeServer.header(req, "X-Prometheus-Scrape-Timeout-Seconds"));
    ProbeService.Outcome o = probes.run(plan, Http.client(req), null, null);
    String metrics = ProbeMetrics.render(o.result(), o.events().phaseSeconds(), o.seconds());
    if ("true".equals(Http.query(req, "debug"))) {
      Http.send(res, 200, "text/plain; charset=utf-8", debug(o, metrics));
      return;
    }
    Http.send(res, 200, TEXT_FORMAT, metrics);
  }

  /** blackbox_exporter's debug page: the probe's log, the metrics, the module. */
  static String debug(ProbeService.Outcome o, String metrics) {
    ServeConfig.Module m = o.plan().module();
    return "Logs for the probe of "
        + o.plan().target().display()
        + (o.plan().gateway() == null ? "" : " through " + o.plan().gateway().display())
        + " (run deadline "
        + o.plan().run().toMillis()
        + " ms):\n"
        + o.events().text()
        + "\n\nMetrics that would have been returned:\n"
        + metrics
        + "\n\nModule configuration:\n"
        + "name: "
        + m.name()
        + "\ntimeout: "
        + m.timeout().toMillis()
        + "ms\nconnect_timeout: "
        + m.connectTimeout().toMillis()
        + "ms\nclient_profile: "
        + o.plan().target().profile().name()
        + "\nchecks: "
        + m.checks()
        + "\n"
        + (m.gateway() == null ? "" : "gateway: " + m.gateway() + "\n");
  }
}

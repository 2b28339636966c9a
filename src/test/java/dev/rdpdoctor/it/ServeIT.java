package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * {@code rdpdoctor serve} against the lab's real servers. One prober namespace reaches five
 * scenarios at once: a veth into each scenario's router, and a local DNAT per scenario, so every
 * server keeps the name its certificate carries ({@code srv.lab.test}, {@code rdg.lab.test}) and
 * the port tells them apart. Two serve replicas, a real Prometheus sharding targets between them by
 * hashmod with the shipped alert rules, and Debian's Chromium driving the helpdesk page all run
 * inside that namespace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeIT {
  static final String NS = "rdpdoctor-serveit";

  /** The address srv.lab.test and rdg.lab.test have in the prober namespace. */
  static final String VIP = "198.18.250.1";

  static final int REPLICA_A = 19401;
  static final int REPLICA_B = 19402;
  static final int PROMETHEUS = 19490;
  static final long PROCESS_TTL_S = 900;

  /** scenario -> {local port, server port} */
  static final Map<String, int[]> PORTS = new LinkedHashMap<>();

  static {
    PORTS.put("healthy-tls", new int[] {3401, 3389});
    PORTS.put("cert-expired", new int[] {3402, 3389});
    PORTS.put("port-closed", new int[] {3403, 3389});
    PORTS.put("nla-required", new int[] {3404, 3389});
    PORTS.put("gateway-403", new int[] {4405, 443});
  }

  private final List<Process> processes = new ArrayList<>();
  private final Map<String, Lab.Scenario> up = new HashMap<>();
  private Path work;

  @BeforeAll
  void startLabAndReplicas() throws Exception {
    Lab.requireUsable();
    work = Path.of("target", "serve-it").toAbsolutePath();
    Files.createDirectories(work);
    cleanProber();
    for (String s : PORTS.keySet()) {
      up.put(s, Lab.up(s));
    }
    buildProber();
    Files.writeString(
        work.resolve("serve.yml"),
        """
        scrape_timeout_offset: 0.3
        modules:
          quick: {timeout: 10, connect_timeout: 4, checks: quick}
          full: {timeout: 15, connect_timeout: 4, checks: full}
          nonla: {timeout: 15, connect_timeout: 4, checks: full, client_profile: no-nla}
          gw: {timeout: 10, connect_timeout: 4, checks: quick, gateway: "rdg.lab.test:4405"}
        """);
    for (int port : List.of(REPLICA_A, REPLICA_B)) {
      start(
          "serve-" + port,
          List.of(
              java(),
              "-Xmx256m",
              "-jar",
              jar().toString(),
              "serve",
              "--listen",
              "127.0.0.1:" + port,
              "--config",
              work.resolve("serve.yml").toString()));
    }
    for (int port : List.of(REPLICA_A, REPLICA_B)) {
      waitFor("http://127.0.0.1:" + port + "/metrics", "jvm_");
    }
  }

  @AfterAll
  void stopEverything() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    cleanProber();
    up.keySet().forEach(Lab::down);
  }

  @Test
  void probeReturnsTheRightValuesPerScenario() {
    double now = Instant.now().getEpochSecond();

    Map<String, Double> healthy = probe(REPLICA_A, "srv.lab.test:3401", "quick");
    assertThat(healthy)
        .containsEntry("probe_success", 1.0)
        .containsEntry("rdpdoctor_verdict{verdict=\"ok\"}", 1.0)
        .containsEntry("rdpdoctor_finding{cause=\"healthy\",severity=\"ok\"}", 1.0)
        .containsKey("probe_dns_lookup_time_seconds")
        .containsKey("rdpdoctor_phase_duration_seconds{phase=\"tls\"}")
        .containsEntry("rdpdoctor_security_protocol_selected{protocol=\"SSL\"}", 1.0);
    assertThat(healthy.get("probe_ssl_earliest_cert_expiry")).isGreaterThan(now);
    assertThat(healthy.keySet())
        .anyMatch(k -> k.startsWith("probe_tls_version_info{version=\"TLS 1."));

    Map<String, Double> expired = probe(REPLICA_B, "srv.lab.test:3402", "quick");
    assertThat(expired)
        .containsEntry("probe_success", 0.0)
        .containsEntry("rdpdoctor_finding{cause=\"cert-expired\",severity=\"fail\"}", 1.0)
        // the lab's leaf ends 2021-01-01T00:00:00Z
        .containsEntry("probe_ssl_earliest_cert_expiry", 1.6094592E9);

    Map<String, Double> closed = probe(REPLICA_A, "srv.lab.test:3403", "quick");
    assertThat(closed)
        .containsEntry("probe_success", 0.0)
        .containsEntry("rdpdoctor_finding{cause=\"port-closed\",severity=\"fail\"}", 1.0)
        .containsEntry("rdpdoctor_verdict{verdict=\"fail\"}", 1.0)
        .doesNotContainKey("probe_ssl_earliest_cert_expiry");

    // NLA: a Windows client gets CredSSP; offered alone, TLS is refused with HYBRID_REQUIRED
    Map<String, Double> nla = probe(REPLICA_B, "srv.lab.test:3404", "full");
    assertThat(nla)
        .containsEntry("rdpdoctor_nla_required", 1.0)
        .containsEntry("rdpdoctor_security_protocol_selected{protocol=\"HYBRID\"}", 1.0);
    assertThat(nla.get("rdpdoctor_credssp_version")).isNotNull().isGreaterThanOrEqualTo(2.0);
    // a client without CredSSP fails there, for that reason
    Map<String, Double> noNla = probe(REPLICA_A, "srv.lab.test:3404", "nonla");
    assertThat(noNla)
        .containsEntry("probe_success", 0.0)
        .containsEntry("rdpdoctor_finding{cause=\"nla-required\",severity=\"fail\"}", 1.0);

    Map<String, Double> gw = probe(REPLICA_B, "srv.lab.test", "gw");
    assertThat(gw)
        .containsEntry("probe_success", 0.0)
        .containsEntry("rdpdoctor_finding{cause=\"gateway-forbidden\",severity=\"fail\"}", 1.0);
    assertThat(gw.get("probe_ssl_earliest_cert_expiry")).isGreaterThan(now);

    String debug =
        curl(
            "http://127.0.0.1:"
                + REPLICA_A
                + "/probe?target=srv.lab.test:3402&module=quick&debug=true");
    assertThat(debug)
        .contains("Logs for the probe of srv.lab.test:3402")
        .contains("dns srv.lab.test -> " + VIP)
        .contains("run finished: FAIL");
  }

  @Test
  void prometheusShardsTheTargetsAndTheExpiredCertificateAlertFires() throws Exception {
    Path prom = work.resolve("prometheus");
    Files.createDirectories(prom.resolve("data"));
    Path rules = Path.of("examples", "rdpdoctor-alerts.yml").toAbsolutePath();
    assertThat(rules).exists();
    StringBuilder targets = new StringBuilder();
    for (String s : List.of("healthy-tls", "cert-expired", "port-closed", "nla-required")) {
      targets.append("          - srv.lab.test:").append(PORTS.get(s)[0]).append('\n');
    }
    Files.writeString(
        prom.resolve("prometheus.yml"),
        """
        global:
          scrape_interval: 2s
          scrape_timeout: 2s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: rdp
            metrics_path: /probe
            params:
              module: [quick]
            static_configs:
              - targets:
        %s
        %s
          - job_name: rdp-via-gateway
            metrics_path: /probe
            params:
              module: [gw]
            static_configs:
              - targets: [srv.lab.test]
        %s
        """
            .formatted(rules, targets.toString().stripTrailing(), sharding(), sharding()));
    Lab.Run check =
        Lab.run(
            List.of("promtool", "check", "config", prom.resolve("prometheus.yml").toString()), 60);
    assertThat(check.exitCode()).as(check.describe()).isZero();
    start(
        "prometheus",
        List.of(
            "prometheus",
            "--config.file=" + prom.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + prom.resolve("data"),
            "--web.listen-address=127.0.0.1:" + PROMETHEUS,
            "--storage.tsdb.retention.time=1h"));
    String api = "http://127.0.0.1:" + PROMETHEUS + "/api/v1/";
    waitFor("http://127.0.0.1:" + PROMETHEUS + "/-/ready", "Ready");

    Set<String> everyTarget = new TreeSet<>();
    PORTS.forEach(
        (s, p) ->
            everyTarget.add(s.startsWith("gateway") ? "srv.lab.test" : "srv.lab.test:" + p[0]));
    // a port with nothing listening has no certificate to report
    Set<String> withTls = new TreeSet<>(everyTarget);
    withTls.remove("srv.lab.test:" + PORTS.get("port-closed")[0]);

    JsonNode findings = null;
    JsonNode expiry = null;
    for (int i = 0; i < 90; i++) {
      findings = query(api, "max by (instance, exporter) (rdpdoctor_finding)");
      expiry = query(api, "probe_ssl_earliest_cert_expiry");
      if (labels(findings, "instance").equals(everyTarget)
          && labels(expiry, "instance").equals(withTls)) {
        break;
      }
      Thread.sleep(1000);
    }
    assertThat(labels(findings, "instance"))
        .as("rdpdoctor_finding per target: %s", findings)
        .isEqualTo(everyTarget);
    assertThat(labels(expiry, "instance"))
        .as("cert expiry per target: %s", expiry)
        .isEqualTo(withTls);
    assertThat(labels(findings, "exporter"))
        .as("hashmod spreads targets over both replicas")
        .containsExactlyInAnyOrder("127.0.0.1:" + REPLICA_A, "127.0.0.1:" + REPLICA_B);
    JsonNode expired =
        query(
            api,
            "probe_ssl_earliest_cert_expiry{instance=\"srv.lab.test:"
                + PORTS.get("cert-expired")[0]
                + "\"}");
    assertThat(expired.path(0).path("value").path(1).asString()).isEqualTo("1609459200");

    JsonNode firing = null;
    for (int i = 0; i < 30; i++) {
      firing = Lab.JSON.readTree(curl(api + "alerts")).path("data").path("alerts");
      if (alert(firing, "RdpCertificateExpired", "srv.lab.test:3402")) {
        break;
      }
      Thread.sleep(1000);
    }
    assertThat(alert(firing, "RdpCertificateExpired", "srv.lab.test:3402"))
        .as("alerts: %s", firing)
        .isTrue();
    assertThat(alert(firing, "RdpCertificateExpired", "srv.lab.test:3401")).isFalse();
    String own = curl("http://127.0.0.1:" + REPLICA_A + "/metrics");
    assertThat(own).contains("rdpdoctor_exporter_probes_total{module=\"quick\"");
  }

  @Test
  void helpdeskPageInChromium() throws Exception {
    Path browser = Path.of("src", "test", "browser").toAbsolutePath();
    if (!Files.isDirectory(browser.resolve("node_modules/playwright-core"))) {
      Lab.Run npm =
          Lab.run(
              List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", browser.toString()), 300);
      assertThat(npm.exitCode()).as(npm.describe()).isZero();
    }
    Path out = work.resolve("page");
    // The page must say what `diagnose` says for the same target from the same place: its
    // verdict and top cause come from the command line's JSON, not from this test.
    List<Map<String, Object>> scenarios = new ArrayList<>();
    for (String[] sc :
        List.of(
            new String[] {"healthy", "3401"},
            new String[] {"cert-expired", "3402"},
            new String[] {"port-closed", "3403"})) {
      Lab.Run cli =
          Lab.run(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  NS,
                  java(),
                  "-jar",
                  jar().toString(),
                  "diagnose",
                  "srv.lab.test:" + sc[1],
                  "--json"),
              120);
      JsonNode doc = Lab.JSON.readTree(cli.stdout());
      String verdict = doc.path("verdict").asString().toUpperCase(Locale.ROOT);
      String cause = doc.path("findings").path(0).path("cause").asString();
      if (!sc[0].equals("healthy")) {
        assertThat(cause).as("diagnose on %s: %s", sc[0], cli.describe()).isEqualTo(sc[0]);
      }
      Map<String, Object> m = new HashMap<>();
      m.put("name", sc[0]);
      m.put("host", "srv.lab.test:" + sc[1]);
      m.put("verdict", verdict);
      m.put("cause", cause);
      m.put("fix", !verdict.equals("OK"));
      if (sc[0].equals("cert-expired")) {
        m.put("code", "0x904");
      }
      scenarios.add(m);
    }
    String cfg =
        Lab.JSON.writeValueAsString(
            Map.of(
                "base",
                "http://127.0.0.1:" + REPLICA_A,
                "out",
                out.toString(),
                "scenarios",
                scenarios,
                "explain",
                List.of("0x904", "0x7"),
                "explainExpect",
                "0x904",
                "rdp",
                Path.of("src/test/resources/serve/helpdesk.rdp").toAbsolutePath().toString(),
                "rdpExpect",
                "CredSSP",
                "evtx",
                Path.of(
                        "src/test/resources/evtx/"
                            + "2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx")
                    .toAbsolutePath()
                    .toString(),
                "evtxExpect",
                "about Remote Desktop"));
    Lab.Run r =
        Lab.run(
            List.of("ip", "netns", "exec", NS, "node", browser.resolve("page.mjs").toString(), cfg),
            240);
    Files.writeString(work.resolve("page.log"), r.describe());
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.stdout()).as(r.describe()).doesNotContain("\"ok\":false");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    for (String png :
        List.of(
            "healthy.png",
            "cert-expired.png",
            "port-closed.png",
            "upload-rdp.png",
            "upload-evtx.png",
            "phone.png")) {
      assertThat(out.resolve(png)).as(png).isNotEmptyFile();
    }
    assertThat(r.stdout()).contains("cert-expired: fix zip").contains("upload evtx");
  }

  // ----------------------------------------------------------------------- helpers

  /** Prometheus relabelling: target to param and instance, hashmod over the two replicas. */
  private static String sharding() {
    return """
            relabel_configs:
              - source_labels: [__address__]
                target_label: __param_target
              - source_labels: [__param_target]
                target_label: instance
              - source_labels: [__param_target]
                modulus: 2
                target_label: __tmp_shard
                action: hashmod
              - source_labels: [__tmp_shard]
                regex: "0"
                target_label: __address__
                replacement: 127.0.0.1:%d
              - source_labels: [__tmp_shard]
                regex: "1"
                target_label: __address__
                replacement: 127.0.0.1:%d
              - source_labels: [__address__]
                target_label: exporter
        """
        .formatted(REPLICA_A, REPLICA_B)
        .stripTrailing();
  }

  private Map<String, Double> probe(int port, String target, String module) {
    String body =
        curl(
            "http://127.0.0.1:" + port + "/probe?target=" + target + "&module=" + module,
            "-H",
            "X-Prometheus-Scrape-Timeout-Seconds: 20");
    Map<String, Double> m = new HashMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
    }
    assertThat(m).as("metrics of %s (%s): %s", target, module, body).containsKey("probe_success");
    return m;
  }

  private static JsonNode query(String api, String promql) {
    String enc = java.net.URLEncoder.encode(promql, StandardCharsets.UTF_8);
    return Lab.JSON.readTree(curl(api + "query?query=" + enc)).path("data").path("result");
  }

  private static Set<String> labels(JsonNode result, String label) {
    Set<String> out = new TreeSet<>();
    if (result != null) {
      result.forEach(r -> out.add(r.path("metric").path(label).asString()));
    }
    return out;
  }

  private static boolean alert(JsonNode alerts, String name, String instance) {
    if (alerts == null) {
      return false;
    }
    for (JsonNode a : alerts) {
      if (a.path("labels").path("alertname").asString().equals(name)
          && a.path("labels").path("instance").asString().equals(instance)
          && a.path("state").asString().equals("firing")) {
        return true;
      }
    }
    return false;
  }

  private static String curl(String url, String... extra) {
    List<String> cmd =
        new ArrayList<>(List.of("ip", "netns", "exec", NS, "curl", "-sS", "-m", "30"));
    cmd.addAll(List.of(extra));
    cmd.add(url);
    Lab.Run r = Lab.run(cmd, 40);
    assertThat(r.exitCode()).as("curl %s: %s", url, r.describe()).isZero();
    return r.stdout();
  }

  private void waitFor(String url, String expect) throws InterruptedException {
    for (int i = 0; i < 120; i++) {
      Lab.Run r = Lab.run(List.of("ip", "netns", "exec", NS, "curl", "-s", "-m", "2", url), 5);
      if (r.exitCode() == 0 && r.stdout().contains(expect)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(url + " did not come up; logs in " + work);
  }

  /** A process inside the prober namespace, bounded by a TTL, its output under target/. */
  private void start(String name, List<String> cmd) throws IOException {
    List<String> full =
        new ArrayList<>(
            List.of(
                "timeout", "-k", "3", String.valueOf(PROCESS_TTL_S), "ip", "netns", "exec", NS));
    full.addAll(cmd);
    processes.add(
        new ProcessBuilder(full)
            .redirectOutput(work.resolve(name + ".log").toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start());
  }

  /** The prober namespace: a link into each scenario's router, DNAT per scenario port. */
  private void buildProber() throws IOException {
    sh("ip", "netns", "add", NS);
    sh("ip", "-n", NS, "link", "set", "lo", "up");
    sh("ip", "-n", NS, "addr", "add", VIP + "/32", "dev", "lo");
    Path etc = Path.of("/etc/netns", NS);
    Files.createDirectories(etc);
    Files.writeString(
        etc.resolve("hosts"), "127.0.0.1 localhost\n" + VIP + " srv.lab.test rdg.lab.test\n");
    Files.writeString(
        etc.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
    int k = 0;
    for (Map.Entry<String, int[]> e : PORTS.entrySet()) {
      Lab.Scenario s = up.get(e.getKey());
      Matcher m = Pattern.compile("198\\.19\\.(\\d+)\\.2").matcher(s.serverIp());
      assertThat(m.matches()).as("server ip of %s", s.name()).isTrue();
      int n = Integer.parseInt(m.group(1));
      String router = s.clientNs().replaceAll("-c$", "-r");
      String link = "sp" + k++;
      String net = "198.18." + (n + 100);
      sh(
          "ip", "link", "add", link, "netns", NS, "type", "veth", "peer", "name", "sv0", "netns",
          router);
      sh("ip", "-n", router, "addr", "add", net + ".1/24", "dev", "sv0");
      sh("ip", "-n", router, "link", "set", "sv0", "up");
      sh("ip", "-n", NS, "addr", "add", net + ".2/24", "dev", link);
      sh("ip", "-n", NS, "link", "set", link, "up");
      sh("ip", "-n", NS, "route", "add", "198.19." + n + ".0/24", "via", net + ".1");
      sh(
          "ip",
          "netns",
          "exec",
          NS,
          "iptables",
          "-t",
          "nat",
          "-A",
          "OUTPUT",
          "-d",
          VIP,
          "-p",
          "tcp",
          "--dport",
          String.valueOf(e.getValue()[0]),
          "-j",
          "DNAT",
          "--to-destination",
          s.serverIp() + ":" + e.getValue()[1]);
      sh(
          "ip",
          "netns",
          "exec",
          NS,
          "iptables",
          "-t",
          "nat",
          "-A",
          "POSTROUTING",
          "-o",
          link,
          "-j",
          "MASQUERADE");
    }
  }

  private static void cleanProber() {
    Lab.run(List.of("ip", "netns", "del", NS), 30);
    Lab.run(List.of("rm", "-rf", "/etc/netns/" + NS), 30);
  }

  private static void sh(String... cmd) {
    Lab.Run r = Lab.run(List.of(cmd), 30);
    assertThat(r.exitCode()).as("%s: %s", String.join(" ", cmd), r.describe()).isZero();
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path jar() {
    String p = System.getProperty("rdpdoctor.jar");
    assertThat(p).as("system property rdpdoctor.jar").isNotBlank();
    return Path.of(p);
  }
}

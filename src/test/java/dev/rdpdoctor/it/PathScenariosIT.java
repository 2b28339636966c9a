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
 * The network-path faults of issue 4, real xrdp behind a router namespace: the packaged jar run in
 * the client namespace must name each fault as findings[0], and every path probe must state its
 * bounds in probes.path.
 */
class PathScenariosIT {
  private static final long DIAGNOSE_TIMEOUT_S = 90;

  @BeforeAll
  static void lab() {
    Lab.requireUsable();
  }

  /** scenario, expected findings[0].cause, extra: "ip" adds --ip with the real server address. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "mtu-blackhole,  pmtu-blackhole,    -",
    "dns-wrong-dead, dns-wrong-address, ip",
    "dns-wrong-live, dns-wrong-address, ip",
    "udp-blocked,    udp-blocked,       -",
    "udp-rejected,   udp-blocked,       -",
    "connection-limit, connection-limit, -",
  })
  void diagnoseNamesThePathFault(String scenario, String cause, String extra) {
    Lab.Scenario s = Lab.up(scenario);
    try {
      assertThat(s.expectedCause()).isEqualTo(cause);
      List<String> args = new ArrayList<>(List.of("--json"));
      args.addAll(s.diagnoseArgs());
      if (extra.equals("ip")) {
        // the name leads elsewhere; the server's own address is what the user means
        String real =
            scenario.equals("dns-wrong-live") ? s.serverIp() : s.raw().path("server_ip").asString();
        args.addAll(List.of("--ip", real));
      }
      Lab.Run r = diagnose(s, args);
      assertThat(r.timedOut()).as("finished: %s", r.describe()).isFalse();
      JsonNode doc = Lab.JSON.readTree(r.stdout());
      assertThat(doc.path("findings").path(0).path("cause").asString())
          .as("findings[0].cause for %s: %s", scenario, r.describe())
          .isEqualTo(cause);
      JsonNode path = doc.path("probes").path("path");
      path.properties()
          .forEach(
              p -> {
                if (p.getValue().isObject()) {
                  assertThat(p.getValue().path("bounds").path("max_packets").asInt())
                      .as("%s states its packet bound", p.getKey())
                      .isPositive();
                }
              });
      if (scenario.equals("connection-limit")) {
        // the router resets the 5th and later concurrent connections: at most 4 of the 8 get
        // through (fewer when the run's other probes still hold a connection), the rest are reset
        JsonNode c = path.path("connection_limit");
        assertThat(c.path("opened").asInt()).as("accepted of 8: %s", c).isBetween(1, 4);
        assertThat(c.path("refused").asInt())
            .as("refused of 8: %s", c)
            .isEqualTo(8 - c.path("opened").asInt());
      }
      if (scenario.startsWith("udp-")) {
        assertThat(path.path("udp").path("full").asString())
            .isEqualTo(scenario.equals("udp-blocked") ? "silent" : "port_unreachable");
      }
    } finally {
      Lab.down(scenario);
    }
  }

  private static Lab.Run diagnose(Lab.Scenario s, List<String> extra) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("rdpdoctor.jar"),
                "diagnose",
                s.target()));
    cmd.addAll(extra);
    return Lab.inClient(s, cmd, DIAGNOSE_TIMEOUT_S);
  }
}

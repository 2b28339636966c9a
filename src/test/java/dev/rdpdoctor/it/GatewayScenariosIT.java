package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * diagnose --gateway against nginx standing in for an RD Gateway in the lab's namespaces: a healthy
 * 401 (Negotiate, NTLM), 403, a real 502 from a dead upstream, and a certificate from a
 * Fortinet-style inspection CA. The packaged jar runs in the client namespace.
 */
class GatewayScenariosIT {
  private static final long DIAGNOSE_TIMEOUT_S = 60;
  private static final Map<String, Integer> EXIT_BY_VERDICT =
      Map.of("ok", 0, "warn", 1, "fail", 2, "unknown", 3);

  @BeforeAll
  static void labAndJar() {
    Lab.requireUsable();
    assertThat(jar()).as("packaged jar (system property rdpdoctor.jar)").isRegularFile();
  }

  @ParameterizedTest(name = "{0} -> {1} ({2})")
  @CsvSource({
    "gateway-401,            healthy,           ok,   401",
    "gateway-403,            gateway-forbidden, fail, 403",
    "gateway-502,            gateway-error,     fail, 502",
    "gateway-ssl-inspection, tls-interception,  fail, Fortinet",
  })
  void namesTheGatewayFault(String scenario, String cause, String verdict, String word) {
    Lab.Scenario s = Lab.up(scenario);
    try {
      assertThat(s.expectedCause()).as("lab and test agree").isEqualTo(cause);
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar().toString(),
                  "diagnose",
                  s.target(),
                  "--json"));
      cmd.addAll(s.diagnoseArgs());
      Lab.Run r = Lab.inClient(s, cmd, DIAGNOSE_TIMEOUT_S);
      assertThat(r.timedOut()).as("finished in time").isFalse();
      JsonNode doc = Lab.JSON.readTree(r.stdout());
      JsonNode first = doc.path("findings").path(0);
      assertThat(first.path("cause").asString())
          .as("findings[0] of %s: %s", scenario, r.describe())
          .isEqualTo(cause);
      assertThat(first.toString()).as("the finding carries the gateway's answer").contains(word);
      assertThat(doc.path("verdict").asString()).isEqualTo(verdict);
      assertThat(r.exitCode()).isEqualTo(EXIT_BY_VERDICT.get(verdict));
      assertThat(doc.path("probes").path("gateway").path("host").asString())
          .isEqualTo("rdg.lab.test");
      assertThat(r.stdout() + r.stderr()).doesNotContain("Exception");
    } finally {
      Lab.down(scenario);
    }
  }

  private static Path jar() {
    String p = System.getProperty("rdpdoctor.jar");
    assertThat(p).as("system property rdpdoctor.jar").isNotBlank();
    Path jar = Path.of(p);
    assertThat(Files.exists(jar)).isTrue();
    return jar;
  }
}

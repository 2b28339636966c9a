package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar against real RDP servers with real faults ({@code lab/rdplab}), run from each
 * scenario's client namespace exactly as a user would run it. Scenarios run one after another; each
 * is brought down in {@code finally}.
 */
class DiagnoseScenariosIT {
  private static final long DIAGNOSE_TIMEOUT_S = 60;
  private static final String HOST = "srv.lab.test";
  private static final Map<String, Integer> EXIT_BY_VERDICT =
      Map.of("ok", 0, "warn", 1, "fail", 2, "unknown", 3);

  @BeforeAll
  static void labAndJar() {
    Lab.requireUsable();
    assertThat(jar())
        .as("packaged jar (system property rdpdoctor.jar; run `./mvnw verify`)")
        .isRegularFile();
  }

  /**
   * scenario, expected findings[0].cause, accepted verdicts. A scenario where the client cannot
   * connect at all is "fail"; where a client may connect after a warning or a policy change
   * (certificate problems, old protocols), "warn" is accepted too.
   */
  @ParameterizedTest(name = "{0} -> {1} ({2})")
  @CsvSource({
    "healthy-tls,        healthy,                  ok",
    "port-closed,        port-closed,              fail",
    "port-filtered,      port-filtered,            fail",
    "port-rejected-rst,  port-closed,              fail",
    "dns-missing,        dns-unresolvable,         fail",
    "accept-then-close,  server-closed-connection, fail",
    "accept-then-reset,  server-closed-connection, fail",
    "nla-required,       nla-required,             fail",
    "rdp-security-only,  standard-security-only,   warn|fail",
    "tls-legacy-only,    tls-legacy-only,          warn|fail",
    "cert-expired,       cert-expired,             warn|fail",
    "cert-name-mismatch, cert-name-mismatch,       warn|fail",
    "cert-weak,          cert-weak,                warn|fail",
  })
  void diagnoseNamesTheInjectedFault(String scenario, String cause, String verdicts) {
    Lab.Scenario s = Lab.up(scenario);
    try {
      assertThat(s.expectedCause()).as("lab and test agree on the expected cause").isEqualTo(cause);
      List<String> args = new ArrayList<>(List.of("--json"));
      args.addAll(s.diagnoseArgs());
      Lab.Run r = diagnose(s, args);

      assertThat(r.timedOut()).as("diagnose finished within %d s", DIAGNOSE_TIMEOUT_S).isFalse();
      JsonNode doc = parse(r);
      JsonNode first = doc.path("findings").path(0);
      assertThat(first.path("cause").asString())
          .as("findings[0].cause for %s; full run: %s", scenario, r.describe())
          .isEqualTo(cause);
      String verdict = doc.path("verdict").asString();
      assertThat(List.of(verdicts.split("\\|"))).as("verdict of %s", scenario).contains(verdict);
      assertThat(r.exitCode())
          .as("exit code follows verdict '%s'", verdict)
          .isEqualTo(EXIT_BY_VERDICT.get(verdict));
    } finally {
      Lab.down(scenario);
    }
  }

  @Test
  void textReportNamesTheCauseWithoutStackTrace() {
    Lab.Scenario s = Lab.up("port-closed");
    try {
      Lab.Run r = diagnose(s, List.of());
      assertThat(r.timedOut()).as("diagnose finished within %d s", DIAGNOSE_TIMEOUT_S).isFalse();
      assertThat(r.stdout()).as("text report: %s", r.describe()).contains("port-closed");
      assertThat(r.stdout() + r.stderr())
          .as("no stack trace: %s", r.describe())
          .doesNotContainPattern("(?m)^\\s+at [\\w$.]+\\(")
          .doesNotContain("Exception in thread");
      assertThat(r.exitCode()).as("exit code (fail)").isEqualTo(2);
    } finally {
      Lab.down("port-closed");
    }
  }

  private static Lab.Run diagnose(Lab.Scenario s, List<String> extra) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar().toString(),
                "diagnose",
                HOST));
    cmd.addAll(extra);
    return Lab.inClient(s, cmd, DIAGNOSE_TIMEOUT_S);
  }

  private static JsonNode parse(Lab.Run r) {
    assertThat(r.stdout().strip())
        .as("stdout is one JSON document: %s", r.describe())
        .startsWith("{");
    try {
      return Lab.JSON.readTree(r.stdout());
    } catch (RuntimeException e) {
      throw new AssertionError("stdout is not JSON: " + e.getMessage() + "\n" + r.describe(), e);
    }
  }

  private static Path jar() {
    String p = System.getProperty("rdpdoctor.jar");
    assertThat(p).as("system property rdpdoctor.jar (set by failsafe in pom.xml)").isNotBlank();
    Path jar = Path.of(p);
    assertThat(Files.exists(jar)).as("jar %s exists", jar).isTrue();
    return jar;
  }
}

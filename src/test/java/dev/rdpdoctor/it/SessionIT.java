package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.wire.session.SessionPduTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The connection sequence past security on real xrdp over TLS (issue 3 item 3), lab scenario
 * mcs-tls. What really happens there: xrdp accepts the Connect Initial, Erect Domain, Attach User,
 * both channel joins and the Client Info, sends a LICENSE_REQUEST, answers the probe's New License
 * Request with STATUS_VALID_CLIENT and sends its Demand Active (xrdp needs no session manager for
 * that: it comes before any logon). The probe says goodbye there with a DPUM.
 */
class SessionIT {
  static final String SCENARIO = "mcs-tls";
  static final String HOST = "srv.lab.test";
  static Lab.Scenario lab;

  @BeforeAll
  static void up() {
    Lab.requireUsable();
    lab = Lab.up(SCENARIO);
  }

  @AfterAll
  static void down() {
    Lab.down(SCENARIO);
  }

  static Lab.Run diagnose(String... extra) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("rdpdoctor.jar"),
                "diagnose",
                HOST));
    cmd.addAll(List.of(extra));
    Lab.Run r = Lab.inClient(lab, cmd, 60);
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    return r;
  }

  @Test
  void xrdpTakesTheSequenceToDemandActiveAndTheDiagnosisStaysHealthy() {
    Lab.Run r = diagnose("--json");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    JsonNode j = Lab.JSON.readTree(r.stdout());
    JsonNode s = j.path("probes").path("session");
    assertThat(s.path("status").asString()).as(s.toString()).isEqualTo("demand_active");
    assertThat(s.path("reached").asString()).isEqualTo("Demand Active");
    assertThat(s.path("licensing").asString()).isEqualTo("STATUS_VALID_CLIENT");
    assertThat(s.path("capability_count").asInt()).isEqualTo(10);
    assertThat(s.path("capability_types").toString()).contains("General", "Bitmap");
    List<String> steps = new ArrayList<>();
    long last = -1;
    for (JsonNode step : s.path("steps")) {
      steps.add(step.path("name").asString());
      long ms = step.path("millis").asLong();
      assertThat(ms).as(step.toString()).isGreaterThanOrEqualTo(last);
      last = ms;
    }
    assertThat(steps)
        .containsExactly(
            "X.224",
            "TLS",
            "MCS Connect Response",
            "MCS Attach User Confirm",
            "MCS Channel Join Confirm 1002",
            "MCS Channel Join Confirm 1003",
            "Client Info",
            "Licensing",
            "New License Request",
            "Licensing",
            "Demand Active");
    assertThat(s.path("millis").asLong()).isLessThan(10_000);
    assertThat(s.has("error_info")).isFalse();
    assertThat(j.path("findings").get(0).path("cause").asString()).isEqualTo("healthy");
    assertThat(j.path("checked").toString()).contains("Demand Active");
  }

  @Test
  void traceShowsTheCapturedBytesAndThePoliteGoodbye() throws Exception {
    Lab.Run r = diagnose("--json", "--trace");
    assertThat(r.exitCode()).as(r.describe()).isZero();
    String trace = r.stderr();
    for (String[] f :
        new String[][] {
          {"MCS Attach User Confirm", "xrdp-attach-user-confirm.hex"},
          {"MCS Channel Join Confirm 1003", "xrdp-channel-join-confirm-io.hex"},
          {"MCS Connect Response", "xrdp-connect-response-tls.hex"},
          {"server PDU", "xrdp-license-request.hex"}
        }) {
      assertThat(hexAfter(trace, "<< [session] " + f[0]))
          .as(f[0])
          .isEqualTo(SessionPduTest.fixture(f[1]));
    }
    int info = trace.indexOf(">> [session] Client Info PDU");
    int bye = trace.indexOf(">> [session] MCS Disconnect Provider Ultimatum");
    assertThat(info).isPositive();
    assertThat(bye).isGreaterThan(info);
  }

  /** The bytes of the hex dump that follows a trace header line. */
  static byte[] hexAfter(String trace, String header) {
    int at = trace.indexOf(header);
    assertThat(at).as(header).isNotNegative();
    StringBuilder hex = new StringBuilder();
    Pattern row = Pattern.compile("^ {4}[0-9a-f]{4} {2}((?:[0-9a-f]{2} ?)+)");
    for (String line : trace.substring(at).lines().skip(1).toList()) {
      Matcher m = row.matcher(line);
      if (!m.find()) {
        break;
      }
      hex.append(m.group(1).replace(" ", ""));
    }
    return dev.rdpdoctor.wire.Hex.parse(hex.toString());
  }
}

package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Standard RDP Security at xrdp's two strict levels (lab scenarios mcs-rdp-high and mcs-rdp-fips).
 * xrdp answers every Connect-Initial with the one method its crypt_level fixes, whatever the client
 * offered (lab/README.md, measured with labcheck.py), so exactly one method counts as accepted;
 * rdpdoctor must say which, agree with nmap's rdp-enum-encryption, and still put
 * standard-security-only first without calling these levels weak.
 */
class McsRdpLevelsIT {
  static final String HOST = "srv.lab.test";
  static final List<String> SCENARIOS = List.of("mcs-rdp-high", "mcs-rdp-fips");

  /** What xrdp selects per scenario: method name, level value, level name (nmap's wording). */
  static final Map<String, List<String>> EXPECTED =
      Map.of(
          "mcs-rdp-high", List.of("128-bit RC4", "3", "High"),
          "mcs-rdp-fips", List.of("FIPS 140-1", "4", "FIPS Compliant"));

  static final Map<String, Lab.Scenario> LAB = new HashMap<>();

  @BeforeAll
  static void up() {
    Lab.requireUsable();
    for (String s : SCENARIOS) {
      LAB.put(s, Lab.up(s));
    }
  }

  @AfterAll
  static void down() {
    for (String s : SCENARIOS) {
      Lab.down(s);
    }
  }

  static JsonNode diagnose(String scenario) {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            System.getProperty("rdpdoctor.jar"),
            "diagnose",
            HOST,
            "--json");
    Lab.Run r = Lab.inClient(LAB.get(scenario), cmd, 60);
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.stdout().strip()).as(r.describe()).startsWith("{");
    return Lab.JSON.readTree(r.stdout());
  }

  static List<String> acceptedMethods(JsonNode sec) {
    List<String> names = new ArrayList<>();
    for (JsonNode m : sec.path("methods")) {
      if (m.path("accepted").asBoolean()) {
        names.add(m.path("name").asString());
      }
    }
    return names;
  }

  @ParameterizedTest
  @ValueSource(strings = {"mcs-rdp-high", "mcs-rdp-fips"})
  void oneMethodAtTheConfiguredLevelAndStandardSecurityFirst(String scenario) {
    JsonNode d = diagnose(scenario);
    JsonNode sec = d.path("probes").path("rdp_security");
    List<String> want = EXPECTED.get(scenario);
    assertThat(sec.path("status").asString()).as(sec.toString()).isEqualTo("ok");
    assertThat(acceptedMethods(sec)).as(sec.toString()).containsExactly(want.get(0));
    assertThat(sec.path("encryption_level").asInt()).isEqualTo(Integer.parseInt(want.get(1)));
    assertThat(sec.path("encryption_level_name").asString()).isEqualTo(want.get(2));
    assertThat(sec.path("certificate").path("kind").asString()).isEqualTo("proprietary");

    List<String> causes = new ArrayList<>();
    d.path("findings").forEach(f -> causes.add(f.path("cause").asString()));
    assertThat(causes)
        .as(d.path("findings").toString())
        .first()
        .isEqualTo("standard-security-only");
    assertThat(causes).contains("nla-not-mandated").doesNotContain("rdp-weak-encryption");
    assertThat(d.path("verdict").asString()).isNotEqualTo("ok");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mcs-rdp-high", "mcs-rdp-fips"})
  void sameMethodAndLevelAsNmap(String scenario) {
    Lab.Run nmap =
        Lab.inClient(
            LAB.get(scenario),
            List.of("nmap", "-Pn", "-p3389", "--script", "rdp-enum-encryption", HOST),
            60);
    assertThat(nmap.exitCode()).as(nmap.describe()).isZero();
    String level = null;
    List<String> theirs = new ArrayList<>();
    for (String line : nmap.stdout().split("\n")) {
      String l = line.replaceFirst("^\\|_?\\s*", "").strip();
      if (l.startsWith("RDP Encryption level: ")) {
        level = l.substring("RDP Encryption level: ".length());
      } else if (level != null && l.endsWith(": SUCCESS")) {
        theirs.add(l.substring(0, l.length() - ": SUCCESS".length()));
      }
    }
    assertThat(level).as(nmap.stdout()).isEqualTo(EXPECTED.get(scenario).get(2));
    JsonNode sec = diagnose(scenario).path("probes").path("rdp_security");
    assertThat(acceptedMethods(sec)).containsExactlyElementsOf(theirs);
    assertThat(sec.path("encryption_level_name").asString()).isEqualTo(level);
  }
}

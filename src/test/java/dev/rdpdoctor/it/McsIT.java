package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Standard RDP Security on real xrdp (issue 3 item 4): mcs-rdp (security_layer=rdp,
 * crypt_level=low) and mcs-tls (negotiate, crypt_level=high), each compared with nmap --script
 * rdp-enum-encryption on the same server: the same accepted methods, the same encryption level and
 * the same protocol version; xrdp's proprietary certificate carries a valid Terminal Services
 * signature.
 */
class McsIT {
  static final String HOST = "srv.lab.test";
  static final List<String> SCENARIOS = List.of("mcs-rdp", "mcs-tls");

  /** nmap's wording for SC_CORE versions (nselib/rdp.lua). */
  static final Map<String, String> NMAP_VERSION =
      Map.of(
          "0x00080001",
          "RDP 4.0 server",
          "0x00080004",
          "RDP 5.x, 6.x, 7.x, or 8.x server",
          "0x00080005",
          "RDP 10.0 server");

  static final Map<String, Lab.Scenario> LAB = new java.util.HashMap<>();

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
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("rdpdoctor.jar"),
                "diagnose",
                HOST,
                "--json"));
    Lab.Run r = Lab.inClient(LAB.get(scenario), cmd, 60);
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.stdout().strip()).as(r.describe()).startsWith("{");
    return Lab.JSON.readTree(r.stdout());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mcs-rdp", "mcs-tls"})
  void sameFactsAsNmapRdpEnumEncryption(String scenario) {
    Lab.Run nmap =
        Lab.inClient(
            LAB.get(scenario),
            List.of("nmap", "-Pn", "-p3389", "--script", "rdp-enum-encryption", HOST),
            60);
    assertThat(nmap.exitCode()).as(nmap.describe()).isZero();
    List<String> theirs = new ArrayList<>();
    String level = null;
    String version = null;
    boolean inCiphers = false;
    for (String line : nmap.stdout().split("\n")) {
      String l = line.replaceFirst("^\\|_?\\s*", "").strip();
      if (l.startsWith("RDP Encryption level: ")) {
        level = l.substring("RDP Encryption level: ".length());
        inCiphers = true;
      } else if (l.startsWith("RDP Protocol Version:")) {
        version = l.substring("RDP Protocol Version:".length()).strip();
      } else if (inCiphers && l.endsWith(": SUCCESS")) {
        theirs.add(l.substring(0, l.length() - ": SUCCESS".length()));
      }
    }
    assertThat(level).as(nmap.stdout()).isNotNull();

    JsonNode sec = diagnose(scenario).path("probes").path("rdp_security");
    assertThat(sec.path("status").asString()).as(sec.toString()).isEqualTo("ok");
    List<String> ours = new ArrayList<>();
    for (JsonNode m : sec.path("methods")) {
      if (m.path("accepted").asBoolean() && m.path("value").asInt() != 0) {
        ours.add(m.path("name").asString()); // nmap does not try "none"
      }
    }
    assertThat(ours).as(sec.toString()).containsExactlyInAnyOrderElementsOf(theirs);
    assertThat(sec.path("encryption_level_name").asString()).isEqualTo(level);
    assertThat(NMAP_VERSION.get(sec.path("server_version").asString())).isEqualTo(version);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mcs-rdp", "mcs-tls"})
  void findingsRankBelowTheCauseAndNameTheWeakness(String scenario) {
    JsonNode d = diagnose(scenario);
    JsonNode sec = d.path("probes").path("rdp_security");
    assertThat(sec.path("certificate").path("kind").asString()).isEqualTo("proprietary");
    assertThat(sec.path("certificate").path("modulus_bits").asInt()).isGreaterThanOrEqualTo(512);
    assertThat(sec.path("offers_udp").asBoolean()).isFalse(); // xrdp sends no multitransport
    List<String> causes = new ArrayList<>();
    d.path("findings").forEach(f -> causes.add(f.path("cause").asString()));
    assertThat(causes).contains("nla-not-mandated");
    if (scenario.equals("mcs-rdp")) {
      assertThat(sec.path("encryption_level_name").asString()).isEqualTo("Low");
      assertThat(causes.get(0)).isEqualTo("standard-security-only");
      assertThat(causes).contains("rdp-weak-encryption").doesNotContain("tls-not-mandated");
      // xrdp signs its key with the Terminal Services key ([MS-RDPBCGR] 5.3.3.1), as Windows does
      assertThat(sec.path("certificate").path("signature_valid").isBoolean()).isTrue();
      assertThat(sec.path("certificate").path("signature_valid").asBoolean())
          .as(sec.path("certificate").toString())
          .isTrue();
      assertThat(causes).doesNotContain("rdp-cert-signature-invalid");
    } else {
      assertThat(sec.path("encryption_level_name").asString()).isEqualTo("High");
      assertThat(causes.get(0)).isEqualTo("healthy");
      assertThat(d.path("verdict").asString()).isEqualTo("ok");
      assertThat(causes).contains("tls-not-mandated").doesNotContain("rdp-weak-encryption");
    }
  }
}

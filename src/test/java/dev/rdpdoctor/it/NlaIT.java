package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * CredSSP against FreeRDP's shadow server with NLA and a SAM user (lab scenario nla-logon): the
 * NTLM identity beside nmap's rdp-ntlm-info, the right and the wrong password, and no password in
 * any output.
 */
class NlaIT {
  static final String SCENARIO = "nla-logon";
  static final String HOST = "srv.lab.test";
  static final long DIAGNOSE_TIMEOUT_S = 60;
  static Lab.Scenario lab;
  static Path dir;

  @BeforeAll
  static void up() throws IOException {
    Lab.requireUsable();
    lab = Lab.up(SCENARIO);
    dir =
        Files.createTempDirectory(
            "rdpdoctor-nla-it",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  @AfterAll
  static void down() throws IOException {
    Lab.down(SCENARIO);
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  static String password() {
    return lab.raw().path("password").asString();
  }

  static String user() {
    return lab.raw().path("user").asString();
  }

  /** A password file, so the secret is never on a command line. */
  static Path passwordFile(String name, String pw) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, pw + "\n");
    return p;
  }

  static Lab.Run diagnose(List<String> extra) {
    String jar = System.getProperty("rdpdoctor.jar");
    assertThat(jar).as("system property rdpdoctor.jar (set by failsafe)").isNotBlank();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar,
                "diagnose",
                HOST,
                "--quick"));
    cmd.addAll(extra);
    Lab.Run r = Lab.inClient(lab, cmd, DIAGNOSE_TIMEOUT_S);
    assertThat(r.timedOut()).as("diagnose finished: %s", r.describe()).isFalse();
    return r;
  }

  static JsonNode json(Lab.Run r) {
    assertThat(r.stdout().strip()).as(r.describe()).startsWith("{");
    return Lab.JSON.readTree(r.stdout());
  }

  @Test
  void ntlmIdentityMatchesNmapRdpNtlmInfo() {
    Lab.Run nmap =
        Lab.inClient(lab, List.of("nmap", "-Pn", "-p3389", "--script", "rdp-ntlm-info", HOST), 60);
    assertThat(nmap.exitCode()).as(nmap.describe()).isZero();
    Map<String, String> theirs = new LinkedHashMap<>();
    for (String line : nmap.stdout().split("\n")) {
      String l = line.replaceFirst("^\\|_?\\s*", "").strip();
      int colon = l.indexOf(": ");
      if (colon > 0) {
        theirs.put(l.substring(0, colon), l.substring(colon + 2));
      }
    }
    assertThat(theirs).as(nmap.stdout()).containsKey("NetBIOS_Computer_Name");

    JsonNode nla = json(diagnose(List.of("--json"))).path("probes").path("nla");
    assertThat(nla.path("status").asString()).isEqualTo("ok");
    assertThat(nla.path("credssp_version").asInt()).isBetween(2, 6);
    JsonNode ntlm = nla.path("ntlm");
    assertThat(ntlm.path("target_name").asString()).isEqualTo(theirs.get("Target_Name"));
    assertThat(ntlm.path("netbios_computer_name").asString())
        .isEqualTo(theirs.get("NetBIOS_Computer_Name"));
    assertThat(ntlm.path("netbios_domain_name").asString())
        .isEqualTo(theirs.get("NetBIOS_Domain_Name"));
    assertThat(ntlm.path("dns_computer_name").asString())
        .isEqualTo(theirs.get("DNS_Computer_Name"));
    assertThat(ntlm.path("dns_domain_name").asString()).isEqualTo(theirs.get("DNS_Domain_Name"));
    assertThat(ntlm.path("product_version").asString()).isEqualTo(theirs.get("Product_Version"));
    // same machine, same clock: the lab's server cannot be minutes off
    assertThat(Math.abs(ntlm.path("skew_seconds").asLong())).isLessThanOrEqualTo(5);
  }

  @Test
  void rightPasswordIsAcceptedAtNla() throws IOException {
    Path pw = passwordFile("right", password());
    Lab.Run r = diagnose(List.of("--json", "--user", user(), "--password-file", pw.toString()));
    JsonNode doc = json(r);
    JsonNode logon = doc.path("probes").path("nla").path("logon");
    assertThat(logon.path("outcome").asString()).as(r.describe()).isEqualTo("accepted");
    assertThat(logon.path("account").asString()).isEqualTo(user());
    List<String> causes = new ArrayList<>();
    doc.path("findings").forEach(f -> causes.add(f.path("cause").asString()));
    assertThat(causes).contains("nla-logon-accepted");
    assertThat(causes.get(0)).isEqualTo("healthy");
    assertThat(r.exitCode()).isZero();

    // then the sequence a user with NLA gets: CredSSP with the credentials delegated, and
    // MCS on the same TLS stream up to the shadow server's Demand Active
    JsonNode session = doc.path("probes").path("session");
    assertThat(session.path("status").asString()).as(session.toString()).isEqualTo("demand_active");
    assertThat(session.path("security").asString())
        .startsWith("TLS (")
        .endsWith(" + CredSSP (NLA) as " + user());
    List<String> steps = new ArrayList<>();
    session.path("steps").forEach(st -> steps.add(st.path("name").asString()));
    assertThat(steps)
        .containsSubsequence(
            "X.224", "TLS", "CredSSP", "MCS Connect Response", "Client Info", "Demand Active");
    assertThat(session.path("steps").get(2).path("detail").asString())
        .endsWith("credentials delegated");
  }

  @Test
  void wrongPasswordIsReportedAsWhatTheServerShowed() throws IOException {
    Path pw = passwordFile("wrong", "Not" + password());
    Lab.Run r =
        diagnose(List.of("--json", "--trace", "--user", user(), "--password-file", pw.toString()));
    JsonNode doc = json(r);
    // a refused password is tried once: the session sequence never logs on with it again
    assertThat(r.stderr().split("NTLM AUTHENTICATE", -1)).as(r.stderr()).hasSize(2);
    assertThat(doc.path("probes").path("session").isMissingNode()).isTrue();
    JsonNode first = doc.path("findings").path(0);
    assertThat(first.path("cause").asString()).as(r.describe()).isEqualTo("logon-failed");
    // FreeRDP's shadow server closes without a TSRequest errorCode; we say exactly that
    JsonNode logon = doc.path("probes").path("nla").path("logon");
    assertThat(logon.path("outcome").asString()).isIn("closed", "rejected");
    if (logon.path("outcome").asString().equals("closed")) {
      assertThat(first.path("confidence").asString()).isEqualTo("medium");
      assertThat(first.path("summary").asString()).contains("without an error code");
    }
    assertThat(r.exitCode()).isEqualTo(2);
  }

  @Test
  void thePasswordAppearsInNoOutput() throws IOException {
    String right = password();
    String wrong = "Zz" + right + "Qq";
    for (String secret : List.of(right, wrong)) {
      Path pw = passwordFile("secret", secret);
      List<List<String>> modes =
          List.of(
              List.of("--json", "--trace"),
              List.of("--trace", "-v"),
              List.of("--json"),
              List.<String>of());
      for (List<String> mode : modes) {
        List<String> args = new ArrayList<>(mode);
        args.addAll(List.of("--user", user(), "--password-file", pw.toString()));
        Lab.Run r = diagnose(args);
        String all = r.stdout() + "\n" + r.stderr();
        assertThat(all).as("output of %s", mode).isNotBlank();
        assertThat(all)
            .as("password in output of %s", mode)
            .doesNotContain(secret)
            .doesNotContain(right);
        // the trace prints bytes as hex: the UTF-16LE and UTF-8 hex of the secret must not show
        String hex = hexSpaced(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String hex16 = hexSpaced(secret.getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        String flat = all.replaceAll("\\s+", " ");
        assertThat(flat)
            .as("password bytes in %s", mode)
            .doesNotContain(hex.substring(0, 20))
            .doesNotContain(hex16.substring(0, 20));
      }
    }
  }

  private static String hexSpaced(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x ", x));
    }
    return sb.toString().strip();
  }
}

package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixCommandTest {
  static final String SECRET = "Sup3r-Secret-Pa55";

  @TempDir Path dir;

  String allText(Path folder) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : files.toList()) {
        byte[] b = Files.readAllBytes(p);
        sb.append(new String(b, java.nio.charset.StandardCharsets.UTF_8));
        sb.append(new String(b, java.nio.charset.StandardCharsets.UTF_16LE));
      }
    }
    return sb.toString();
  }

  @Test
  void scriptsFromASavedReportTakeOnlyIdsFromItAndNoSecrets() throws Exception {
    Path report =
        Files.writeString(
            dir.resolve("r.json"),
            """
        { "target": { "host": "srv.lab.test", "port": 3389, "password": "%s" },
          "findings": [
            { "cause": "port-closed", "severity": "fail", "summary": "%s",
              "fixes": [ { "id": "allow-host-firewall",
                           "steps": [ { "kind": "powershell", "text": "Remove-Item C:\\\\" } ] },
                         { "id": "no-such-fix" } ] },
            { "cause": "stale-saved-credentials", "severity": "warn",
              "fixes": [ { "id": "remove-stale-credentials" } ] },
            { "cause": "cert-self-signed", "severity": "info",
              "fixes": [ { "id": "trust-rdp-certificate" } ] },
            { "cause": "made-up", "severity": "fail", "fixes": [] } ] }
        """
                .formatted(SECRET, SECRET));
    Path out = dir.resolve("scripts");
    var r = RdpFileCommandTest.run("fix", "--from", report.toString(), "--out", out.toString());
    assertThat(r.rc()).as(r.err()).isZero();
    assertThat(r.err()).contains("ignored fix 'no-such-fix'").contains("unknown cause 'made-up'");
    String server = Files.readString(out.resolve("server-fix.ps1"));
    assertThat(server)
        .contains("Enable-RdpdFirewallGroup -Group 'Remote Desktop'")
        .doesNotContain("Remove-Item C:\\");
    assertThat(Files.readString(out.resolve("client-fix.ps1")))
        .contains("Remove-RdpdSavedCredential -Target 'TERMSRV/srv.lab.test'");
    assertThat(out.resolve("manual-steps.txt")).exists();
    assertThat(Files.readString(out.resolve("manual-steps.txt")))
        .doesNotContain("trust-rdp-certificate"); // info notes get no fix
    assertThat(allText(out)).doesNotContain(SECRET);
    assertThat(r.out() + r.err()).doesNotContain(SECRET);
    // a second run never overwrites
    var again = RdpFileCommandTest.run("fix", "--from", report.toString(), "--out", out.toString());
    assertThat(again.rc()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(again.err()).contains("already exists");
  }

  @Test
  void badReportsAreClearErrors() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.json"), "{ not json");
    var r =
        RdpFileCommandTest.run(
            "fix", "--from", junk.toString(), "--out", dir.resolve("o").toString());
    assertThat(r.rc()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err()).contains("not a JSON report").doesNotContain("Exception:");
    Path evil =
        Files.writeString(
            dir.resolve("evil.json"),
            "{\"target\":{\"host\":\"a'; rm -rf /\",\"port\":3389},\"findings\":[]}");
    var e =
        RdpFileCommandTest.run(
            "fix", "--from", evil.toString(), "--out", dir.resolve("o2").toString());
    assertThat(e.rc()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(e.err()).contains("the report's target");
    var missing =
        RdpFileCommandTest.run(
            "fix",
            "--from",
            dir.resolve("none.json").toString(),
            "--out",
            dir.resolve("o3").toString());
    assertThat(missing.err()).contains("no such file");
  }

  @Test
  void diagnoseWritesScriptsForWhatItFound() throws Exception {
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(
                req ->
                    req >= 0 && (req & SecurityProtocol.PROTOCOL_HYBRID) != 0
                        ? Answer.select(SecurityProtocol.PROTOCOL_HYBRID)
                        : Answer.failure(5))
            .start()) {
      Path out = dir.resolve("fix");
      var r =
          RdpFileCommandTest.run(
              "diagnose",
              "127.0.0.1:" + server.port(),
              "--client-profile",
              "no-nla",
              "--quick",
              "-q",
              "--timeout",
              "3",
              "--json",
              "--fix-script",
              out.toString());
      assertThat(r.rc()).as(r.err()).isEqualTo(Main.EXIT_FAIL);
      assertThat(r.out()).startsWith("{").contains("\"cause\" : \"nla-required\"");
      String fix = Files.readString(out.resolve("server-fix.ps1"));
      assertThat(fix).contains("# Found: nla-required").contains("if ($IncludeSecurityLowering)");
      assertThat(Files.readString(out.resolve("server-undo.ps1")))
          .contains("-Name 'UserAuthentication' -Type 'DWord' -Value 1");
    }
  }
}

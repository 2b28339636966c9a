package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RdpFileCommandTest {
  @TempDir Path dir;

  record Run(int rc, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int rc = cl.execute(args);
    return new Run(rc, out.toString(), err.toString());
  }

  Path utf16File(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
    byte[] all = new byte[body.length + 2];
    all[0] = (byte) 0xFF;
    all[1] = (byte) 0xFE;
    System.arraycopy(body, 0, all, 2, body.length);
    Files.write(p, all);
    return p;
  }

  @Test
  void lintReportsAndWritesACorrectedCopyNextToTheUntouchedOriginal() throws Exception {
    Path f =
        utf16File(
            "a.rdp",
            "full address:s:srv.lab.test\r\nenablecredsspsupport:i:0\r\n"
                + "password 51:b:01000000D08C9DDF0115D1118C7A00C04FC297EBSECRET\r\n");
    byte[] before = Files.readAllBytes(f);
    Path fixed = dir.resolve("a-fixed.rdp");
    Run r = run("rdpfile", "lint", f.toString(), "--fix-out", fixed.toString());
    assertThat(r.rc()).as(r.err()).isEqualTo(Main.EXIT_WARN);
    assertThat(r.out())
        .contains("credssp-disabled")
        .contains("saved-password-blob")
        .contains("fix: enablecredsspsupport:i:1")
        .contains("Corrected copy written")
        .doesNotContain("SECRET")
        .doesNotContain("D08C9DDF");
    assertThat(Files.readAllBytes(f)).isEqualTo(before);
    byte[] out = Files.readAllBytes(fixed);
    assertThat(out[0] & 0xFF).isEqualTo(0xFF);
    assertThat(new String(out, 2, out.length - 2, StandardCharsets.UTF_16LE))
        .isEqualTo("full address:s:srv.lab.test\r\nenablecredsspsupport:i:1\r\n");
    Run again = run("rdpfile", "lint", fixed.toString());
    assertThat(again.rc()).isZero();
    assertThat(again.out()).contains("No problems found.");
  }

  @Test
  void lintNeverOverwrites() throws Exception {
    Path f = utf16File("b.rdp", "full address:s:h\r\nauthentication level:i:0\r\n");
    byte[] before = Files.readAllBytes(f);
    Run same = run("rdpfile", "lint", f.toString(), "--fix-out", f.toString());
    assertThat(same.rc()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(same.err()).contains("never overwritten");
    Path other = Files.writeString(dir.resolve("other.rdp"), "keep me");
    Run exists = run("rdpfile", "lint", f.toString(), "--fix-out", other.toString());
    assertThat(exists.rc()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(exists.err()).contains("already exists");
    assertThat(Files.readAllBytes(f)).isEqualTo(before);
    assertThat(Files.readString(other)).isEqualTo("keep me");
  }

  @Test
  void lintJsonAndBadInput() throws Exception {
    Path f = utf16File("c.rdp", "full address:s:h:3390\r\nserver port:i:3389\r\nbroken\r\n");
    Run r = run("rdpfile", "lint", f.toString(), "--json");
    assertThat(r.rc()).isEqualTo(Main.EXIT_WARN);
    assertThat(r.out())
        .contains("\"rule\" : \"port-conflict\"")
        .contains("\"port\" : 3390")
        .contains("3:1: expected name:type:value");
    Run missing = run("rdpfile", "lint", dir.resolve("nope.rdp").toString());
    assertThat(missing.rc()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(missing.err()).contains("no such file").doesNotContain("Exception");
    Path empty = Files.write(dir.resolve("empty.rdp"), new byte[0]);
    Run e = run("rdpfile", "lint", empty.toString());
    assertThat(e.rc()).isEqualTo(Main.EXIT_FAIL);
    assertThat(e.out()).contains("missing-address");
  }

  @Test
  void diagnoseTakesTargetAndProfileFromTheFileAndBlamesItsCredSspSetting() throws Exception {
    // an NLA server: refuses any offer without CredSSP with HYBRID_REQUIRED_BY_SERVER
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(
                req ->
                    req >= 0 && (req & SecurityProtocol.PROTOCOL_HYBRID) != 0
                        ? Answer.select(SecurityProtocol.PROTOCOL_HYBRID)
                        : Answer.failure(5))
            .start()) {
      Path f =
          utf16File(
              "nla.rdp",
              "full address:s:127.0.0.1:" + server.port() + "\r\nenablecredsspsupport:i:0\r\n");
      Run r =
          run("diagnose", "--rdp-file", f.toString(), "--json", "--quick", "-q", "--timeout", "3");
      assertThat(r.rc()).as(r.err()).isEqualTo(Main.EXIT_FAIL);
      assertThat(server.requestedProtocols()).first().isEqualTo(SecurityProtocol.PROTOCOL_SSL);
      assertThat(r.out())
          .contains("\"client_profile\" : \"no-nla\"")
          .contains("\"port\" : " + server.port())
          .contains("\"rdp_file\" : {")
          .contains("\"cause\" : \"rdp-file-misconfigured\"")
          .contains("switches CredSSP off (enablecredsspsupport:i:0) and this server requires");
    }
  }

  @Test
  void diagnoseWithoutServerOrFileIsAUsageError() {
    Run r = run("diagnose");
    assertThat(r.rc()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err()).contains("no server given");
  }
}

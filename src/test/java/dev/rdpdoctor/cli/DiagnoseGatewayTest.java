package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.testing.FakeTsGateway;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * diagnose --gateway against the scripted MS-TSGU gateway: NTLM over HTTP, the WebSocket upgrade,
 * then handshake, tunnel, CAP and RAP, each outcome named, exit code per verdict, and the password
 * in no output (stdout, stderr, trace).
 */
class DiagnoseGatewayTest {
  static final String PASSWORD = "S3cret-Gw-Pa55!";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "ACCEPT,         healthy,             0, ",
    "DENY_CAP,       gateway-forbidden,   2, CAP",
    "DENY_RAP,       gateway-forbidden,   2, RAP",
    "INTERNAL_ERROR, gateway-error,       2, E_PROXY_INTERNALERROR",
  })
  void namesTheGatewayDecision(FakeTsGateway.Mode mode, String cause, int exit, String word)
      throws Exception {
    try (FakeTsGateway gw = new FakeTsGateway(mode, "labuser", PASSWORD.toCharArray())) {
      Result r = run(gw, PASSWORD, "--json", "--trace");
      JsonNode doc = JsonMapper.builder().build().readTree(r.out);
      JsonNode first = doc.path("findings").path(0);
      assertThat(first.path("cause").asString()).as("%s%n%s", r.out, r.err).isEqualTo(cause);
      assertThat(r.rc).isEqualTo(exit);
      if (word != null) {
        assertThat(first.path("summary").asString()).contains(word);
      }
      if (mode == FakeTsGateway.Mode.ACCEPT) {
        assertThat(gw.received)
            .contains(
                "HANDSHAKE_REQUEST",
                "TUNNEL_CREATE",
                "TUNNEL_AUTH",
                "CHANNEL_CREATE",
                "resource rdp.target.test:3389");
        // the gateway sends MsvAvTimestamp, so the logon carries a MIC, and it checks out
        assertThat(gw.received).contains("NTLM accepted, MIC checked");
      }
      assertThat(
              doc.path("probes")
                  .path("gateway")
                  .path("tunnel")
                  .path("auth_status")
                  .asInt(
                      doc.path("probes").path("gateway").path("tunnel").path("authStatus").asInt()))
          .isEqualTo(101);
      assertThat(r.out + r.err).doesNotContain(PASSWORD);
    }
  }

  @ParameterizedTest(name = "wrong password -> gateway-auth-failed ({0})")
  @CsvSource({"text", "--json"})
  void wrongPasswordIsGatewayAuthFailed(String format) throws Exception {
    try (FakeTsGateway gw =
        new FakeTsGateway(FakeTsGateway.Mode.ACCEPT, "labuser", PASSWORD.toCharArray())) {
      Result r =
          format.equals("text")
              ? run(gw, "wrong-" + PASSWORD, "--trace")
              : run(gw, "wrong-" + PASSWORD, "--json");
      assertThat(r.out).contains("gateway-auth-failed");
      assertThat(gw.received).contains("NTLM refused: bad NTProofStr, no MIC");
      assertThat(r.rc).isEqualTo(2);
      assertThat(r.out + r.err).doesNotContain(PASSWORD).doesNotContain("wrong-");
    }
  }

  record Result(int rc, String out, String err) {}

  private Result run(FakeTsGateway gw, String password, String... extra) throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, password + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "diagnose",
                "rdp.target.test",
                "--gateway",
                "127.0.0.1:" + gw.port(),
                "--user",
                "LAB\\labuser",
                "--password-file",
                pw.toString(),
                "--timeout",
                "5"));
    args.addAll(java.util.List.of(extra));
    // --trace writes to System.err: capture it too, the password must not be there either
    java.io.ByteArrayOutputStream traced = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.err;
    System.setErr(new java.io.PrintStream(traced, true, java.nio.charset.StandardCharsets.UTF_8));
    int rc;
    try {
      rc = cl.execute(args.toArray(String[]::new));
    } finally {
      System.setErr(saved);
    }
    return new Result(
        rc, out.toString(), err + traced.toString(java.nio.charset.StandardCharsets.UTF_8));
  }
}

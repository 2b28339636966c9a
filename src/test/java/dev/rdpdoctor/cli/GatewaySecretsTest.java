package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.testing.FakeTsGateway;
import dev.rdpdoctor.wire.Hex;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The password given for the gateway logon appears in no gateway evidence, finding or wire trace,
 * in any encoding it could leak in (plain, UTF-16LE as NTLM carries strings, Base64 of
 * user:password as HTTP Basic would), for every outcome of the scripted gateway and for a wrong
 * password, in text and JSON.
 */
class GatewaySecretsTest {
  static final String PASSWORD = "Zq7-Secr3t-Gw!";

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}, {1}, {2}")
  @CsvSource({
    "ACCEPT,         right, --json",
    "ACCEPT,         right, text",
    "DENY_CAP,       right, --json",
    "DENY_RAP,       right, text",
    "INTERNAL_ERROR, right, --json",
    "ACCEPT,         wrong, --json",
    "ACCEPT,         wrong, text",
  })
  void passwordNeverLeaks(FakeTsGateway.Mode mode, String which, String format) throws Exception {
    String given = which.equals("right") ? PASSWORD : "Wr0ng-" + PASSWORD;
    String everything;
    try (FakeTsGateway gw = new FakeTsGateway(mode, "labuser", PASSWORD.toCharArray())) {
      everything = run(gw, given, format);
      if (which.equals("right")) {
        // the run did authenticate: the leak check covers the full tunnel exchange
        assertThat(gw.received).contains("HANDSHAKE_REQUEST");
      }
    }
    assertThat(everything).contains("gateway").contains(">> [").contains("<< ["); // traced
    for (String secret : encodings(given)) {
      assertThat(everything).doesNotContainIgnoringCase(secret);
    }
  }

  static List<String> encodings(String password) {
    byte[] utf16 = password.getBytes(StandardCharsets.UTF_16LE);
    String hex = Hex.of(utf16);
    // the trace dump's ASCII column shows UTF-16LE text as "P.a.s.s"
    String dotted = String.join(".", password.split(""));
    return List.of(
        password,
        hex,
        hex.replace(" ", ""),
        dotted,
        Base64.getEncoder().encodeToString(utf16),
        Base64.getEncoder()
            .encodeToString(("labuser:" + password).getBytes(StandardCharsets.UTF_8)),
        Base64.getEncoder()
            .encodeToString(("LAB\\labuser:" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private String run(FakeTsGateway gw, String password, String format) throws Exception {
    Path pw = dir.resolve("pw");
    Files.writeString(pw, password + "\n");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    List<String> args =
        new ArrayList<>(
            List.of(
                "diagnose",
                "rdp.target.test",
                "--gateway",
                "127.0.0.1:" + gw.port(),
                "--user",
                "LAB\\labuser",
                "--password-file",
                pw.toString(),
                "--timeout",
                "5",
                "--trace"));
    if (!format.equals("text")) {
      args.add(format);
    }
    ByteArrayOutputStream traced = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
    try {
      cl.execute(args.toArray(String[]::new));
    } finally {
      System.setErr(saved);
    }
    return out + "\n" + err + "\n" + traced.toString(StandardCharsets.UTF_8);
  }
}

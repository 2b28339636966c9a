package dev.rdpdoctor.cli;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.TerminalText;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.testing.FakeRdpServer.ServerTls;
import dev.rdpdoctor.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command line's edges from issue 14 item 10: files that are not files, help text picocli would
 * warn about, text that would drive the terminal, and usage errors under --json (the rule of
 * docs/json-errors.md), each through the real entry point.
 */
class CliEdgeCasesTest {
  /** Exactly one document: anything after it fails the parse. */
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private static final String ESC = "\u001b";

  @TempDir Path dir;

  /** picocli's writers, and the process's stderr, where picocli's own warnings go. */
  record Run(int exit, String out, String err, String processErr) {}

  static Run run(String... argv) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream process = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(process, true, StandardCharsets.UTF_8));
      CommandLine cl = Main.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
      exit = cl.execute(argv);
    } finally {
      System.setErr(saved);
    }
    return new Run(exit, out.toString(), err.toString(), process.toString(StandardCharsets.UTF_8));
  }

  @Test
  void lintOfADeviceSaysItIsNotAFileAndReadsNothing() {
    Run r = run("rdpfile", "lint", "/dev/zero");
    assertThat(r.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err()).contains("/dev/zero: not a regular file").doesNotContain("no such file");
  }

  @Test
  void lintOfADirectorySaysItIsADirectory() {
    Run r = run("rdpfile", "lint", dir.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err()).contains(dir + ": is a directory").doesNotContain("no such file");
  }

  @Test
  void lintOfAMissingFileStillSaysNoSuchFile() {
    Run r = run("rdpfile", "lint", dir.resolve("absent.rdp").toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err()).contains("no such file");
  }

  @Test
  void logsHelpPrintsTheChannelNameWithoutAPicocliWarning() {
    Run r = run("logs", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("TerminalServices-RDPClient%4Operational.evtx");
    assertThat(r.processErr() + r.err()).doesNotContain("WARN");
  }

  @Test
  void aHostArgumentCannotDriveTheTerminal() {
    Run r = run("diagnose", "evil" + ESC + "[2J" + ESC + "]0;owned\u0007\nFAKE all good");
    assertThat(r.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err())
        .doesNotContain(ESC)
        .doesNotContain("\u0007")
        .contains("evil\\x1b[2J\\x1b]0;owned\\x07\\x0aFAKE");
    assertThat(r.err().lines().filter(l -> l.startsWith("FAKE"))).isEmpty();
  }

  @Test
  void anUnknownOptionCannotDriveTheTerminal() {
    Run r = run("diagnose", "--x" + ESC + "[31m", "127.0.0.1");
    assertThat(r.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err()).doesNotContain(ESC).contains("\\x1b[31m");
  }

  @Test
  void serverSuppliedNamesInTheTextReportAreEscaped() {
    // a certificate name with a colour sequence, a bidi override and a forged report line
    String cn = "rdp" + ESC + "[32m\u202Eok\nFAKE LINE";
    TestCertificates.Issued cert =
        TestCertificates.builder("CN=" + cn.replace("\n", "\\0A")).san("IP:127.0.0.1").build();
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(Answer.select(PROTOCOL_SSL))
            .tls(ServerTls.of(cert))
            .start()) {
      // the default deadline: on a loaded machine a short one can end before TLS does
      Run r = run("diagnose", "--quick", "127.0.0.1:" + server.port());
      assertThat(r.out())
          .as(r.out())
          .contains("rdp\\x1b[32m\\u202eok")
          .doesNotContain(ESC)
          .doesNotContain("\u202E");
      assertThat(r.out().lines().filter(l -> l.startsWith("FAKE LINE"))).isEmpty();
    }
  }

  @Test
  void progressLinesEscapeServerText() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ProgressPrinter p = new ProgressPrinter(new PrintStream(b, true, StandardCharsets.UTF_8), 0);
    p.on(new ProbeEvent.ProbeFinished(5_000_000, "tls", "host" + ESC + "[1A", "OK\nforged", 3));
    p.on(new ProbeEvent.ProbeFailed(6_000_000, "tls", "h", "reset" + ESC + "[2K", 4));
    String printed = b.toString(StandardCharsets.UTF_8);
    assertThat(printed)
        .doesNotContain(ESC)
        .contains("host\\x1b[1A: OK\\x0aforged")
        .contains("FAILED reset\\x1b[2K");
    assertThat(printed.lines()).hasSize(2);
  }

  @Test
  void theOneEscapingFunctionKeepsPlainTextAndShowsEveryControl() {
    assertThat(TerminalText.safe("rdp01.corp.example — Zürich"))
        .isEqualTo("rdp01.corp.example — Zürich");
    assertThat(TerminalText.safe("a\tb\r\n\u007f\u009b\u2066"))
        .isEqualTo("a\\x09b\\x0d\\x0a\\x7f\\x9b\\u2066");
    assertThat(TerminalText.safeKeepingLines("a\tb\n" + ESC)).isEqualTo("a\tb\n\\x1b");
    assertThat(TerminalText.safe(null)).isNull();
  }

  /** Usage errors under --json: one JSON document on stdout, exit 3 (docs/json-errors.md). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  void aUsageErrorWithJsonIsOneJsonDocumentAndExit3(
      String name, List<String> argv, String expected) {
    List<String> args = new ArrayList<>(argv);
    args.replaceAll(a -> a.replace("$DIR", dir.toString()));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.toString()).isEqualTo(Main.EXIT_UNKNOWN);
    JsonNode doc = JSON.readTree(r.out());
    assertThat(doc.path("error").path("kind").asString()).as(r.out()).isEqualTo("usage");
    assertThat(doc.path("error").path("message").asString())
        .contains(expected)
        .doesNotStartWith("rdpdoctor:");
    assertThat(doc.path("exit_code").asInt()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err()).as("the same message on stderr").contains(expected);
  }

  static List<Arguments> usageErrors() {
    return List.of(
        Arguments.of(
            "diagnose: unknown option",
            List.of("diagnose", "--json", "--bogus", "127.0.0.1"),
            "--bogus"),
        Arguments.of(
            "diagnose: bad host",
            List.of("diagnose", "--json", "no host!"),
            "is not a valid host name"),
        Arguments.of("diagnose: no host", List.of("diagnose", "--json"), "no server given"),
        Arguments.of(
            "diagnose: unknown profile",
            List.of("diagnose", "--json", "--client-profile", "mstsc99", "127.0.0.1"),
            "unknown client profile"),
        Arguments.of(
            "rdpfile lint: directory",
            List.of("rdpfile", "lint", "--json", "$DIR"),
            "is a directory"),
        Arguments.of(
            "rdpfile lint: device",
            List.of("rdpfile", "lint", "--json", "/dev/zero"),
            "not a regular file"),
        Arguments.of(
            "rdpfile lint: missing argument",
            List.of("rdpfile", "lint", "--json"),
            "Missing required parameter"),
        Arguments.of(
            "explain: neither code nor trace",
            List.of("explain", "--json"),
            "give either a CODE or --trace FILE"),
        Arguments.of("logs: no file", List.of("logs", "--json"), "Missing required parameter"));
  }

  @Test
  void aCommandThatWritesItsOwnJsonGetsNoSecondDocument() throws Exception {
    Path missing = dir.resolve("absent.evtx");
    Run r = run("logs", "--json", missing.toString());
    // logs reports an unreadable file inside its own document: still exactly one
    JsonNode doc = JSON.readTree(r.out());
    assertThat(doc.has("files")).as(r.out()).isTrue();
    assertThat(doc.has("error")).isFalse();
    assertThat(Files.exists(missing)).isFalse();
  }
}

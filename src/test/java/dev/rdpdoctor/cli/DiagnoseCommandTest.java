package dev.rdpdoctor.cli;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.testing.AcceptingSession;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.testing.FakeRdpServer.ServerTls;
import dev.rdpdoctor.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code rdpdoctor diagnose} as a user runs it: the JSON contract and exit codes (DESIGN.md §5),
 * the text report, --trace on stderr, IPv6 literals, and usage errors. Only loopback literals are
 * targets: no name is resolved, nothing leaves the machine.
 */
class DiagnoseCommandTest {
  /** Short deadlines so the failure cases stay quick; loopback answers in microseconds. */
  private static final String[] FAST = {"--timeout", "3", "--connect-timeout", "1"};

  private static final Map<String, Integer> EXIT =
      Map.of(
          "ok",
          Main.EXIT_OK,
          "warn",
          Main.EXIT_WARN,
          "fail",
          Main.EXIT_FAIL,
          "unknown",
          Main.EXIT_UNKNOWN);
  private static final Pattern STACK_TRACE = Pattern.compile("Exception|\\n\\s+at [\\w$.]+\\(");

  /**
   * The picocli streams, and System.out/err too: the command writes progress and the wire trace to
   * the process's stderr, and nothing may leak into the process's stdout.
   */
  record Run(int exit, String out, String err, String sysOut, String sysErr) {
    String allErr() {
      return err + sysErr;
    }
  }

  private static Run diagnose(String... args) {
    String[] argv = new String[args.length + 1];
    argv[0] = "diagnose";
    System.arraycopy(args, 0, argv, 1, args.length);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
    ByteArrayOutputStream sysErr = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    int exit;
    try {
      System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
      // built after the swap: picocli's default handler remembers System.out/err as they were
      // at construction and, when they differ at execute(), replaces the writers set here
      CommandLine cl = Main.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
      exit = cl.execute(argv);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Run(
        exit,
        out.toString(),
        err.toString(),
        sysOut.toString(StandardCharsets.UTF_8),
        sysErr.toString(StandardCharsets.UTF_8));
  }

  private static String[] args(String target, String... extra) {
    String[] a = new String[FAST.length + extra.length + 1];
    System.arraycopy(FAST, 0, a, 0, FAST.length);
    System.arraycopy(extra, 0, a, FAST.length, extra.length);
    a[a.length - 1] = target;
    return a;
  }

  private static JsonNode json(String s) {
    return JsonMapper.builder().build().readTree(s);
  }

  private static FakeRdpServer healthy(InetAddress bind, String ipSan) {
    TestCertificates.Issued cert =
        TestCertificates.builder("CN=rdp.example.test")
            .san("DNS:rdp.example.test")
            .san("IP:" + ipSan)
            .build();
    // TLS without NLA, as a server with SecurityLayer=SSL answers (an offer without TLS gets
    // SSL_REQUIRED_BY_SERVER); after TLS it plays a working session up to Demand Active
    return FakeRdpServer.builder()
        .bind(bind)
        .answer(DiagnoseCommandTest::tlsOnly)
        .tls(ServerTls.of(cert))
        .afterTls(AcceptingSession.script())
        .start();
  }

  /** A server with SecurityLayer=SSL: TLS when offered, else SSL_REQUIRED_BY_SERVER. */
  private static Answer tlsOnly(int requested) {
    return (requested & PROTOCOL_SSL) != 0 ? Answer.select(PROTOCOL_SSL) : Answer.failure(1);
  }

  private static FakeRdpServer healthy() {
    return healthy(
        InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress().getHostAddress());
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void assertNoStackTrace(Run r) {
    assertThat(r.out()).doesNotContainPattern(STACK_TRACE);
    assertThat(r.allErr()).doesNotContainPattern(STACK_TRACE);
  }

  private static void assertJsonContract(Run r, String host, int port) {
    assertThat(r.sysOut()).as("nothing on the process's own stdout").isEmpty();
    JsonNode doc = json(r.out());
    assertThat(doc.get("target").get("host").asString()).isEqualTo(host);
    assertThat(doc.get("target").get("port").asInt()).isEqualTo(port);
    assertThat(doc.get("target").get("client_profile").asString()).isEqualTo("windows");
    String verdict = doc.get("verdict").asString();
    assertThat(verdict).isIn(EXIT.keySet());
    assertThat(r.exit()).as("exit code follows the verdict").isEqualTo(EXIT.get(verdict));
    assertThat(doc.get("exit_code").asInt()).isEqualTo(r.exit());
    assertThat(doc.get("findings").isArray()).isTrue();
    JsonNode top = doc.get("findings").get(0);
    assertThat(top.get("cause").asString()).isNotBlank();
    assertThat(top.get("severity").asString()).isNotBlank();
    assertThat(top.get("confidence").asString()).isNotBlank();
    assertThat(top.get("summary").asString()).isNotBlank();
    assertThat(top.get("evidence").isArray()).isTrue();
    assertThat(top.get("fixes").isArray()).isTrue();
    assertThat(doc.get("probes").isObject()).isTrue();
    assertThat(doc.get("probes").get("dns")).isNotNull();
    assertThat(doc.get("probes").get("tcp").isArray()).isTrue();
    assertNoStackTrace(r);
  }

  @Test
  void jsonForAHealthyServer() {
    try (FakeRdpServer server = healthy()) {
      Run r = diagnose(args("127.0.0.1:" + server.port(), "--json"));

      assertJsonContract(r, "127.0.0.1", server.port());
      JsonNode doc = json(r.out());
      assertThat(doc.get("verdict").asString()).as(r.out()).isEqualTo("ok");
      assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
      assertThat(doc.get("findings").get(0).get("cause").asString()).isEqualTo("healthy");
      JsonNode client = doc.get("probes").get("negotiation").get("attempts").get(0);
      assertThat(client.get("label").asString()).isEqualTo("client");
      assertThat(client.get("outcome").asString()).isEqualTo("response");
      assertThat(client.get("selected_protocol").asInt()).isEqualTo(PROTOCOL_SSL);
      assertThat(doc.get("probes").get("tls").get("status").asString()).isEqualTo("ok");
      assertThat(doc.get("probes").get("tls").get("chain").get(0).get("common_name").asString())
          .isEqualTo("rdp.example.test");
    }
  }

  @Test
  void jsonForAClosedPort() throws IOException {
    int port = closedPort();
    Run r = diagnose(args("127.0.0.1:" + port, "--json"));

    assertJsonContract(r, "127.0.0.1", port);
    JsonNode doc = json(r.out());
    assertThat(doc.get("verdict").asString()).isEqualTo("fail");
    assertThat(r.exit()).isEqualTo(Main.EXIT_FAIL);
    assertThat(doc.get("findings").get(0).get("cause").asString()).isEqualTo("port-closed");
    assertThat(doc.get("probes").get("tcp").get(0).get("outcome").asString()).isEqualTo("refused");
    assertThat(doc.get("probes").has("negotiation")).isFalse();
  }

  @Test
  void textReportStartsWithTheVerdict() throws IOException {
    try (FakeRdpServer server = healthy()) {
      Run r = diagnose(args("127.0.0.1:" + server.port()));
      assertThat(r.exit()).as(r.out() + r.allErr()).isEqualTo(Main.EXIT_OK);
      assertThat(r.out())
          .startsWith("OK  127.0.0.1:" + server.port() + " — ")
          .contains("healthy", "Findings", "Facts")
          .doesNotContain("\u001B[");
      assertNoStackTrace(r);
    }
    int port = closedPort();
    Run r = diagnose(args("127.0.0.1:" + port));
    assertThat(r.exit()).isEqualTo(Main.EXIT_FAIL);
    assertThat(r.out()).startsWith("FAIL  127.0.0.1:" + port + " — ").contains("port-closed");
    assertThat(r.sysOut()).isEmpty();
    assertNoStackTrace(r);
  }

  @Test
  void textReportForAServerThatIsNotRdp() {
    try (FakeRdpServer server = FakeRdpServer.builder().answer(Answer.http()).start()) {
      Run r = diagnose(args("127.0.0.1:" + server.port()));
      assertThat(r.exit()).isEqualTo(Main.EXIT_FAIL);
      assertThat(r.out())
          .startsWith("FAIL  127.0.0.1:" + server.port())
          .contains("not-rdp-service", "HTTP");
      assertNoStackTrace(r);
    }
  }

  @Test
  void traceGoesToStderrWithHex() {
    try (FakeRdpServer server = healthy()) {
      Run r = diagnose(args("127.0.0.1:" + server.port(), "--trace", "--quick"));

      assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
      String trace = r.sysErr();
      // the request, its size, then a hex dump starting with the TPKT header
      assertThat(trace)
          .containsPattern(
              ">> \\[x224 client\\] X\\.224 CR requestedProtocols=SSL\\|HYBRID\\|HYBRID_EX \\d+ bytes\\R"
                  + " +0000 +03 00 00 [0-9a-f]{2} ");
      assertThat(trace).containsPattern("<< \\[x224 client\\] bytes \\d+ bytes\\R +0000 +03 ");
      assertThat(trace).contains(">> [", "X.224 CR");
      // stdout is the report alone
      assertThat(r.out()).startsWith("OK  ").doesNotContain(">> [", "<< [", "0000  03 00");
      assertThat(r.sysOut()).isEmpty();
      assertNoStackTrace(r);
    }
  }

  @Test
  void ipv6LiteralWithBracketsAndPort() throws IOException {
    InetAddress v6 = InetAddress.getByName("::1"); // a literal: parsed, never looked up
    boolean haveV6;
    try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
      haveV6 = true;
    } catch (IOException noV6) {
      haveV6 = false;
    }
    if (haveV6) {
      try (FakeRdpServer server = healthy(v6, "::1")) {
        Run r = diagnose(args("[::1]:" + server.port(), "--json"));
        assertJsonContract(r, "::1", server.port());
        JsonNode doc = json(r.out());
        assertThat(doc.get("verdict").asString()).as(r.out()).isEqualTo("ok");
        assertThat(doc.get("probes").get("rdp_address").asString()).isIn("::1", "0:0:0:0:0:0:0:1");
        assertThat(server.connections()).isPositive();

        Run text = diagnose(args("[::1]:" + server.port()));
        assertThat(text.out()).startsWith("OK  [::1]:" + server.port() + " — ");
      }
    } else {
      // no IPv6 loopback here: the run must still end with one clear verdict line
      int port = closedPort();
      Run r = diagnose(args("[::1]:" + port));
      assertThat(r.exit()).isIn(Main.EXIT_FAIL, Main.EXIT_UNKNOWN);
      assertThat(r.out().lines().findFirst().orElse(""))
          .matches("(FAIL|UNKNOWN)  \\[::1\\]:" + port + " — .+");
      assertNoStackTrace(r);
    }
  }

  @Test
  void hostileCertificateNamesCannotDriveTheTerminal() {
    // clear screen, red, a forged "OK" line, a carriage return, a C1 CSI and a bidi override
    String cn = "evil\u001b[2J\u001b[31mX\nOK  all good\rZ\u009b1m\u202eevil";
    TestCertificates.Issued cert =
        TestCertificates.builder("CN=" + cn).san("DNS:x\u001b[0m.example").build();
    // TLS only and a working session: a fake that picked CredSSP and then did not speak it,
    // or stopped after TLS, would fail clients
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(DiagnoseCommandTest::tlsOnly)
            .tls(ServerTls.of(cert))
            .afterTls(AcceptingSession.script())
            .start()) {
      Run text = diagnose(args("127.0.0.1:" + server.port(), "--quick", "--no-color"));
      assertThat(text.exit()).isEqualTo(Main.EXIT_WARN);
      assertThat(text.out())
          .contains("cert-name-mismatch", "evil\\x1b[2J\\x1b[31mX\\x0aOK")
          .doesNotContain("\u001b", "\r", "\u009b", "\u202e");
      assertThat(text.out().lines()).noneMatch(l -> l.startsWith("OK  all good"));

      // the JSON keeps the exact name (escaped by JSON itself) for machines to compare
      Run json = diagnose(args("127.0.0.1:" + server.port(), "--quick", "--json"));
      assertThat(json.out()).doesNotContain("\u001b", "\r");
      assertThat(
              json(json.out())
                  .get("probes")
                  .get("tls")
                  .get("chain")
                  .get(0)
                  .get("common_name")
                  .asString())
          .isEqualTo(cn);
    }
  }

  @Test
  void localhostIsResolvedAndEveryAddressTried() {
    // "localhost" comes from the hosts file: the only name these tests ever resolve
    TestCertificates.Issued cert =
        TestCertificates.builder("CN=localhost").san("DNS:localhost").build();
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(DiagnoseCommandTest::tlsOnly)
            .tls(ServerTls.of(cert))
            .afterTls(AcceptingSession.script())
            .start()) {
      Run r = diagnose(args("localhost:" + server.port(), "--json", "--quick"));

      assertJsonContract(r, "localhost", server.port());
      JsonNode doc = json(r.out());
      assertThat(doc.get("target").get("literal").asBoolean()).isFalse();
      assertThat(doc.get("probes").get("dns").get("status").asString()).isEqualTo("resolved");
      JsonNode tcp = doc.get("probes").get("tcp");
      assertThat(tcp.size()).isEqualTo(doc.get("probes").get("dns").get("addresses").size());
      // the fake listens on 127.0.0.1 only; a ::1 entry for localhost may be refused
      assertThat(doc.get("probes").get("rdp_address").asString()).isEqualTo("127.0.0.1");
      assertThat(doc.get("verdict").asString()).as(r.out()).isEqualTo("ok");
      assertThat(doc.get("findings").get(0).get("cause").asString()).isEqualTo("healthy");
    }
  }

  static List<Arguments> usageErrors() {
    return List.of(
        Arguments.of(List.of("srv:99999"), "port 99999 is outside 1-65535"),
        Arguments.of(List.of("srv:abc"), "'abc' is not a port number"),
        Arguments.of(List.of("srv:"), "'' is not a port number"),
        Arguments.of(List.of("--port", "0", "127.0.0.1"), "port 0 is outside 1-65535"),
        Arguments.of(List.of("[::1"), "missing ']'"),
        Arguments.of(List.of("999.1.1.1"), "not a valid IPv4 address"),
        Arguments.of(List.of("bad_host!"), "not a valid host name"),
        Arguments.of(
            List.of("--client-profile", "nope", "127.0.0.1"), "unknown client profile 'nope'"),
        Arguments.of(List.of("--bogus", "127.0.0.1"), "--bogus"),
        Arguments.of(List.of(), "HOST[:PORT]"),
        Arguments.of(List.of("--timeout", "-1", "127.0.0.1"), "seconds above 0 and at most 120"),
        Arguments.of(List.of("--timeout", "0", "127.0.0.1"), "seconds above 0 and at most 120"),
        Arguments.of(
            List.of("--connect-timeout", "NaN", "127.0.0.1"), "seconds above 0 and at most 120"),
        Arguments.of(List.of("--timeout", "soon", "127.0.0.1"), "soon"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  void usageErrorsExit3WithOneLine(List<String> argv, String says) {
    Run r = diagnose(argv.toArray(String[]::new));

    assertThat(r.exit()).as(r.allErr()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.out()).as("no report for a usage error").isEmpty();
    assertThat(r.sysOut()).isEmpty();
    assertThat(r.sysErr()).as("no probe ran, so no progress or trace").isEmpty();
    List<String> lines = r.err().lines().toList();
    assertThat(lines).as(r.err()).isNotEmpty();
    assertThat(lines.get(0)).startsWith("rdpdoctor: ").contains(says);
    // the message is one line; at most a pointer to --help follows
    assertThat(lines).hasSizeLessThanOrEqualTo(2);
    if (lines.size() == 2) {
      assertThat(lines.get(1)).startsWith("Try '").endsWith("--help'.");
    }
    assertNoStackTrace(r);
  }
}

package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ExplainCommandTest {
  record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static JsonNode json(String s) {
    return JsonMapper.builder().build().readTree(s);
  }

  @Test
  void textForTheClassicPair() {
    Run r = run("explain", "0x904", "0x7");
    assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .startsWith("The server accepted the connection and then refused it:")
        .contains(
            "Error code 0x904 (2308)",
            "disconnectReasonAtClientWinsockFDCLOSE",
            "Extended error code 0x7 (7)",
            "ERRINFO_SERVER_DENIED_CONNECTION",
            "What the code says",
            "- server-denied-connection",
            "Causes met in practice",
            "1. pmtu-blackhole",
            "check: rdpdoctor diagnose HOST --path",
            "19. server-denied-connection  (what the code says)",
            "rdpdoctor diagnose HOST --user 'DOMAIN\\USER'")
        .doesNotContain("\u001B[");
  }

  @Test
  void jsonForTheClassicPairIsOneSnakeCaseDocument() {
    Run r = run("explain", "--json", "0x904", "0x7");
    assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
    JsonNode doc = json(r.out());
    assertThat(doc.get("decoded").asBoolean()).isTrue();
    assertThat(doc.get("query").get(0).asString()).isEqualTo("0x904");
    assertThat(doc.get("probable_causes").get(0).asString()).isEqualTo("server-denied-connection");
    JsonNode disc = doc.get("codes").get(0);
    assertThat(disc.get("role").asString()).isEqualTo("disconnect_reason");
    assertThat(disc.get("value").asLong()).isEqualTo(2308);
    assertThat(disc.get("interpretations").get(0).get("table_title").asString()).isNotBlank();
    assertThat(doc.get("codes").get(1).get("interpretations").get(1).get("symbol").asString())
        .isEqualTo("ERRINFO_SERVER_DENIED_CONNECTION");
    assertThat(doc.get("next_steps").get(0).get("command").asString())
        .isEqualTo("rdpdoctor diagnose HOST --user 'DOMAIN\\USER'");
    JsonNode field = doc.get("field_causes");
    assertThat(field.size()).isEqualTo(19);
    assertThat(field.get(0).get("cause").asString()).isEqualTo("pmtu-blackhole");
    assertThat(field.get(0).get("rank").asInt()).isEqualTo(1);
    assertThat(field.get(0).get("reason").asString()).contains("VPN");
    assertThat(field.get(0).get("checks").get(0).get("command").asString())
        .isEqualTo("rdpdoctor diagnose HOST --path");
    assertThat(field.get(0).get("checks").get(0).get("kind").asString()).isEqualTo("diagnose");
    assertThat(field.get(18).get("literal").asBoolean()).isTrue();
    assertThat(doc.has("error")).isFalse();
    assertThat(doc.has("probableCauses")).isFalse();
    assertThat(doc.has("fieldCauses")).isFalse();
  }

  @Test
  void negativeNtStatusIsAValueNotAnOption() {
    Run r = run("explain", "-1073741715");
    assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
    assertThat(r.out()).contains("STATUS_LOGON_FAILURE", "0xC000006D", "logon-failed");
  }

  @Test
  void aCodeOnlyTheKnowledgeBaseNamesIsDecoded() {
    Run r = run("explain", "0x80090302");
    assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
    assertThat(r.out())
        .startsWith("0x80090302: SEC_E_UNSUPPORTED_FUNCTION")
        .contains(
            "Causes met in practice", "tls-legacy-only", "rdpdoctor diagnose HOST --tls-ciphers");
    JsonNode doc = json(run("explain", "--json", "0x80090302").out());
    assertThat(doc.get("decoded").asBoolean()).isTrue();
    assertThat(doc.get("meaning").asString()).startsWith("SEC_E_UNSUPPORTED_FUNCTION");
    assertThat(doc.get("source").asString()).contains("winerror.h");
  }

  @Test
  void unknownCodeExitsThreeAndSaysSo() {
    Run r = run("explain", "0x1234");
    assertThat(r.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.out()).contains("0x1234 (4660) is not a code rdpdoctor knows");

    Run j = run("explain", "--json", "0x1234");
    assertThat(j.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    JsonNode doc = json(j.out());
    assertThat(doc.get("decoded").asBoolean()).isFalse();
    assertThat(doc.get("codes").get(0).get("known").asBoolean()).isFalse();
    assertThat(doc.get("codes").get(0).get("hex").asString()).isEqualTo("0x1234");
  }

  @Test
  void garbageIsAUsageErrorOnStderrWithoutAStackTrace() {
    Run r = run("explain", "zz");
    assertThat(r.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("rdpdoctor: 'zz' is not a code").doesNotContain("at dev.");

    Run j = run("explain", "--json", "0x904", "zz");
    assertThat(j.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    JsonNode doc = json(j.out());
    assertThat(doc.get("error").asString()).contains("'zz'");
    assertThat(doc.get("codes").get(1).get("error").asString()).contains("'zz'");
  }

  @Test
  void missingOrExtraArgumentsAreUsageErrors() {
    Run none = run("explain");
    assertThat(none.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(none.err()).contains("CODE");
    assertThat(none.out()).isEmpty();

    Run three = run("explain", "1", "2", "3");
    assertThat(three.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(three.err()).contains("rdpdoctor:");
  }

  @Test
  void helpExplainsTheTwoCodeForm() {
    Run r = run("explain", "--help");
    assertThat(r.exit()).isEqualTo(Main.EXIT_OK);
    assertThat(r.out()).contains("explain", "EXTENDED", "--json", "0x904 0x7");
  }

  @Test
  void publicEntryPointWritesToSystemOut() {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      exit = Main.run("explain", "0x204");
    } finally {
      System.setOut(saved);
    }
    assertThat(exit).isEqualTo(Main.EXIT_OK);
    assertThat(buf.toString(StandardCharsets.UTF_8))
        .contains("disconnectReasonSocketConnectFailed", "port-closed", "rdpdoctor diagnose HOST");
  }
}

package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.cli.LogsCommandTest.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * RD Gateway client traces through {@code rdpdoctor logs} (detected by content) and {@code explain
 * --trace}: the cause ids the gateway probes use, CAP vs RAP wording, hostile files (binary junk, a
 * 10 MB line) and secrets that must not be echoed.
 */
class RdgClientTraceCommandTest {
  static final String DIR = "src/test/resources/rdgtrace/";

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "cap-denied.log,         gateway-forbidden, RD CAP,   E_PROXY_NAP_ACCESSDENIED",
    "rap-denied.log,         gateway-forbidden, RD RAP,   E_PROXY_RAP_ACCESSDENIED",
    "target-unreachable.log, gateway-error,     cannot reach the target, E_PROXY_TS_CONNECTFAILED",
    "http-502.log,           gateway-error,     HTTP 502, (2 lines)",
  })
  void logsNamesTheCause(String file, String cause, String word, String code) {
    Run r = LogsCommandTest.run("logs", "--json", DIR + file);
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
    JsonNode j = r.json();
    assertThat(j.at("/files/0/format").asString()).isEqualTo("rdg-client-trace");
    JsonNode top = j.at("/findings/0");
    assertThat(top.get("cause").asString()).isEqualTo(cause);
    assertThat(top.get("summary").asString()).contains(word).contains(code);
    assertThat(top.get("evidence").get(0).get("fact").asString()).contains(file + " line ");
    assertThat(top.get("fixes")).isNotEmpty();
  }

  @Test
  void capAndRapAreNotConfused() {
    String cap =
        LogsCommandTest.run("logs", "--json", DIR + "cap-denied.log")
            .json()
            .at("/findings/0/summary")
            .asString();
    String rap =
        LogsCommandTest.run("logs", "--json", DIR + "rap-denied.log")
            .json()
            .at("/findings/0/summary")
            .asString();
    assertThat(cap).contains("connection authorization policy").doesNotContain("RD RAP");
    assertThat(rap).contains("resource authorization policy").doesNotContain("RD CAP");
  }

  @Test
  void timestampsAndLinesAreKept() {
    JsonNode j = LogsCommandTest.run("logs", "--json", DIR + "http-502.log").json();
    // "+01:00" in the file: 11:00 local is 10:00 UTC
    assertThat(j.at("/events/0/time").asString()).isEqualTo("2025-03-16T10:00:00Z");
    assertThat(j.at("/events/0/event_id").asInt()).isEqualTo(502);
    JsonNode rap = LogsCommandTest.run("logs", "--json", DIR + "rap-denied.log").json();
    // US month/day/year with PM
    assertThat(rap.at("/events/0/time").asString()).startsWith("2025-03-14T21:20:4");
    assertThat(rap.at("/files/0/records").asInt()).isEqualTo(5);
  }

  @Test
  void challengeThenSuccessIsHealthy() {
    Run r = LogsCommandTest.run("logs", "--json", DIR + "healthy.log");
    assertThat(r.exit()).isEqualTo(0);
    assertThat(r.json().at("/findings/0/cause").asString()).isEqualTo("healthy");
  }

  @Test
  void a401AsTheLastWordIsAFailedLogon() throws Exception {
    Path f =
        write(
            "auth.log",
            "2025-01-01 10:00:00 RDG_OUT_DATA HTTP/1.1 401 Unauthorized\n"
                + "2025-01-01 10:00:01 RDG_OUT_DATA HTTP/1.1 401 Unauthorized\n");
    Run r = LogsCommandTest.run("logs", "--json", f.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.json().at("/findings/0/cause").asString()).isEqualTo("gateway-auth-failed");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "'RDGClient: send failed hr=0x80072EFD',            gateway-unreachable",
    "'RDGClient: TLS error hr=0x80072F06',              cert-name-mismatch",
    "'RDGClient: TLS error 0x80072F05',                 cert-expired",
    "'RDGClient: logon error=0x8009030C',               gateway-auth-failed",
    "'RDGClient: hr=0x800759D8 E_PROXY_INTERNALERROR',  gateway-error",
    "'RDGClient: RDG_OUT_DATA HTTP/1.1 403 Forbidden',  gateway-forbidden",
    "'RDGClient: RDG_OUT_DATA HTTP/1.1 404 Not Found',  gateway-not-rd-gateway",
    "'RDGClient: E_PROXY_QUARANTINE_ACCESSDENIED',      gateway-forbidden",
  })
  void eachCodeMapsToItsCause(String line, String cause) throws Exception {
    Path f = write("one.log", "2025-01-01 10:00:00 " + line + "\n");
    Run r = LogsCommandTest.run("logs", "--json", f.toString());
    assertThat(r.json().at("/findings/0/cause").asString()).as(r.out()).isEqualTo(cause);
    assertThat(r.exit()).isEqualTo(2);
  }

  @Test
  void unknownWin32CodeIsShownButConcludesNothing() throws Exception {
    Path f = write("w.log", "RDGClient: setup hr=0x80070057 invalid parameter\n");
    JsonNode j = LogsCommandTest.run("logs", "--json", f.toString()).json();
    assertThat(j.at("/events/0/meaning").asString()).contains("WIN32(87)");
    assertThat(j.at("/findings/0/cause").asString()).isEqualTo("healthy");
  }

  @Test
  void junkBinaryAndA10MbLineNeverBreakTheRead() throws Exception {
    Path f = tmp.resolve("hostile.log");
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    try (var out = Files.newOutputStream(f)) {
      out.write("2025-01-01 10:00:00 RDGClient start\n".getBytes(StandardCharsets.UTF_8));
      out.write(
          "%%%% ~~~~ }{ garbage ]] 12:99:99 0x 0xZZZZ HTTP/9 hr=\n"
              .getBytes(StandardCharsets.UTF_8));
      out.write(junk);
      out.write('\n');
      byte[] big = new byte[10 * 1024 * 1024];
      java.util.Arrays.fill(big, (byte) 'A');
      out.write(big);
      out.write('\n');
      out.write(
          "2025-01-01 10:00:05 RDGClient channel create hr=0x800759DA\n"
              .getBytes(StandardCharsets.UTF_8));
    }
    long t0 = System.nanoTime();
    Run r = LogsCommandTest.run("logs", "--json", f.toString());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isLessThan(10_000);
    assertThat(r.err()).doesNotContain("Exception");
    JsonNode j = r.json();
    assertThat(j.at("/files/0/format").asString()).isEqualTo("rdg-client-trace");
    assertThat(j.at("/files/0/errors").toString())
        .contains("only the first")
        .contains("binary data skipped");
    assertThat(j.at("/findings/0/cause").asString()).isEqualTo("gateway-forbidden");
    assertThat(j.at("/findings/0/summary").asString()).contains("RD RAP");
  }

  @Test
  void secretsInTheTraceAreNeverEchoed() throws Exception {
    String password = "Tr4ce-Pa55w0rd!";
    String basic =
        Base64.getEncoder()
            .encodeToString(("labuser:" + password).getBytes(StandardCharsets.UTF_8));
    Path f =
        write(
            "secret.log",
            "2025-01-01 10:00:00 RDGClient >> Authorization: Basic "
                + basic
                + "\n2025-01-01 10:00:00 RDGClient logon failed password="
                + password
                + " hr=0x8009030C\n2025-01-01 10:00:01 RDGClient Cookie: RdgAuth="
                + password
                + " HTTP/1.1 403 Forbidden\n");
    for (String mode : new String[] {"--json", "text"}) {
      Run r =
          mode.equals("text")
              ? LogsCommandTest.run("logs", f.toString())
              : LogsCommandTest.run("logs", "--json", f.toString());
      assertThat(r.out()).contains("gateway-auth-failed");
      assertThat(r.out() + r.err())
          .doesNotContain(password)
          .doesNotContain(basic)
          .contains("[redacted]");
    }
    Run e = LogsCommandTest.run("explain", "--trace", f.toString(), "--json");
    assertThat(e.out() + e.err()).doesNotContain(password).doesNotContain(basic);
  }

  @Test
  void explainTraceTextAndJson() {
    Run text = LogsCommandTest.run("explain", "--trace", DIR + "cap-denied.log");
    assertThat(text.exit()).isEqualTo(2);
    assertThat(text.out())
        .contains("gateway-forbidden")
        .contains("RD CAP")
        .contains("rdg-client-trace");
    Run json = LogsCommandTest.run("explain", "--json", "--trace", DIR + "rap-denied.log");
    assertThat(json.json().at("/findings/0/summary").asString()).contains("RD RAP");
  }

  @Test
  void explainTraceReadsAFileWithoutMarkersAndSaysItFoundNothing() throws Exception {
    // the malformed twin: no gateway words at all, so `logs` would not call it a trace, but
    // --trace says it is one; nothing in it is a status or an error
    Path f = write("plain.txt", "hello\nworld\n\u0000\u0001\n");
    Run r = LogsCommandTest.run("explain", "--json", "--trace", f.toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.json().at("/findings/0/cause").asString()).isEqualTo("inconclusive");
    assertThat(
            LogsCommandTest.run("logs", "--json", f.toString())
                .json()
                .at("/files/0/format")
                .asString())
        .isNotEqualTo("rdg-client-trace");
  }

  @Test
  void explainUsageErrors() {
    Run none = LogsCommandTest.run("explain");
    assertThat(none.exit()).isEqualTo(3);
    assertThat(none.err()).contains("either a CODE or --trace FILE");
    Run both = LogsCommandTest.run("explain", "0x904", "--trace", DIR + "cap-denied.log");
    assertThat(both.exit()).isEqualTo(3);
    Run missing = LogsCommandTest.run("explain", "--trace", tmp.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(3);
    assertThat(missing.err()).contains("no such file").doesNotContain("Exception");
  }

  private Path write(String name, String text) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, text);
    return f;
  }
}

package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.sources.eventlog.evtx.PythonTimestamps;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LogsCommandTest {
  static final String EVTX = "src/test/resources/evtx/";
  static final String LOGS = "src/test/resources/eventlog/";

  record Run(int exit, String out, String err) {
    JsonNode json() {
      return JsonMapper.builder().build().readTree(out);
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void schannelAlert40BeforeDisconnect2308IsNoSharedCipher() {
    Run r = run("logs", "--json", LOGS + "wevtutil-client-tls.xml");
    assertThat(r.exit()).isEqualTo(2);
    JsonNode j = r.json();
    assertThat(j.get("verdict").asString()).isEqualTo("fail");
    JsonNode file = j.get("files").get(0);
    assertThat(file.get("format").asString()).isEqualTo("xml");
    assertThat(file.get("records").asInt()).isEqualTo(3);
    assertThat(file.get("errors")).isEmpty();
    assertThat(j.get("events")).hasSize(3);
    assertThat(j.get("timeline")).hasSize(3);
    assertThat(j.get("timeline").get(1).get("what").asString()).contains("AlertDesc=40");
    JsonNode top = j.get("findings").get(0);
    assertThat(top.get("cause").asString()).isEqualTo("tls-no-shared-cipher");
    assertThat(top.get("confidence").asString()).isEqualTo("high");
    assertThat(top.get("summary").asString()).contains("2308").contains("40");
    assertThat(top.get("evidence")).hasSize(2);
    assertThat(top.get("fixes").isArray()).isTrue(); // the catalogue (issue 6 item 3) fills it
  }

  @Test
  void csvExport4625SubStatusLockedOut() {
    Run r = run("logs", "--json", LOGS + "get-winevent-security.csv");
    assertThat(r.exit()).isEqualTo(2);
    JsonNode j = r.json();
    assertThat(j.get("files").get(0).get("format").asString()).isEqualTo("csv");
    JsonNode ev = j.get("events").get(0);
    assertThat(ev.get("event_id").asInt()).isEqualTo(4625);
    assertThat(ev.get("data").get("LogonType").asString()).isEqualTo("10");
    assertThat(ev.get("data").get("TargetUserName").asString()).isEqualTo("alice");
    assertThat(ev.get("time").asString()).isEqualTo("2026-11-20T09:20:11Z");
    JsonNode top = j.get("findings").get(0);
    assertThat(top.get("cause").asString()).isEqualTo("account-locked");
    assertThat(top.get("summary").asString())
        .contains("alice")
        .contains("192.0.2.15")
        .contains("0xC0000234");
  }

  @Test
  void truncatedXmlKeepsEarlierEventsAndNamesTheLine() {
    Run r = run("logs", "--json", LOGS + "wevtutil-truncated.xml");
    JsonNode file = r.json().get("files").get(0);
    assertThat(file.get("records").asInt()).isEqualTo(1);
    assertThat(file.get("errors").get(0).get("where").asString()).startsWith("line ");
    assertThat(r.exit()).isEqualTo(0); // one connect event, nothing wrong in it
  }

  @Test
  void evtxWithNlaFailuresAndAnXmlOfEveryRecord() throws Exception {
    Run r = run("logs", "--json", EVTX + "Security_short_selected.evtx");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.json().get("findings").get(0).get("cause").asString()).isEqualTo("logon-failed");
    Run x = run("logs", "--xml", EVTX + "Security_short_selected.evtx");
    assertThat(x.exit()).isZero();
    String expected;
    try (InputStream in =
        new GZIPInputStream(
            Files.newInputStream(Path.of(EVTX + "expected/Security_short_selected.evtx.xml.gz")))) {
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // timestamps as Windows writes them, to the 100 ns tick; python-evtx's float rounding of
    // them (.3460000 -> .345999) is what the checked-in output holds
    assertThat(x.out()).contains("SystemTime=\"2016-06-29T15:24:34.3460000Z\"");
    assertThat(PythonTimestamps.normalise(x.out())).isEqualTo(expected);
  }

  @Test
  void damagedEvtxReportsOffsetsAndGoesOn() {
    Run r = run("logs", "--json", EVTX + "sample_with_a_bad_chunk_magic.evtx");
    JsonNode file = r.json().get("files").get(0);
    assertThat(file.get("records").asInt()).isEqualTo(270);
    assertThat(file.get("errors").get(0).get("where").asString()).startsWith("0x");
  }

  @Test
  void noRdpEventsIsInconclusive() {
    Run r = run("logs", EVTX + "Application_no_crc32.evtx");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.out()).contains("inconclusive");
  }

  @Test
  void missingFileIsAClearMessageNotATrace() {
    Run r = run("logs", "--json", "/nonexistent/x.evtx");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("no such file").doesNotContain("Exception");
    assertThat(r.json().get("files").get(0).get("format").asString()).isEqualTo("unreadable");
  }

  @Test
  void jsonAndXmlTogetherIsAUsageError() {
    assertThat(run("logs", "--json", "--xml", LOGS + "wevtutil-client-tls.xml").exit())
        .isEqualTo(3);
  }
}

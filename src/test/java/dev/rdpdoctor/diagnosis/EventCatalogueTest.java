package dev.rdpdoctor.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.kb.EventCauses;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.sources.eventlog.LogFile;
import dev.rdpdoctor.sources.eventlog.LogFileReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per Windows event id that records a refused or failed Remote Desktop connection: the
 * event, read from a real log (src/test/resources/evtx) or from a wevtutil-style fixture written
 * from the documented shape (src/test/resources/eventlog/catalogue, each file says where its shape
 * comes from), gives its cause, and never a verdict of "inconclusive".
 */
class EventCatalogueTest {
  static final Path FIXTURES = Path.of("src/test/resources/eventlog/catalogue");
  static final Path REAL = Path.of("src/test/resources/evtx");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

  /** file, record id (null: every event with this id), event id, cause, severity. */
  static Stream<Arguments> refusals() {
    return Stream.of(
        // Security
        fixture("security.xml", 1001, 4625, "logon-right-missing", Severity.FAIL),
        fixture("security.xml", 1002, 4625, "account-locked", Severity.FAIL),
        real("Security_short_selected.evtx", 4625, "logon-failed", Severity.FAIL),
        fixture("security.xml", 1003, 4776, "logon-failed", Severity.FAIL),
        real("Security_short_selected.evtx", 4776, "logon-failed", Severity.FAIL),
        fixture("security.xml", 1004, 4825, "server-insufficient-privileges", Severity.FAIL),
        // RDPClient
        fixture("rdpclient.xml", 1064, 1026, "server-closed-connection", Severity.WARN),
        fixture("rdpclient.xml", 1065, 1026, "port-closed", Severity.FAIL),
        fixture("rdpclient.xml", 1066, 1104, "udp-blocked", Severity.WARN),
        // RdpCoreTS
        real(
            "2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx",
            140, "logon-failed", Severity.FAIL),
        real(
            "2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx",
            226, "server-closed-connection", Severity.INFO),
        fixture("rdpcorets.xml", 1020, 139, "tls-handshake-failed", Severity.FAIL),
        fixture("rdpcorets.xml", 1021, 97, "server-closed-connection", Severity.WARN),
        // TermDD (System)
        fixture("termdd.xml", 1022, 56, "server-closed-connection", Severity.WARN),
        fixture("termdd.xml", 1023, 50, "server-closed-connection", Severity.WARN),
        // LocalSessionManager
        fixture("localsessionmanager.xml", 1024, 40, "session-replaced", Severity.INFO),
        fixture(
            "localsessionmanager.xml", 1025, 40, "server-insufficient-privileges", Severity.WARN),
        // RemoteConnectionManager
        fixture(
            "remoteconnectionmanager.xml", 1005, 1070, "server-denied-connection", Severity.FAIL),
        fixture(
            "remoteconnectionmanager.xml", 1006, 1071, "server-denied-connection", Severity.FAIL),
        fixture(
            "remoteconnectionmanager.xml", 1007, 1036, "server-denied-connection", Severity.FAIL),
        fixture("remoteconnectionmanager.xml", 1008, 1006, "connection-limit", Severity.WARN),
        fixture("remoteconnectionmanager.xml", 1009, 1012, "logon-failed", Severity.FAIL),
        fixture("remoteconnectionmanager.xml", 1010, 1041, "logon-failed", Severity.WARN),
        fixture("remoteconnectionmanager.xml", 1011, 1003, "licensing-failed", Severity.FAIL),
        fixture("remoteconnectionmanager.xml", 1012, 1004, "licensing-failed", Severity.FAIL),
        fixture("remoteconnectionmanager.xml", 1013, 1011, "licensing-failed", Severity.FAIL),
        fixture("remoteconnectionmanager.xml", 1014, 1068, "licensing-failed", Severity.FAIL),
        fixture("remoteconnectionmanager.xml", 1015, 1069, "licensing-failed", Severity.FAIL),
        fixture(
            "remoteconnectionmanager.xml", 1016, 1057, "tls-certificate-missing", Severity.FAIL),
        fixture(
            "remoteconnectionmanager.xml", 1017, 1058, "tls-certificate-missing", Severity.FAIL),
        fixture("remoteconnectionmanager.xml", 1018, 1035, "rdp-service-stopped", Severity.FAIL),
        fixture("remoteconnectionmanager.xml", 1019, 260, "rdp-service-stopped", Severity.FAIL),
        // RD Gateway
        fixture("gateway.xml", 1026, 201, "gateway-forbidden", Severity.FAIL),
        fixture("gateway.xml", 1027, 301, "gateway-forbidden", Severity.FAIL),
        fixture("gateway.xml", 1028, 204, "gateway-forbidden", Severity.FAIL),
        fixture("gateway.xml", 1029, 203, "gateway-error", Severity.FAIL),
        fixture("gateway.xml", 1030, 304, "gateway-error", Severity.FAIL),
        fixture("gateway.xml", 1031, 305, "gateway-auth-failed", Severity.FAIL),
        fixture("gateway.xml", 1032, 306, "gateway-tls-failed", Severity.FAIL),
        fixture("gateway.xml", 1033, 309, "gateway-auth-failed", Severity.WARN),
        fixture("gateway.xml", 1034, 206, "gateway-udp-blocked", Severity.WARN),
        fixture("gateway.xml", 1035, 100, "gateway-error", Severity.FAIL),
        fixture("gateway.xml", 1036, 102, "gateway-tls-failed", Severity.FAIL),
        fixture("gateway.xml", 1037, 103, "gateway-error", Severity.FAIL),
        fixture("gateway.xml", 1038, 312, "gateway-error", Severity.WARN),
        fixture("gateway.xml", 1039, 313, "gateway-error", Severity.WARN),
        // Connection Broker
        fixture("sessionbroker.xml", 1040, 1280, "session-host-unavailable", Severity.FAIL),
        fixture("sessionbroker.xml", 1041, 1284, "session-host-unavailable", Severity.FAIL),
        fixture("sessionbroker.xml", 1042, 1296, "broker-redirect-failed", Severity.FAIL),
        fixture("sessionbroker.xml", 1043, 1306, "broker-redirect-failed", Severity.FAIL),
        fixture("sessionbroker.xml", 1044, 1003, "broker-redirect-failed", Severity.WARN),
        fixture("sessionbroker.xml", 1045, 1303, "broker-redirect-failed", Severity.WARN),
        fixture("sessionbroker.xml", 1046, 784, "broker-redirect-failed", Severity.WARN),
        fixture("sessionbroker.xml", 1090, 1307, "broker-redirect-failed", Severity.WARN),
        // Schannel
        fixture("schannel.xml", 1047, 36870, "tls-certificate-missing", Severity.FAIL),
        fixture("schannel.xml", 1048, 36871, "tls-certificate-missing", Severity.FAIL),
        fixture("schannel.xml", 1049, 36874, "tls-no-shared-cipher", Severity.FAIL),
        fixture("schannel.xml", 1050, 36876, "cert-untrusted", Severity.FAIL),
        fixture("schannel.xml", 1051, 36887, "cert-self-signed", Severity.FAIL),
        Arguments.of(
            Path.of("src/test/resources/eventlog/wevtutil-client-tls.xml"),
            null,
            36888,
            "tls-no-shared-cipher",
            Severity.FAIL),
        // CAPI2
        fixture("capi2.xml", 1052, 11, "cert-untrusted", Severity.FAIL),
        fixture("capi2.xml", 1053, 30, "cert-name-mismatch", Severity.FAIL),
        fixture("capi2.xml", 1054, 70, "tls-certificate-missing", Severity.FAIL),
        // Service Control Manager: TermService
        fixture("system-termservice.xml", 1057, 7000, "rdp-service-stopped", Severity.FAIL),
        fixture("system-termservice.xml", 1058, 7001, "rdp-service-stopped", Severity.FAIL),
        fixture("system-termservice.xml", 1059, 7023, "rdp-service-stopped", Severity.FAIL),
        fixture("system-termservice.xml", 1060, 7024, "rdp-service-stopped", Severity.FAIL),
        fixture("system-termservice.xml", 1061, 7031, "rdp-service-stopped", Severity.FAIL),
        fixture("system-termservice.xml", 1062, 7034, "rdp-service-stopped", Severity.FAIL));
  }

  private static Arguments fixture(
      String file, long record, int id, String cause, Severity severity) {
    return Arguments.of(FIXTURES.resolve(file), record, id, cause, severity);
  }

  private static Arguments real(String file, int id, String cause, Severity severity) {
    return Arguments.of(REAL.resolve(file), null, id, cause, severity);
  }

  @ParameterizedTest(name = "{2} in {0} -> {3}")
  @MethodSource("refusals")
  void eachRefusalGivesItsCause(Path file, Long record, int id, String cause, Severity severity) {
    List<LogEvent> events =
        read(file).stream()
            .filter(e -> e.eventId() == id && (record == null || record.equals(e.recordId())))
            .toList();
    assertThat(events).as("the fixture holds event %d", id).isNotEmpty();
    assertThat(events).allSatisfy(e -> assertThat(e.meaning()).isNotBlank());
    // The Schannel alert is read with the client's disconnect next to it, as it happened.
    List<LogEvent> input = id == 36888 ? read(file) : events;
    Diagnosis d =
        EventLogDiagnoser.diagnose(input, List.of(file.toString()), KnowledgeBase.get(), CLOCK);
    assertThat(d.findings())
        .extracting(Finding::cause)
        .contains(cause)
        .doesNotContain("inconclusive");
    Finding f =
        d.findings().stream().filter(x -> x.cause().equals(cause)).findFirst().orElseThrow();
    assertThat(f.severity()).isEqualTo(severity);
    assertThat(f.evidence()).isNotEmpty();
    assertThat(f.summary()).isNotBlank();
    if (severity == Severity.FAIL) {
      assertThat(d.verdict()).isEqualTo(Verdict.FAIL);
    } else if (severity == Severity.WARN) {
      assertThat(d.verdict()).isIn(Verdict.WARN, Verdict.FAIL);
    } else {
      assertThat(d.verdict()).isNotEqualTo(Verdict.UNKNOWN);
    }
  }

  /**
   * The README lists the event ids this test covers, by provider: the block between the markers,
   * whitespace aside, reads "Provider: id, id; Provider: id" with providers and ids in order.
   */
  @Test
  void theReadmeListsEveryEventIdCovered() throws java.io.IOException {
    java.util.Map<String, java.util.SortedSet<Integer>> byProvider = new java.util.TreeMap<>();
    refusals()
        .forEach(
            a -> {
              Path file = (Path) a.get()[0];
              int id = (int) a.get()[2];
              String provider =
                  read(file).stream()
                      .filter(e -> e.eventId() == id)
                      .map(LogEvent::provider)
                      .findFirst()
                      .orElseThrow();
              byProvider
                  .computeIfAbsent(
                      provider.replace("Microsoft-Windows-", ""), k -> new java.util.TreeSet<>())
                  .add(id);
            });
    String wanted =
        String.join(
            "; ",
            byProvider.entrySet().stream()
                .map(
                    e ->
                        e.getKey()
                            + ": "
                            + String.join(
                                ", ", e.getValue().stream().map(String::valueOf).toList()))
                .toList());
    String readme = java.nio.file.Files.readString(Path.of("README.md"));
    String begin = "<!-- events:begin -->";
    String end = "<!-- events:end -->";
    assertThat(readme).contains(begin, end);
    String listed =
        readme
            .substring(readme.indexOf(begin) + begin.length(), readme.indexOf(end))
            .strip()
            .replaceAll("\\s+", " ");
    assertThat(listed).as("the README's event ids should read:%n%s", wanted).isEqualTo(wanted);
  }

  private static List<LogEvent> read(Path file) {
    LogFile f = LogFileReader.read(file, null);
    assertThat(f.format()).as(file + " is readable").isNotNull();
    return f.events();
  }

  @Test
  void normalActivityIsHealthyAndSaysWhatItCovered() {
    Path file = FIXTURES.resolve("normal.xml");
    List<LogEvent> events = read(file);
    assertThat(events).hasSize(17);
    Diagnosis d =
        EventLogDiagnoser.diagnose(events, List.of(file.toString()), KnowledgeBase.get(), CLOCK);
    assertThat(d.verdict()).isEqualTo(Verdict.OK);
    assertThat(d.findings()).extracting(Finding::cause).containsExactly("healthy");
    assertThat(d.findings().get(0).summary())
        .contains(
            "17 RDP-relevant",
            "RemoteConnectionManager/Operational: ",
            "Gateway/Operational: ",
            "302 x1");
    assertThat(d.checked().get(0)).contains("LocalSessionManager/Operational: ");
  }

  @Test
  void aRealServerLogOfNormalActivityIsHealthy() {
    Path file =
        REAL.resolve(
            "2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx");
    Diagnosis d =
        EventLogDiagnoser.diagnose(
            read(file), List.of(file.toString()), KnowledgeBase.get(), CLOCK);
    assertThat(d.verdict()).isEqualTo(Verdict.OK);
    assertThat(d.findings().get(0).summary()).contains("1149 x5", "261 x1769");
  }

  @Test
  void certificateChecksOfOtherProgramsAndPassingChecksAreIgnored() {
    List<LogEvent> events = read(FIXTURES.resolve("capi2.xml"));
    assertThat(events).extracting(LogEvent::recordId).doesNotContain(1055L);
    Diagnosis passing =
        EventLogDiagnoser.diagnose(
            events.stream().filter(e -> e.recordId() == 1056L).toList(),
            List.of("capi2.xml"),
            KnowledgeBase.get(),
            CLOCK);
    assertThat(passing.verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void anInformationalBrokerEventIsNoFailure() {
    List<LogEvent> events =
        read(FIXTURES.resolve("sessionbroker.xml")).stream()
            .filter(e -> e.recordId() == 1091L)
            .toList();
    assertThat(events).hasSize(1);
    Diagnosis d =
        EventLogDiagnoser.diagnose(
            events, List.of("sessionbroker.xml"), KnowledgeBase.get(), CLOCK);
    assertThat(d.verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  void otherServicesStoppingIsNotAboutRemoteDesktop() {
    assertThat(read(FIXTURES.resolve("system-termservice.xml")))
        .extracting(LogEvent::recordId)
        .doesNotContain(1063L)
        .hasSize(6);
  }

  @Test
  void aClientDisconnectExplainedByATlsAlertIsOneFinding() {
    Path file = Path.of("src/test/resources/eventlog/wevtutil-client-tls.xml");
    Diagnosis d =
        EventLogDiagnoser.diagnose(
            read(file), List.of(file.toString()), KnowledgeBase.get(), CLOCK);
    assertThat(d.findings()).extracting(Finding::cause).containsExactly("tls-no-shared-cipher");
  }

  /** The data file is reviewed by people: every cause resolves, every entry names its source. */
  @Test
  void everyEntryOfTheEventCatalogueResolves() {
    KnowledgeBase kb = KnowledgeBase.get();
    for (EventCauses.Entry e : EventCauses.get().entries()) {
      String where = e.source() + " " + e.ids();
      assertThat(kb.cause(e.cause())).as(where).isPresent();
      assertThat(e.doc()).as(where).isNotBlank();
      assertThat(Severity.valueOf(e.severity())).as(where).isNotEqualTo(Severity.OK);
      assertThat(Confidence.valueOf(e.confidence())).as(where).isNotNull();
      assertThat(e.rule() != null || e.summary() != null).as(where + " says something").isTrue();
    }
    EventCauses.get()
        .certificateStatuses()
        .values()
        .forEach(c -> assertThat(kb.cause(c)).as(c).isPresent());
  }
}

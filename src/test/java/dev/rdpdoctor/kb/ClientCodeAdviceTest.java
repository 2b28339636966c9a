package dev.rdpdoctor.kb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.CodeLookup;
import dev.rdpdoctor.kb.ClientCodeAdvice.Explained;
import dev.rdpdoctor.kb.ClientCodeAdvice.RankedCause;
import dev.rdpdoctor.kb.ClientCodeAdvice.Step;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientCodeAdviceTest {
  final ClientCodeAdvice advice = ClientCodeAdvice.get();
  final KnowledgeBase kb = KnowledgeBase.get();

  /**
   * The list the field gives for "Error code: 0x904, Extended error code: 0x7" (issue 15), in the
   * order rdpdoctor ranks it. A change here is a change of advice: review it as such.
   */
  @Test
  void theClassicPairListsWhatTheFieldReportsRanked() {
    Explained x = advice.explain("0x904", "0x7");
    assertThat(x.decoded()).isTrue();
    assertThat(x.codes().probableCauses()).containsExactly("server-denied-connection");
    assertThat(x.advice().fieldCauses())
        .extracting(RankedCause::cause)
        .containsExactly(
            "pmtu-blackhole",
            "packet-loss",
            "high-latency",
            "udp-blocked",
            "cert-expired",
            "tls-certificate-missing",
            "port-filtered",
            "not-rdp-service",
            "dns-wrong-address",
            "nla-required",
            "tls-no-shared-cipher",
            "tls-legacy-only",
            "stale-saved-credentials",
            "gateway-forbidden",
            "gateway-error",
            "tls-interception",
            "connection-limit",
            "session-host-unavailable",
            "server-denied-connection");
    assertThat(x.advice().fieldCauses())
        .extracting(RankedCause::rank)
        .startsWith(1, 2, 3)
        .endsWith(19);
    RankedCause own = x.advice().fieldCauses().get(18);
    assertThat(own.literal()).isTrue();
    assertThat(x.advice().fieldCauses().subList(0, 18)).noneMatch(RankedCause::literal);
  }

  @Test
  void eachCauseOfTheClassicPairNamesTheCheckThatDecidesIt() {
    List<RankedCause> list = advice.explain("0x904", "0x7").advice().fieldCauses();
    assertThat(first(list, "pmtu-blackhole")).isEqualTo("rdpdoctor diagnose HOST --path");
    assertThat(first(list, "packet-loss")).isEqualTo("rdpdoctor diagnose HOST --path");
    assertThat(first(list, "udp-blocked")).isEqualTo("rdpdoctor diagnose HOST --expect-udp");
    assertThat(first(list, "dns-wrong-address")).isEqualTo("rdpdoctor diagnose HOST --ip ADDRESS");
    assertThat(first(list, "nla-required"))
        .isEqualTo("rdpdoctor diagnose HOST --client-profile no-nla");
    assertThat(first(list, "tls-no-shared-cipher"))
        .isEqualTo("rdpdoctor diagnose HOST --tls-ciphers");
    assertThat(first(list, "stale-saved-credentials"))
        .isEqualTo("rdpdoctor diagnose HOST --user 'DOMAIN\\USER'");
    assertThat(first(list, "gateway-forbidden"))
        .isEqualTo("rdpdoctor diagnose HOST --gateway GATEWAY");
    assertThat(first(list, "connection-limit"))
        .isEqualTo("rdpdoctor diagnose HOST --connection-limit");
    assertThat(first(list, "cert-expired")).isEqualTo("rdpdoctor diagnose HOST");
    assertThat(list)
        .allSatisfy(
            r -> {
              assertThat(r.reason()).as(r.cause()).isNotBlank();
              assertThat(r.title())
                  .as(r.cause())
                  .isEqualTo(kb.cause(r.cause()).orElseThrow().title());
              assertThat(r.checks()).as(r.cause()).isNotEmpty();
            });
  }

  private static String first(List<RankedCause> list, String cause) {
    return list.stream()
        .filter(r -> r.cause().equals(cause))
        .findFirst()
        .orElseThrow()
        .checks()
        .get(0)
        .command();
  }

  @Test
  void nextStepsStartWithTheLiteralCausesChecks() {
    List<String> steps =
        advice.explain("0x904", "0x7").advice().nextSteps().stream().map(Step::command).toList();
    assertThat(steps.get(0)).isEqualTo("rdpdoctor diagnose HOST --user 'DOMAIN\\USER'");
    assertThat(steps)
        .contains(
            "rdpdoctor logs SERVER-EVENTS.evtx",
            "rdpdoctor diagnose HOST --path",
            "rdpdoctor diagnose HOST --gateway GATEWAY")
        .doesNotHaveDuplicates();
  }

  @Test
  void theOtherCommonCodesHaveFieldLists() {
    assertThat(causes("0x204", null))
        .startsWith("port-filtered", "port-closed", "host-unreachable")
        .contains("rdp-service-stopped");
    assertThat(causes("0x3000008", "0x0"))
        .contains("gateway-unreachable", "tls-interception", "session-host-unavailable");
    assertThat(causes("0x80090302", null)).contains("tls-legacy-only", "credssp-unpatched-server");
    assertThat(causes("0x80090304", null)).first().isEqualTo("password-must-change");
    assertThat(causes("0x708", null)).first().isEqualTo("dns-wrong-address");
    assertThat(causes("0x1104", null)).contains("udp-blocked");
    assertThat(causes("0x808", null)).containsExactly("licensing-failed");
    assertThat(causes("0x908", null)).first().isEqualTo("licensing-failed");
    // Licensing extended codes (256-267) apply whatever the disconnect reason was.
    assertThat(causes("0x904", "0x102")).first().isEqualTo("licensing-failed");
    assertThat(causes("3", "0x10B")).first().isEqualTo("licensing-failed");
  }

  private List<String> causes(String code, String extended) {
    return advice.explain(code, extended).advice().fieldCauses().stream()
        .map(RankedCause::cause)
        .toList();
  }

  @Test
  void codesTheTablesDoNotNameGetTheirMeaningFromTheKnowledgeBase() {
    Explained sec = advice.explain("0x80090304", null);
    assertThat(sec.codes().allDecoded()).isFalse();
    assertThat(sec.decoded()).isTrue();
    assertThat(sec.summary()).startsWith("0x80090304: SEC_E_INTERNAL_ERROR");
    assertThat(sec.advice().source()).contains("winerror.h");

    Explained loop = advice.explain("0x708", null);
    assertThat(loop.summary()).contains("console session");
  }

  @Test
  void anExplainedEndWithoutAFaultHasNoFieldListAndNoSteps() {
    Explained idle = advice.explain("0x904", "0x3");
    assertThat(idle.advice().fieldCauses()).isEmpty();
    assertThat(idle.advice().nextSteps()).isEmpty();
  }

  @Test
  void unknownCodesGetTheGeneralChecks() {
    Explained x = advice.explain("0x1234", null);
    assertThat(x.decoded()).isFalse();
    assertThat(x.advice().nextSteps())
        .extracting(Step::command)
        .containsExactly("rdpdoctor diagnose HOST", "rdpdoctor logs SERVER-EVENTS.evtx");
  }

  @Test
  void garbageGetsNoAdvice() {
    Explained x = advice.explain("0x904", "nope");
    assertThat(x.decoded()).isFalse();
    assertThat(x.advice().fieldCauses()).isEmpty();
    assertThat(x.advice().nextSteps()).isEmpty();
  }

  @Test
  void checksMapCausesToTheirOptions() {
    assertThat(advice.nextSteps(List.of("gateway-forbidden"), false))
        .extracting(Step::command)
        .containsExactly(
            "rdpdoctor diagnose HOST --gateway GATEWAY", "rdpdoctor logs GATEWAY-EVENTS.evtx");
    assertThat(advice.nextSteps(List.of("nla-required"), false))
        .extracting(Step::command)
        .containsExactly(
            "rdpdoctor diagnose HOST --client-profile no-nla", "rdpdoctor diagnose HOST");
    assertThat(advice.nextSteps(List.of("logon-failed", "stale-saved-credentials"), false))
        .extracting(Step::command)
        .startsWith("rdpdoctor diagnose HOST --user 'DOMAIN\\USER'");
    assertThat(advice.nextSteps(List.of(), false)).isEmpty();
  }

  /** The data file is reviewed by people: every id in it must resolve. */
  @Test
  void everyIdInTheFileResolves() {
    for (ClientCodeAdvice.Check c : advice.checks()) {
      assertThat(c.kind()).as(c.id()).isIn("diagnose", "logs", "rdpfile");
      assertThat(c.command()).as(c.id()).startsWith("rdpdoctor " + c.kind() + " ");
      assertThat(c.why()).as(c.id()).isNotBlank();
      c.confirms().forEach(id -> assertThat(kb.cause(id)).as(c.id() + " -> " + id).isPresent());
    }
    for (ClientCodeAdvice.Entry e : advice.entries()) {
      String where = e.code() + "/" + e.extended();
      assertThat(advice.sources()).as(where).containsKey(e.source());
      assertThat(e.code().equals(ClientCodeAdvice.ANY_CODE) || CodeLookup.parse(e.code()).ok())
          .as(where)
          .isTrue();
      e.extended().forEach(x -> assertThat(CodeLookup.parse(x).ok()).as(where).isTrue());
      assertThat(e.causes()).as(where).isNotEmpty();
      assertThat(e.causes().stream().map(ClientCodeAdvice.FieldCause::cause).distinct())
          .as(where + " lists a cause twice")
          .hasSize(e.causes().size());
      e.causes()
          .forEach(
              c -> {
                assertThat(kb.cause(c.cause())).as(where + " -> " + c.cause()).isPresent();
                assertThat(advice.checksFor(c.cause()))
                    .as(where + " -> " + c.cause() + " has no check")
                    .isNotEmpty();
              });
    }
  }
}

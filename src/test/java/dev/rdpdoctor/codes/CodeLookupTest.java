package dev.rdpdoctor.codes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.CodeLookup.DecodedCode;
import dev.rdpdoctor.codes.CodeLookup.Explanation;
import dev.rdpdoctor.codes.CodeLookup.Interpretation;
import dev.rdpdoctor.codes.CodeLookup.Parsed;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodeLookupTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0x904, 2308",
    "0X904, 2308",
    "904h, 2308",
    "2308, 2308",
    "904, 904", // no letter, so decimal: the Event 1026 form
    "' 0x904, ', 2308", // pasted from "Error code: 0x904, Extended ..."
    "0xC000006D, -1073741715",
    "C000006D, -1073741715",
    "c000006d, -1073741715",
    "-1073741715, -1073741715",
    "3221225581, -1073741715",
    "0x00010007, 65543",
    "0xFFFFFFFF, -1",
    "0, 0",
    "0x0000000000000007, 7"
  })
  void parsesHexDecimalAndNegative(String input, int expected) {
    Parsed p = CodeLookup.parse(input);
    assertThat(p.error()).isNull();
    assertThat(p.ok()).isTrue();
    assertThat(p.value()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "zz",
        "0x",
        "0xZZ",
        "0x904h",
        "h",
        "-",
        "12ab-",
        "0x100000000",
        "4294967296",
        "-2147483649",
        "error 0x904",
        "0x-5",
        "１２",
        "999999999999999999999999999999999999999999999"
      })
  void rejectsGarbageWithAClearMessage(String input) {
    Parsed p = CodeLookup.parse(input);
    assertThat(p.ok()).isFalse();
    assertThat(p.value()).isNull();
    assertThat(p.error()).isNotBlank().doesNotContain("Exception");
  }

  @Test
  void nullInputIsAnErrorNotAnException() {
    assertThat(CodeLookup.parse(null).error()).isEqualTo("no code given");
    assertThat(CodeLookup.explain(null).allDecoded()).isFalse();
  }

  @Test
  void garbageMessageSaysWhatWouldWork() {
    assertThat(CodeLookup.parse("zz").error()).contains("'zz'", "0x904", "2308");
    assertThat(CodeLookup.parse("0x100000000").error()).contains("32 bits");
  }

  @Test
  void theClassicPairIsTheServerDenyingTheConnection() {
    Explanation e = CodeLookup.explain("0x904", "0x7");
    assertThat(e.allDecoded()).isTrue();
    assertThat(e.probableCauses()).containsExactly("server-denied-connection");
    assertThat(e.summary())
        .startsWith("The server accepted the connection and then refused it:")
        .contains("ERRINFO_SERVER_DENIED_CONNECTION");

    DecodedCode disc = e.codes().get(0);
    assertThat(disc.role()).isEqualTo("disconnect_reason");
    assertThat(disc.value()).isEqualTo(2308L);
    assertThat(disc.hex()).isEqualTo("0x904");
    assertThat(disc.interpretations())
        .extracting(Interpretation::symbol)
        .containsExactly("disconnectReasonAtClientWinsockFDCLOSE");

    DecodedCode ext = e.codes().get(1);
    assertThat(ext.role()).isEqualTo("extended_reason");
    assertThat(ext.interpretations())
        .extracting(Interpretation::table)
        .containsExactly("extended_disconnect_reason", "error_info");
    assertThat(ext.interpretations())
        .extracting(Interpretation::symbol)
        .containsExactly("exDiscReasonServerDeniedConnection", "ERRINFO_SERVER_DENIED_CONNECTION");
    assertThat(e.openEnded()).isFalse();
  }

  @Test
  void fdCloseWithoutAReasonPointsAtThePathAndTheSecurityLayer() {
    Explanation e = CodeLookup.explain("0x904", "0x0");
    assertThat(e.allDecoded()).isTrue();
    assertThat(e.probableCauses()).first().isEqualTo("server-closed-connection");
    assertThat(e.probableCauses())
        .contains("pmtu-blackhole", "tls-handshake-failed", "nla-required", "connection-limit");
    assertThat(e.summary()).contains("gave no reason");
    // Extended 0 adds no ERRINFO line: ERRINFO_NONE would only be noise.
    assertThat(e.codes().get(1).interpretations()).hasSize(1);
  }

  @Test
  void logonFailuresSuggestDiagnosingWithAUser() {
    Explanation e = CodeLookup.explain("0x807", "0");
    assertThat(e.summary()).startsWith("The logon was refused during Network Level");
    assertThat(e.probableCauses()).containsExactly("logon-failed", "stale-saved-credentials");
  }

  @Test
  void serverEndingTheSessionIsNotAFailureOfThePath() {
    Explanation e = CodeLookup.explain("3", "5");
    assertThat(e.summary()).startsWith("The server ended the session:");
    assertThat(e.probableCauses()).containsExactly("session-replaced");

    Explanation idle = CodeLookup.explain("0x904", "0x3");
    assertThat(idle.summary()).startsWith("The server ended the connection and said why:");
    assertThat(idle.probableCauses()).isEmpty();
    assertThat(idle.openEnded()).isFalse();
  }

  @Test
  void protocolRangeExtendedCodeDecodesThroughErrorInfo() {
    Explanation e = CodeLookup.explain("0x904", "0x10F3");
    assertThat(e.allDecoded()).isTrue();
    assertThat(e.summary()).contains("protocol error", "ERRINFO_REMOTEAPP_NOT_ENABLED");
    assertThat(e.probableCauses()).containsExactly("rdp-file-misconfigured");
  }

  @Test
  void aValueKnownInSeveralTablesListsEveryMeaningDisconnectReasonFirst() {
    // 0x3 is a discReason, an exDiscReason, an ERRINFO and an ERRCONNECT.
    Explanation e = CodeLookup.explain("3");
    assertThat(e.allDecoded()).isTrue();
    List<Interpretation> list = e.codes().get(0).interpretations();
    assertThat(list)
        .extracting(Interpretation::table)
        .containsExactly(
            "disconnect_reason",
            "extended_disconnect_reason",
            "error_info",
            "freerdp_error",
            "negotiation_failure");
    assertThat(e.summary()).contains("4 other meanings");
  }

  @Test
  void sevenAloneIsReadAsTheServersReasonFirst() {
    Explanation e = CodeLookup.explain("7");
    assertThat(e.codes().get(0).interpretations())
        .extracting(Interpretation::symbol)
        .containsExactly(
            "exDiscReasonServerDeniedConnection",
            "ERRINFO_SERVER_DENIED_CONNECTION",
            "ERRCONNECT_MCS_CONNECT_INITIAL_ERROR");
    assertThat(e.probableCauses()).first().isEqualTo("server-denied-connection");
  }

  @Test
  void ntStatusInEitherSpellingDecodesTheSame() {
    Explanation neg = CodeLookup.explain("-1073741715");
    Explanation hex = CodeLookup.explain("0xC000006D");
    assertThat(neg.codes().get(0).interpretations())
        .isEqualTo(hex.codes().get(0).interpretations());
    DecodedCode c = neg.codes().get(0);
    assertThat(c.value()).isEqualTo(0xC000006DL);
    assertThat(c.signed()).isEqualTo(-1073741715);
    assertThat(c.interpretations())
        .extracting(Interpretation::symbol)
        .containsExactly("STATUS_LOGON_FAILURE");
    assertThat(neg.probableCauses()).first().isEqualTo("logon-failed");
  }

  @Test
  void freeRdpCombinedCodes() {
    Explanation denied = CodeLookup.explain("0x00010007");
    assertThat(denied.codes().get(0).interpretations())
        .extracting(Interpretation::symbol)
        .containsExactly("FREERDP_ERROR_SERVER_DENIED_CONNECTION");
    assertThat(denied.probableCauses()).containsExactly("server-denied-connection");

    Explanation transport = CodeLookup.explain("0x0002000D");
    assertThat(transport.codes().get(0).interpretations())
        .extracting(Interpretation::name)
        .containsExactly("CONNECT_TRANSPORT_FAILED");
    assertThat(transport.probableCauses()).contains("server-closed-connection");
  }

  @Test
  void tlsAlertNumber() {
    Explanation e = CodeLookup.explain("40");
    assertThat(e.codes().get(0).interpretations())
        .extracting(Interpretation::table)
        .containsExactly("tls_alert");
    assertThat(e.probableCauses()).contains("tls-no-shared-cipher");
  }

  @Test
  void unknownCodesAreSaidPlainlyInHexAndDecimal() {
    Explanation e = CodeLookup.explain("0x1234");
    assertThat(e.allDecoded()).isFalse();
    assertThat(e.summary()).isEqualTo("0x1234 (4660) is not a code rdpdoctor knows.");
    assertThat(e.codes().get(0).known()).isFalse();
    assertThat(e.codes().get(0).interpretations()).isEmpty();
    assertThat(e.openEnded()).isTrue();

    Explanation pair = CodeLookup.explain("0x1234", "0");
    assertThat(pair.allDecoded()).isFalse();
    assertThat(pair.summary()).contains("0x1234 (4660) is not a code rdpdoctor knows");

    Explanation badExt = CodeLookup.explain("0x904", "0x2000");
    assertThat(badExt.allDecoded()).isFalse();
    assertThat(badExt.summary()).contains("0x2000 (8192) is not a code rdpdoctor knows");
    assertThat(badExt.probableCauses()).first().isEqualTo("server-closed-connection");
  }

  @Test
  void garbageInAPairIsReportedForTheRightArgument() {
    Explanation e = CodeLookup.explain("0x904", "nope");
    assertThat(e.allDecoded()).isFalse();
    assertThat(e.summary()).contains("'nope'");
    assertThat(e.codes().get(0).known()).isTrue();
    assertThat(e.codes().get(1).error()).contains("'nope'");
    assertThat(e.probableCauses()).isEmpty();
  }

  @Test
  void everyThirtyTwoBitPatternExplainsWithoutThrowing() {
    for (long v = 0; v <= 0xFFFFFFFFL; v += 0x00F0F0F1L) {
      Explanation e = CodeLookup.explain(Long.toString(v), Long.toString(v));
      assertThat(e.codes()).hasSize(2);
      assertThat(e.summary()).isNotBlank();
    }
  }
}

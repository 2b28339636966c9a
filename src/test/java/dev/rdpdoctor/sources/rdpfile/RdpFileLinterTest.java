package dev.rdpdoctor.sources.rdpfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.RdpFileEvidence;
import dev.rdpdoctor.evidence.RdpFileIssue;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RdpFileLinterTest {
  static RdpFile utf16(String text) {
    return RdpFileParser.parse(RdpFileParserTest.utf16(text));
  }

  static List<String> rules(RdpFile f) {
    return RdpFileLinter.lint(f).stream().map(l -> l.issue().rule()).toList();
  }

  @Test
  void aCleanMstscFileHasNoIssues() {
    assertThat(RdpFileLinter.lint(utf16(RdpFileParserTest.MSTSC))).isEmpty();
  }

  @Test
  void findsEachBrokenSetting() {
    RdpFile f =
        utf16(
            "full address:s:srv.lab.test:3390\r\nserver port:i:3389\r\n"
                + "alternate full address:s:old.lab.test\r\nenablecredsspsupport:i:0\r\n"
                + "authentication level:i:0\r\nnegotiate security layer:i:0\r\n"
                + "gatewayhostname:s:gw.lab.test\r\ngatewayusagemethod:i:1\r\n"
                + "gatewayprofileusagemethod:i:0\r\nscreen mode id:s:2\r\ndesktopwidth:i:wide\r\n"
                + "redirectclipbaord:i:1\r\nfoo bar:i:1\r\npassword 51:b:01000000D08C9DDF\r\n"
                + "username:s:a\r\nusername:s:b\r\n");
    assertThat(rules(f))
        .containsExactlyInAnyOrder(
            "duplicate-setting",
            "wrong-type",
            "bad-integer",
            "unknown-setting",
            "unknown-setting",
            "unknown-setting",
            "port-conflict",
            "alternate-address-differs",
            "credssp-disabled",
            "auth-level-0",
            "negotiation-off",
            "gateway-profile-ignored",
            "saved-password-blob");
    RdpFileIssue typo =
        RdpFileLinter.lint(f).stream()
            .map(RdpFileLinter.Lint::issue)
            .filter(
                i ->
                    i.setting().equals("redirectclipbaord")
                        && i.fix() != null
                        && !i.fix().startsWith("remove"))
            .findFirst()
            .orElseThrow();
    assertThat(typo.message()).contains("did you mean 'redirectclipboard'");
    assertThat(typo.line()).isEqualTo(12);
  }

  @Test
  void gatewayContradictions() {
    assertThat(rules(utf16("full address:s:h\r\ngatewayusagemethod:i:1\r\n")))
        .containsExactly("gateway-without-host");
    assertThat(
            rules(
                utf16(
                    "full address:s:h\r\ngatewayhostname:s:gw\r\n"
                        + "gatewayusagemethod:i:0\r\ngatewayprofileusagemethod:i:1\r\n")))
        .containsExactly("gateway-unused");
    assertThat(rules(utf16("full address:s:h\r\ngatewaycredentialssource:i:9\r\n")))
        .containsExactly("bad-value");
  }

  @Test
  void missingOrUnreadableAddress() {
    assertThat(rules(utf16("username:s:a\r\n"))).containsExactly("missing-address");
    assertThat(rules(utf16("full address:s:[::1\r\n"))).containsExactly("missing-address");
    assertThat(rules(utf16("full address:s:h\r\nserver port:i:70000\r\n")))
        .containsExactly("bad-port");
  }

  @Test
  void evidenceCarriesTheSettingsButNeverTheSavedPassword() {
    RdpFile f =
        utf16(
            "full address:s:srv.lab.test\r\nserver port:i:3390\r\n"
                + "gatewayhostname:s:gw.lab.test:443\r\ngatewayusagemethod:i:2\r\n"
                + "gatewaycredentialssource:i:4\r\ngatewayprofileusagemethod:i:1\r\n"
                + "enablecredsspsupport:i:0\r\nloadbalanceinfo:s:tsv://MS Terminal Services Plugin.1.X\r\n"
                + "password 51:b:01000000D08C9DDFSECRETBLOB\r\n");
    RdpFileEvidence ev = RdpFileLinter.evidence("x.rdp", f, RdpFileLinter.lint(f));
    assertThat(ev.host()).isEqualTo("srv.lab.test");
    assertThat(ev.port()).isEqualTo(3390);
    assertThat(ev.gateway())
        .isEqualTo(new RdpFileEvidence.Gateway("gw.lab.test:443", 2, 4, 1, false));
    assertThat(ev.gateway().used()).isTrue();
    assertThat(ev.credSspOff()).isTrue();
    assertThat(ev.loadBalanceInfo()).startsWith("tsv://");
    assertThat(ev.savedPassword()).isTrue();
    assertThat(ev.toString()).doesNotContain("SECRETBLOB");
  }

  @Test
  void correctedCopyKeepsEncodingAndLayoutAndRoundTrips() {
    String text =
        "screen mode id:i:2\r\nfull address:s:srv.lab.test:3390\r\n"
            + "server port:i:3389\r\nenablecredsspsupport:i:0\r\nauthentication level:i:0\r\n"
            + "winposstr:s:0,1,0,0,800,600\r\n";
    for (Charset cs :
        List.of(
            StandardCharsets.UTF_16LE, StandardCharsets.UTF_8, Charset.forName("windows-1252"))) {
      byte[] original =
          cs.equals(StandardCharsets.UTF_16LE) ? RdpFileParserTest.utf16(text) : text.getBytes(cs);
      RdpFile f = RdpFileParser.parse(original);
      RdpFile fixed = RdpFileLinter.corrected(f, RdpFileLinter.lint(f));
      byte[] out = fixed.toBytes();
      RdpFile again = RdpFileParser.parse(out);
      assertThat(again.encoding()).isEqualTo(f.encoding());
      assertThat(again.toBytes()).isEqualTo(out);
      assertThat(RdpFileLinter.lint(again)).isEmpty();
      String expected =
          "screen mode id:i:2\r\nfull address:s:srv.lab.test:3390\r\n"
              + "enablecredsspsupport:i:1\r\nauthentication level:i:2\r\n"
              + "winposstr:s:0,1,0,0,800,600\r\n";
      assertThat(new String(out, cs).replace("\uFEFF", "")).isEqualTo(expected);
    }
  }

  @Test
  void editDistanceGivesUpEarly() {
    assertThat(KnownSettings.distance("full adress", "full address", 3)).isEqualTo(1);
    assertThat(KnownSettings.distance("zzzzzzzzzzzz", "full address", 3)).isEqualTo(3);
    assertThat(KnownSettings.suggestion("qwertyuiop")).isEmpty();
  }
}

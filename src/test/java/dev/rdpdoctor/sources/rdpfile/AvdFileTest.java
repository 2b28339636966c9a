package dev.rdpdoctor.sources.rdpfile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.RdpFileEvidence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** .rdp files as Azure Virtual Desktop and Windows 365 hand them out (fixtures: see the .txt). */
class AvdFileTest {
  static final Path DIR = Path.of("src/test/resources/rdpfile");

  static RdpFile read(String name) throws Exception {
    return RdpFileParser.parse(Files.readAllBytes(DIR.resolve(name)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"avd-desktop.rdp", "w365-cloudpc.rdp", "avd-remoteapp.rdp"})
  void avdFilesLintCleanAndAreRecognised(String name) throws Exception {
    RdpFile f = read(name);
    assertThat(f.problems()).isEmpty();
    assertThat(RdpFileLinter.lint(f))
        .extracting(l -> l.issue().rule() + " " + l.issue().setting())
        .isEmpty();
    RdpFileEvidence ev = RdpFileLinter.evidence(name, f, RdpFileLinter.lint(f));
    assertThat(ev.avd()).isNotNull();
    assertThat(ev.avd().signals()).isNotEmpty();
    assertThat(ev.avd().checks())
        .contains("Azure Virtual Desktop", "with a token", "DNS, TCP, TLS and the certificate");
    assertThat(ev.avd().notChecked()).contains("cannot check is the token-based part", "broker");
  }

  @Test
  void theEndpointsAreTheGatewayAndTheServiceUrls() throws Exception {
    RdpFileEvidence.Avd avd = RdpFileLinter.evidence("a", read("avd-desktop.rdp"), List.of()).avd();
    assertThat(avd.endpoints())
        .containsExactly(
            "rdgateway-c101-weu-r1.wvd.microsoft.com:443", "rdweb-g-eu-r1.wvd.microsoft.com:443");
    assertThat(avd.checks()).contains("rdgateway-c101-weu-r1.wvd.microsoft.com:443");
    assertThat(avd.signals())
        .anyMatch(s -> s.startsWith("wvd endpoint pool"))
        .anyMatch(s -> s.startsWith("gatewayhostname"));

    RdpFileEvidence.Avd app =
        RdpFileLinter.evidence("b", read("avd-remoteapp.rdp"), List.of()).avd();
    assertThat(app.endpoints()).containsExactly("rdgateway-c102-weu-r0.wvd.microsoft.com:443");
  }

  @Test
  void aGenericExportWithEmptyAvdKeysIsNotAvdAndNotStale() throws Exception {
    RdpFile f = read("generic-export.rdp");
    assertThat(RdpFileLinter.evidence("g", f, List.of()).avd()).isNull();
    assertThat(RdpFileLinter.lint(f)).noneMatch(l -> l.issue().rule().equals("unknown-setting"));
  }

  @Test
  void aPlainRdpFileIsNotAvd() {
    RdpFile f = RdpFileLinterTest.utf16(RdpFileParserTest.MSTSC);
    assertThat(RdpFileLinter.evidence("p", f, List.of()).avd()).isNull();
    assertThat(AvdFile.endpoint("http://x.test/")).isEmpty();
    assertThat(AvdFile.endpoint("https://[2001:db8::1]:8443/p")).contains("[2001:db8::1]:8443");
    assertThat(AvdFile.endpoint("https://%zz")).isEmpty();
  }

  /** Every property in Microsoft's list (rdp-properties.md, 2025-03-06) with its type. */
  @Test
  void knownSettingsFollowMicrosoftsList() {
    List<String> strings =
        List.of(
            "alternate full address",
            "alternate shell",
            "domain",
            "full address",
            "gatewayhostname",
            "kdcproxyname",
            "username",
            "camerastoredirect",
            "devicestoredirect",
            "drivestoredirect",
            "usbdevicestoredirect",
            "selectedmonitors",
            "remoteapplicationcmdline",
            "remoteapplicationfile",
            "remoteapplicationicon",
            "remoteapplicationname",
            "remoteapplicationprogram");
    List<String> ints =
        List.of(
            "authentication level",
            "disableconnectionsharing",
            "enablecredsspsupport",
            "enablerdsaadauth",
            "gatewaycredentialssource",
            "gatewayprofileusagemethod",
            "gatewayusagemethod",
            "promptcredentialonce",
            "targetisaadjoined",
            "autoreconnection enabled",
            "bandwidthautodetect",
            "compression",
            "networkautodetect",
            "videoplaybackmode",
            "audiocapturemode",
            "audiomode",
            "encode redirected video capture",
            "keyboardhook",
            "redirectclipboard",
            "redirectcomports",
            "redirected video capture encoding quality",
            "redirectlocation",
            "redirectprinters",
            "redirectsmartcards",
            "redirectwebauthn",
            "desktop size id",
            "desktopheight",
            "desktopscalefactor",
            "desktopwidth",
            "dynamic resolution",
            "maximizetocurrentdisplays",
            "screen mode id",
            "singlemoninwindowedmode",
            "smart sizing",
            "use multimon",
            "remoteapplicationexpandcmdline",
            "remoteapplicationexpandworkingdir",
            "remoteapplicationmode");
    strings.forEach(k -> assertThat(KnownSettings.type(k)).as(k).contains('s'));
    ints.forEach(k -> assertThat(KnownSettings.type(k)).as(k).contains('i'));
    strings.forEach(
        k -> assertThat(KnownSettings.source(k)).as(k).contains(KnownSettings.Source.MICROSOFT));
    for (String k :
        List.of(
            "wvd endpoint pool",
            "geo",
            "armpath",
            "aadtenantid",
            "diagnosticserviceurl",
            "hubdiscoverygeourl",
            "activityhint",
            "resourceprovider")) {
      assertThat(KnownSettings.type(k)).as(k).contains('s');
    }
    for (String k :
        List.of(
            "clientrejectinjectedinput",
            "gatewaybrokeringtype",
            "use redirection server name",
            "rdgiskdcproxy")) {
      assertThat(KnownSettings.type(k)).as(k).contains('i');
    }
    assertThat(KnownSettings.names())
        .allSatisfy(k -> assertThat(KnownSettings.source(k)).isPresent());
  }

  @Test
  void shortUnknownNamesAreNotTakenForShortKnownOnes() {
    assertThat(KnownSettings.suggestion("foo")).isEmpty();
    assertThat(KnownSettings.suggestion("gep")).contains("geo");
    assertThat(KnownSettings.suggestion("armpth")).contains("armpath");
    assertThat(KnownSettings.suggestion("redirectclipbaord")).contains("redirectclipboard");
  }

  @Test
  void aClearTextPasswordIsFlaggedAndNeverShown() {
    RdpFile f =
        RdpFileLinterTest.utf16(
            "full address:s:h\r\npassword:s:hunter2secret\r\n"
                + "pasword:s:hunter2secret\r\npassword 51:i:0100\r\n");
    String all =
        RdpFileLinter.lint(f).stream()
            .map(l -> l.issue().message() + " " + l.issue().fix())
            .reduce("", String::concat);
    assertThat(RdpFileLinter.lint(f)).anyMatch(l -> l.issue().rule().equals("clear-text-password"));
    assertThat(all).doesNotContain("hunter2").doesNotContain("0100");
  }

  @Test
  void fixtureNotesExistForEachFile() throws IOException {
    try (var s = Files.list(DIR)) {
      s.filter(p -> p.toString().endsWith(".rdp"))
          .forEach(p -> assertThat(Files.exists(Path.of(p + ".txt"))).as(p.toString()).isTrue());
    }
  }
}

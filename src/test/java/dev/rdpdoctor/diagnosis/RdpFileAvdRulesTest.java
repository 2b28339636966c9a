package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.EvidenceFixtures.NOW;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.goodCert;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.reachable;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.response;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.tlsOk;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.versions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.RdpFileEvidence;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.sources.rdpfile.RdpFile;
import dev.rdpdoctor.sources.rdpfile.RdpFileLinter;
import dev.rdpdoctor.sources.rdpfile.RdpFileParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** diagnose --rdp-file with an Azure Virtual Desktop file says what it can and cannot check. */
class RdpFileAvdRulesTest {
  final Diagnoser diagnoser = new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));

  static RdpFileEvidence file(String name) throws Exception {
    Path p = Path.of("src/test/resources/rdpfile", name);
    RdpFile f = RdpFileParser.parse(Files.readAllBytes(p));
    return RdpFileLinter.evidence(p.toString(), f, RdpFileLinter.lint(f));
  }

  static Evidence healthyServer() {
    return reachable(
        ClientProfile.WINDOWS,
        List.of(
            response(
                "client",
                ClientProfile.WINDOWS.requestedProtocols(),
                SecurityProtocol.PROTOCOL_SSL)),
        tlsOk(goodCert(), versions(false, false, true, true), "TLSv1.3"));
  }

  @Test
  void anAvdFileSaysWhichPartsOfItsPathAreCheckedAndWhichAreNot() throws Exception {
    Diagnosis d = diagnoser.diagnose(healthyServer().with(file("avd-desktop.rdp")));
    Finding avd =
        d.findings().stream()
            .filter(f -> f.cause().equals("avd-broker-unchecked"))
            .findFirst()
            .orElseThrow();
    assertThat(avd.severity()).isEqualTo(Severity.INFO);
    assertThat(avd.summary())
        .contains(
            "Azure Virtual Desktop / Windows 365",
            "DNS, TCP, TLS and the certificate",
            "rdgateway-c101-weu-r1.wvd.microsoft.com:443",
            "cannot check is the token-based part",
            "session host");
    assertThat(avd.evidence()).anyMatch(r -> r.fact().startsWith("wvd endpoint pool"));
    assertThat(avd.fixes()).extracting(f -> f.id()).containsExactly("check-avd-assignment");
    assertThat(d.checked()).anyMatch(c -> c.contains("DNS, TCP, TLS and the certificate"));
    // A note, not a failure: the file itself is fine.
    assertThat(d.findings()).noneMatch(f -> f.cause().equals("rdp-file-misconfigured"));
  }

  @Test
  void aPlainFileGetsNoAvdNote() throws Exception {
    Diagnosis d = diagnoser.diagnose(healthyServer().with(file("generic-export.rdp")));
    assertThat(d.findings()).noneMatch(f -> f.cause().equals("avd-broker-unchecked"));
  }
}

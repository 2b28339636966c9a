package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.EvidenceFixtures.NOW;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.goodCert;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.reachable;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.response;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.tlsOk;
import static dev.rdpdoctor.diagnosis.EvidenceFixtures.versions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.ClientTlsOffer;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.TlsCipherEvidence;
import dev.rdpdoctor.evidence.TlsCipherEvidence.GroupResult;
import dev.rdpdoctor.evidence.TlsCipherEvidence.Suite;
import dev.rdpdoctor.evidence.TlsCipherEvidence.VersionSuites;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsCipherRulesTest {
  final Diagnoser diagnoser = new Diagnoser(KnowledgeBase.get(), Clock.fixed(NOW, ZoneOffset.UTC));

  static Suite suite(String name, String id) {
    return new Suite(name, id, true);
  }

  static TlsCipherEvidence ciphers(List<VersionSuites> v, List<GroupResult> g, boolean complete) {
    return new TlsCipherEvidence("198.19.1.2:3389", v, g, 12, 60, 60_000, complete, List.of(), 900);
  }

  static Evidence evidence(ClientProfile p, TlsEvidence tls, TlsCipherEvidence c) {
    return reachable(p, List.of(response("client", p.requestedProtocols(), 0x01)), tls).with(c);
  }

  static final TlsEvidence FAILED =
      new TlsEvidence(
          "198.19.1.2:3389",
          0x0B,
          TlsEvidence.Status.ALERT,
          null,
          null,
          "handshake_failure(40)",
          "refused",
          List.of(),
          List.of(),
          7,
          5);

  List<Finding> findings(Evidence e) {
    return diagnoser.diagnose(e).findings();
  }

  @Test
  void onlyStaticRsaWithRc4SharesNothingWithAnyCurrentClient() {
    TlsCipherEvidence c =
        ciphers(
            List.of(
                new VersionSuites(
                    "TLSv1.2",
                    List.of(new Suite("TLS_RSA_WITH_RC4_128_SHA", "0x0005", false)),
                    null,
                    "handshake_failure(40)")),
            List.of(),
            true);
    List<Finding> f = findings(evidence(ClientProfile.WINDOWS, FAILED, c));
    Finding first =
        f.stream().filter(x -> x.cause().equals("tls-no-shared-cipher")).findFirst().orElseThrow();
    assertThat(first.severity()).isEqualTo(Severity.FAIL);
    assertThat(first.confidence()).isEqualTo(Confidence.HIGH);
    assertThat(first.summary()).contains("Windows 11 mstsc", "TLS_RSA_WITH_RC4_128_SHA");
    // the other profiles are named once, as information
    assertThat(f)
        .filteredOn(x -> x.cause().equals("tls-no-shared-cipher") && x.severity() == Severity.INFO)
        .singleElement()
        .satisfies(x -> assertThat(x.summary()).contains("FreeRDP 2", "FreeRDP 3"));
    assertThat(f)
        .filteredOn(x -> x.cause().equals("tls-weak-ciphers"))
        .singleElement()
        .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.WARN));
  }

  @Test
  void tls10CbcShaServerIsLegacyOnlyForFreeRdp2AndUnusableForTheOthers() {
    TlsCipherEvidence c =
        ciphers(
            List.of(
                new VersionSuites(
                    "TLSv1.0",
                    List.of(
                        suite("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "0xC014"),
                        suite("TLS_RSA_WITH_AES_128_CBC_SHA", "0x002F"),
                        suite("TLS_RSA_WITH_3DES_EDE_CBC_SHA", "0x000A")),
                    true,
                    "handshake_failure(40)")),
            List.of(new GroupResult("TLSv1.0", "x25519", "0x001D", true, null)),
            true);
    TlsEvidence tls = tlsOk(goodCert(), versions(true, false, false, false), "TLSv1");
    List<Finding> f = findings(evidence(ClientProfile.FREERDP2, tls, c));
    // the core rules already say "legacy only" for the active client: not said twice
    assertThat(f).filteredOn(x -> x.cause().equals("tls-legacy-only")).hasSize(1);
    assertThat(f)
        .filteredOn(x -> x.cause().equals("tls-no-shared-cipher"))
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.severity()).isEqualTo(Severity.INFO);
              assertThat(x.summary()).contains("Windows 11", "FreeRDP 3");
            });
    assertThat(f)
        .filteredOn(x -> x.cause().equals("tls-weak-ciphers"))
        .singleElement()
        .satisfies(x -> assertThat(x.summary()).contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA"));
  }

  @Test
  void modernServerSharesAeadSuitesAndAddsNothing() {
    TlsCipherEvidence c =
        ciphers(
            List.of(
                new VersionSuites(
                    "TLSv1.3",
                    List.of(suite("TLS_AES_256_GCM_SHA384", "0x1302")),
                    null,
                    "handshake_failure(40)"),
                new VersionSuites(
                    "TLSv1.2",
                    List.of(suite("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "0xC030")),
                    null,
                    "handshake_failure(40)")),
            List.of(
                new GroupResult("TLSv1.3", "x25519", "0x001D", true, null),
                new GroupResult("TLSv1.2", "x25519", "0x001D", true, null)),
            true);
    TlsEvidence tls = tlsOk(goodCert(), versions(false, false, true, true), "TLSv1.3");
    List<Finding> f = findings(evidence(ClientProfile.WINDOWS, tls, c));
    assertThat(f)
        .extracting(Finding::cause)
        .doesNotContain("tls-no-shared-cipher", "tls-legacy-only", "tls-weak-ciphers");
  }

  @Test
  void aSharedSuiteWithoutASharedGroupIsNotShared() {
    // the server's only ECDHE curve is one Windows does not offer
    TlsCipherEvidence c =
        ciphers(
            List.of(
                new VersionSuites(
                    "TLSv1.2",
                    List.of(suite("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "0xC030")),
                    null,
                    "x")),
            List.of(
                new GroupResult("TLSv1.2", "x25519", "0x001D", false, "handshake_failure(40)"),
                new GroupResult("TLSv1.2", "secp521r1", "0x0019", true, null)),
            false);
    assertThat(TlsCipherRules.shared(c, ClientTlsOffer.WINDOWS)).isEmpty();
    assertThat(TlsCipherRules.shared(c, ClientTlsOffer.FREERDP3)).hasSize(1);
    Finding f =
        findings(evidence(ClientProfile.WINDOWS, FAILED, c)).stream()
            .filter(x -> x.cause().equals("tls-no-shared-cipher"))
            .findFirst()
            .orElseThrow();
    // the enumeration was cut short: the conclusion is weaker
    assertThat(f.confidence()).isEqualTo(Confidence.MEDIUM);
  }

  @Test
  void weakSuiteClassification() {
    assertThat(TlsCipherRules.weak("TLS_RSA_WITH_AES_128_GCM_SHA256")).isTrue();
    assertThat(TlsCipherRules.weak("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")).isTrue();
    assertThat(TlsCipherRules.weak("TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA")).isTrue();
    assertThat(TlsCipherRules.weak("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")).isFalse();
    assertThat(TlsCipherRules.weak("TLS_AES_128_GCM_SHA256")).isFalse();
    assertThat(ClientTlsOffer.WINDOWS.offers("TLSv1.3", "TLS_AES_128_GCM_SHA256")).isTrue();
    assertThat(ClientTlsOffer.WINDOWS.offers("TLSv1.2", "TLS_AES_128_GCM_SHA256")).isFalse();
    assertThat(ClientTlsOffer.WINDOWS.offers("TLSv1.0", "TLS_RSA_WITH_AES_128_CBC_SHA")).isFalse();
    assertThat(ClientProfile.NO_NLA.tlsOffer()).isSameAs(ClientTlsOffer.WINDOWS);
  }
}

package dev.rdpdoctor.fleet;

import static dev.rdpdoctor.fleet.FleetFixtures.NOW;
import static dev.rdpdoctor.fleet.FleetFixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.diagnosis.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTest {
  static final String YAML =
      """
      # the fleet's standard
      require_tls: true
      require_nla: true
      min_tls_version: "1.2"
      forbid_weak_ciphers: true
      cert_issuer: "Corp Issuing CA"
      cert_min_days_left: 30
      cert_key_min_bits: 2048
      min_credssp_version: 6
      forbid_rdp_udp: true
      port: 3389
      """;

  @Test
  void readsYamlAndJsonAlike() throws Exception {
    Policy y = Policy.parse(YAML, "p.yaml");
    Policy j =
        Policy.parse(
            """
        {"require_tls": true, "require_nla": true, "min_tls_version": "TLSv1.2",
         "forbid_weak_ciphers": true, "cert_issuer": "Corp Issuing CA",
         "cert_min_days_left": 30, "cert_key_min_bits": 2048, "min_credssp_version": 6,
         "forbid_rdp_udp": true, "port": 3389}
        """,
            "p.json");
    assertThat(y).isEqualTo(j);
    assertThat(y.minTlsVersion()).isEqualTo("TLSv1.2");
  }

  @Test
  void refusesTyposAndBadValues() {
    assertThatThrownBy(() -> Policy.parse("require_tsl: true\n", "p.yaml"))
        .hasMessageContaining("unknown rule 'require_tsl'");
    assertThatThrownBy(() -> Policy.parse("min_tls_version: 1.5\n", "p.yaml"))
        .hasMessageContaining("min_tls_version must be one of");
    assertThatThrownBy(() -> Policy.parse("require_nla: yes please\n", "p.yaml"))
        .hasMessageContaining("require_nla is true or false");
    assertThatThrownBy(() -> Policy.parse("port: 70000\n", "p.yaml"))
        .hasMessageContaining("port is a whole number from 1 to 65535");
    assertThatThrownBy(() -> Policy.parse("- a\n- b\n", "p.yaml"))
        .hasMessageContaining("a policy is a map");
    assertThatThrownBy(() -> Policy.parse("{\"require_tls\": tru", "p.json"))
        .hasMessageContaining("not valid YAML or JSON");
  }

  @Test
  void aConformingHostIsCompliant() throws Exception {
    Policy p = Policy.parse(YAML, "p.yaml");
    HostSummary h =
        summary(
            "10.0.0.1",
            List.of("nla"),
            List.of("TLSv1.2", "TLSv1.3"),
            "CN=Corp Issuing CA,DC=corp",
            NOW.plusSeconds(86_400 * 90L),
            2048,
            6);
    assertThat(p.evaluate(h, NOW)).isEqualTo(new PolicyResult(true, List.of()));
  }

  @Test
  void eachRuleSaysWhatItExpectedAndFound() throws Exception {
    Policy p = Policy.parse(YAML, "p.yaml");
    HostSummary h =
        summary(
            "10.0.0.2",
            List.of("rdp", "tls"),
            List.of("TLSv1.0", "TLSv1.2"),
            "CN=Other CA",
            NOW.minusSeconds(86_400 * 3L),
            1024,
            null);
    PolicyResult r = p.evaluate(h, NOW);
    assertThat(r.compliant()).isFalse();
    assertThat(r.violations())
        .extracting(PolicyResult.Violation::rule)
        .containsExactly(
            "require_tls",
            "require_nla",
            "min_tls_version",
            "cert_issuer",
            "cert_min_days_left",
            "cert_key_min_bits",
            "min_credssp_version");
    assertThat(r.violations().get(0).found()).contains("Standard RDP Security accepted");
    assertThat(r.violations().get(1).found()).isEqualTo("NLA not offered (accepts rdp, tls)");
    assertThat(r.violations().get(2).found()).isEqualTo("TLSv1.0, TLSv1.2 accepted");
    assertThat(r.violations().get(3).found()).isEqualTo("CN=Other CA");
    assertThat(r.violations().get(4).found()).isEqualTo("expired on 2026-11-28");
    assertThat(r.violations().get(5))
        .isEqualTo(new PolicyResult.Violation("cert_key_min_bits", "2048 bits", "1024 bits"));
  }

  @Test
  void issuerMatchesTheWholeDnOrItsCn() throws Exception {
    HostSummary h =
        summary(
            "10.0.0.3",
            List.of("tls"),
            List.of("TLSv1.2"),
            "CN=Corp Issuing CA, DC=corp, DC=example",
            NOW.plusSeconds(86_400 * 90L),
            2048,
            null);
    assertThat(Policy.parse("cert_issuer: corp issuing ca\n", "p").evaluate(h, NOW).compliant())
        .isTrue();
    assertThat(
            Policy.parse("cert_issuer: \"CN=Corp Issuing CA,DC=corp,DC=example\"\n", "p")
                .evaluate(h, NOW)
                .compliant())
        .isTrue();
    assertThat(Policy.parse("cert_issuer: Corp\n", "p").evaluate(h, NOW).compliant()).isFalse();
  }

  @Test
  void anUnreachableHostIsNotCompliantAndSaysWhy() throws Exception {
    HostSummary h = HostSummary.of(FleetFixtures.closed("10.0.0.9"));
    PolicyResult r = Policy.parse("require_tls: true\n", "p").evaluate(h, NOW);
    assertThat(h.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(r.compliant()).isFalse();
    assertThat(r.violations())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.rule()).isEqualTo("reachable");
              assertThat(v.found()).startsWith("port-closed: ");
            });
  }

  @Test
  void weakCipherSeenIsAViolation() throws Exception {
    HostSummary h =
        HostSummary.of(
            FleetFixtures.server(
                "10.0.0.4",
                false,
                true,
                List.of("TLSv1.0"),
                FleetFixtures.cert("CN=X", NOW.plusSeconds(86_400 * 90L), 2048)));
    PolicyResult r =
        Policy.parse(
                "forbid_weak_ciphers: true\nallowed_cipher_suites: " + "[TLS_AES_256_GCM_SHA384]\n",
                "p")
            .evaluate(h, NOW);
    assertThat(r.violations())
        .extracting(PolicyResult.Violation::found)
        .containsExactly("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA");
  }
}

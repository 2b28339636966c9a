package dev.rdpdoctor.fleet;

import static dev.rdpdoctor.fleet.FleetFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsistencyTest {
  @Test
  void namesTheHostsOutsideTheMajorityAndHowTheyDiffer() {
    Instant later = NOW.plusSeconds(86_400 * 400L);
    List<HostSummary> hosts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      hosts.add(
          FleetFixtures.summary(
              "10.0.0." + i,
              List.of("rdp", "tls"),
              List.of("TLSv1.2", "TLSv1.3"),
              "CN=Lab CA",
              later,
              2048,
              null));
    }
    hosts.add(
        FleetFixtures.summary(
            "10.0.1.1",
            List.of("tls"),
            List.of("TLSv1.2", "TLSv1.3"),
            "CN=Lab CA",
            later,
            2048,
            null));
    hosts.add(
        FleetFixtures.summary(
            "10.0.1.2",
            List.of("rdp", "tls"),
            List.of("TLSv1.2", "TLSv1.3"),
            "CN=Other CA,O=Other",
            later,
            2048,
            null));
    hosts.add(
        FleetFixtures.summary(
            "10.0.1.3",
            List.of("rdp", "tls"),
            List.of("TLSv1.2", "TLSv1.3"),
            "CN=Other CA,O=Other",
            later,
            2048,
            null));
    hosts.add(HostSummary.of(FleetFixtures.closed("10.0.2.1")));

    Consistency c = Consistency.of(hosts);
    assertThat(c.groups()).hasSize(3);
    assertThat(c.groups().get(0).majority()).isTrue();
    assertThat(c.groups().get(0).hosts()).hasSize(5);
    assertThat(c.groups().get(1).hosts()).containsExactly("10.0.1.2:3389", "10.0.1.3:3389");
    assertThat(c.groups().get(1).differs()).containsExactly("certificate issuer");
    assertThat(c.groups().get(2).differs()).containsExactly("security layers");
    assertThat(c.deviants())
        .containsExactlyInAnyOrder("10.0.1.1:3389", "10.0.1.2:3389", "10.0.1.3:3389");
    assertThat(c.unreachable()).containsExactly("10.0.2.1:3389");
  }

  @Test
  void profileComesFromTheEvidence() {
    HostSummary tls10 =
        HostSummary.of(
            FleetFixtures.server(
                "10.0.0.7",
                false,
                true,
                List.of("TLSv1.0"),
                FleetFixtures.cert("CN=Lab CA,O=lab", NOW, 2048)));
    assertThat(tls10.layers()).containsExactly("tls");
    assertThat(tls10.nla()).isEqualTo("not-offered");
    assertThat(tls10.tlsVersions()).containsExactly("TLSv1.0");
    assertThat(tls10.certIssuerName()).isEqualTo("Lab CA");
    HostSummary rdp =
        HostSummary.of(FleetFixtures.server("10.0.0.8", true, false, List.of(), null));
    assertThat(rdp.layers()).containsExactly("rdp");
    assertThat(rdp.tlsVersions()).isNull();
    assertThat(rdp.topCause()).isEqualTo("standard-security-only");
  }
}

package dev.rdpdoctor.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Target;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeConfigTest {
  @Test
  void readsTheYamlOverTheDefaults(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("serve.yml");
    Files.writeString(
        f,
        """
        listen: 0.0.0.0:9400
        allow: [10.0.0.0/8, .corp.example, port=3389-3390]
        max_concurrent_probes: 3
        scrape_timeout_offset: 250ms
        modules:
          nonla: {timeout: 7, client_profile: no-nla, checks: quick}
          branch: {gateway: rdgw.corp.example}
        """);
    ServeConfig c = ServeConfig.load(f);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9400);
    assertThat(c.allow()).containsExactly("10.0.0.0/8", ".corp.example", "port=3389-3390");
    assertThat(c.maxConcurrentProbes()).isEqualTo(3);
    assertThat(c.scrapeOffset()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.modules().get("nonla").profile()).isEqualTo(ClientProfile.NO_NLA);
    assertThat(c.modules().get("nonla").timeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.modules().get("branch").gateway()).isEqualTo("rdgw.corp.example");
    assertThat(c.modules()).containsKeys("quick", "full", "gateway");
  }

  @Test
  void typosAndBadValuesAreErrorsThatSayWhat(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("serve.yml");
    Files.writeString(f, "max_concurent_probes: 3\n");
    assertThatThrownBy(() -> ServeConfig.load(f))
        .hasMessageContaining("unknown setting " + "'max_concurent_probes'");
    Files.writeString(f, "modules:\n  x: {client_profile: amiga}\n");
    assertThatThrownBy(() -> ServeConfig.load(f)).hasMessageContaining("unknown client_profile");
    Files.writeString(f, "modules:\n  x: {timeout: 500}\n");
    assertThatThrownBy(() -> ServeConfig.load(f)).hasMessageContaining("up to 120");
    Files.writeString(f, "listen: [1, 2\n");
    assertThatThrownBy(() -> ServeConfig.load(f)).hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> ServeConfig.splitListen("host:99999")).hasMessageContaining("0-65535");
  }

  @Test
  void allowlistMatchesSuffixesCidrsAndPorts() throws Exception {
    TargetPolicy p =
        TargetPolicy.of(
            List.of("10.0.0.0/8", ".corp.example", "port=3389"),
            false,
            name ->
                new InetAddress[] {
                  InetAddress.getByName(name.startsWith("in.") ? "10.1.1.1" : "192.0.2.1")
                });
    assertThat(check(p, "pc1.corp.example", 3389)).isTrue();
    assertThat(check(p, "corp.example", 3389)).isTrue();
    assertThat(check(p, "evilcorp.example", 3389)).isFalse();
    assertThat(check(p, "in.other.example", 3389)).isTrue();
    assertThat(check(p, "pc1.corp.example", 3390)).isFalse();
    assertThatThrownBy(() -> TargetPolicy.of(List.of("port=0"), false, null))
        .hasMessageContaining("1-65535");
    assertThatThrownBy(() -> TargetPolicy.of(List.of("10.0.0.0/40"), false, null))
        .hasMessageContaining("prefix length");
  }

  private static boolean check(TargetPolicy p, String host, int port) {
    return p.check(new Target(host, port, false, ClientProfile.WINDOWS), "target").allowed();
  }
}

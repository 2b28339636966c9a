package dev.rdpdoctor.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnowledgeBaseTest {
  /** The catalogue ids of DESIGN.md §4: a contract, so each must be present. */
  static final List<String> DESIGN_IDS = List.of("dns-unresolvable", "dns-wrong-address",
      "host-unreachable", "port-closed", "port-filtered", "not-rdp-service",
      "server-closed-connection", "pmtu-blackhole", "packet-loss", "high-latency", "udp-blocked",
      "connection-limit", "nla-required", "tls-required", "standard-security-only",
      "tls-certificate-missing", "tls-handshake-failed", "tls-legacy-only",
      "tls-no-shared-cipher", "credssp-unpatched-server", "cert-expired", "cert-not-yet-valid",
      "cert-expiring-soon", "cert-name-mismatch", "cert-weak", "cert-self-signed",
      "tls-interception", "logon-failed", "account-locked", "account-disabled",
      "account-expired", "password-expired", "password-must-change", "logon-right-missing",
      "account-restriction", "no-logon-authority", "clock-skew", "server-denied-connection",
      "server-insufficient-privileges", "licensing-failed", "broker-redirect-failed",
      "session-replaced", "gateway-unreachable", "gateway-tls-failed", "gateway-not-rd-gateway",
      "gateway-auth-failed", "gateway-forbidden", "gateway-error", "gateway-udp-blocked",
      "rdp-file-misconfigured", "client-udp-enabled-on-bad-path", "stale-saved-credentials",
      "healthy", "inconclusive");

  /** The causes the diagnosis can conclude today; each needs at least one fix. */
  static final Set<String> DIAGNOSED = Set.of("dns-unresolvable", "host-unreachable",
      "port-closed", "port-filtered", "not-rdp-service", "server-closed-connection",
      "server-unresponsive", "standard-security-only", "tls-required", "nla-required",
      "tls-certificate-missing", "tls-handshake-failed", "tls-legacy-only", "cert-expired",
      "cert-not-yet-valid", "cert-expiring-soon", "cert-name-mismatch", "cert-weak",
      "cert-self-signed", "inconclusive", "clock-skew", "dns-wrong-address",
      "credssp-unpatched-server", "logon-failed", "account-locked", "account-disabled",
      "account-expired", "password-expired", "password-must-change", "logon-right-missing",
      "account-restriction", "no-logon-authority");

  final KnowledgeBase kb = KnowledgeBase.get();

  @Test
  void everyDesignIdIsCatalogued() {
    assertThat(kb.causes().keySet()).containsAll(DESIGN_IDS);
  }

  @Test
  void everyDiagnosedCauseHasAFixAndEveryReferenceResolves() {
    for (String id : DIAGNOSED) {
      assertThat(kb.fixesFor(id)).as(id).isNotEmpty();
    }
    kb.causes().values().forEach(c -> c.fixes().forEach(
        f -> assertThat(kb.fix(f)).as(c.id() + " -> " + f).isPresent()));
  }

  @Test
  void fixesThatLowerSecuritySayHowToUndo() {
    kb.fixes().values().stream()
        .filter(f -> f.risk() != null && f.risk().toLowerCase().contains("lowers security"))
        .forEach(f -> assertThat(f.undo()).as(f.id()).isNotEmpty());
  }

  @Test
  void fixesNameWhereTheyApply() {
    kb.fixes().values().forEach(f -> assertThat(f.where()).as(f.id())
        .isIn("client", "server", "network", "gateway"));
  }
}

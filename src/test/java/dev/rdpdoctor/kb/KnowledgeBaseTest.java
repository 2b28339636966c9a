package dev.rdpdoctor.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnowledgeBaseTest {
  /** The catalogue ids of DESIGN.md §4: a contract, so each must be present. */
  static final List<String> DESIGN_IDS =
      List.of(
          "dns-unresolvable",
          "dns-wrong-address",
          "host-unreachable",
          "port-closed",
          "port-filtered",
          "not-rdp-service",
          "server-closed-connection",
          "pmtu-blackhole",
          "packet-loss",
          "high-latency",
          "udp-blocked",
          "connection-limit",
          "nla-required",
          "tls-required",
          "standard-security-only",
          "tls-certificate-missing",
          "tls-handshake-failed",
          "tls-legacy-only",
          "tls-no-shared-cipher",
          "credssp-unpatched-server",
          "cert-expired",
          "cert-not-yet-valid",
          "cert-expiring-soon",
          "cert-name-mismatch",
          "cert-weak",
          "cert-self-signed",
          "tls-interception",
          "logon-failed",
          "account-locked",
          "account-disabled",
          "account-expired",
          "password-expired",
          "password-must-change",
          "logon-right-missing",
          "account-restriction",
          "no-logon-authority",
          "clock-skew",
          "server-denied-connection",
          "server-insufficient-privileges",
          "licensing-failed",
          "broker-redirect-failed",
          "session-replaced",
          "gateway-unreachable",
          "gateway-tls-failed",
          "gateway-not-rd-gateway",
          "gateway-auth-failed",
          "gateway-forbidden",
          "gateway-error",
          "gateway-udp-blocked",
          "rdp-file-misconfigured",
          "client-udp-enabled-on-bad-path",
          "stale-saved-credentials",
          "healthy",
          "inconclusive");

  /** The causes the diagnosis can conclude today; each needs at least one fix. */
  static final Set<String> DIAGNOSED =
      Set.of(
          "dns-unresolvable",
          "host-unreachable",
          "port-closed",
          "port-filtered",
          "not-rdp-service",
          "server-closed-connection",
          "server-unresponsive",
          "standard-security-only",
          "tls-required",
          "nla-required",
          "tls-certificate-missing",
          "tls-handshake-failed",
          "tls-legacy-only",
          "cert-expired",
          "cert-not-yet-valid",
          "cert-expiring-soon",
          "cert-name-mismatch",
          "cert-weak",
          "cert-self-signed",
          "inconclusive",
          "clock-skew",
          "dns-wrong-address",
          "credssp-unpatched-server",
          "logon-failed",
          "account-locked",
          "account-disabled",
          "account-expired",
          "password-expired",
          "password-must-change",
          "logon-right-missing",
          "account-restriction",
          "no-logon-authority");

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
    kb.causes()
        .values()
        .forEach(
            c -> c.fixes().forEach(f -> assertThat(kb.fix(f)).as(c.id() + " -> " + f).isPresent()));
  }

  /** Verdicts that need no remedy; every other cause must point at least at one fix. */
  static final Set<String> NO_FIX_NEEDED = Set.of("healthy", "nla-logon-accepted");

  @Test
  void everyCauseInTheCatalogueHasAFix() {
    kb.causes().values().stream()
        .filter(c -> !NO_FIX_NEEDED.contains(c.id()))
        .forEach(c -> assertThat(kb.fixesFor(c.id())).as(c.id()).isNotEmpty());
  }

  @Test
  void everyFixIsReachedFromACauseAndHasStepsAndARisk() {
    kb.fixes()
        .values()
        .forEach(
            f -> {
              assertThat(kb.causesFor(f.id())).as(f.id() + " is advised for no cause").isNotEmpty();
              assertThat(f.steps()).as(f.id()).isNotEmpty();
              assertThat(f.title()).as(f.id()).isNotBlank();
              assertThat(f.risk()).as(f.id()).isNotBlank();
            });
  }

  @Test
  void scriptableActionsAreWellFormed() {
    kb.fixes()
        .values()
        .forEach(
            f ->
                f.actions()
                    .forEach(
                        a -> {
                          assertThat(a.why()).as(f.id()).isNotBlank();
                          switch (a.type()) {
                            case "registry" -> {
                              assertThat(a.path()).as(f.id()).matches("(HKLM|HKCU)\\\\[^\"'`$]+");
                              assertThat(a.name()).as(f.id()).matches("[A-Za-z0-9 ._-]+");
                              assertThat(a.valueType()).as(f.id()).isIn("DWORD", "String");
                              assertThat(a.data()).as(f.id()).isNotNull();
                              if (a.valueType().equals("DWORD")) {
                                assertThat(a.data()).as(f.id()).matches("\\d{1,10}");
                              }
                            }
                            case "registry-key-remove" ->
                                assertThat(a.path()).as(f.id()).matches("(HKLM|HKCU)\\\\[^\"'`$]+");
                            case "file-rename" ->
                                assertThat(a.path()).as(f.id()).startsWith("{documents}\\");
                            case "firewall-group" -> assertThat(a.group()).as(f.id()).isNotBlank();
                            case "service-restart" ->
                                assertThat(a.service()).as(f.id()).matches("[A-Za-z]+");
                            case "cmdkey-delete" ->
                                assertThat(a.target()).as(f.id()).startsWith("TERMSRV/");
                            case "command" -> assertThat(a.command()).as(f.id()).isNotBlank();
                            default ->
                                throw new AssertionError(
                                    f.id() + ": unknown action type " + a.type());
                          }
                          if (a.lowersSecurity()) {
                            assertThat(f.lowersSecurity())
                                .as(f.id() + " action lowers security, risk must say so")
                                .isTrue();
                          }
                        }));
  }

  /** What the list of common advice names, each as text some fix must carry. */
  @Test
  void theCommonAdviceIsCovered() {
    String all =
        kb.fixes().values().stream()
            .map(f -> f.title() + "\n" + f.steps() + "\n" + f.undo() + "\n" + f.actions())
            .reduce("", String::concat);
    for (String must :
        List.of(
            "mtu=",
            "MaxOutstandingConnections",
            "SSL Cipher Suite Order",
            "UserAuthentication",
            "certlm.msc",
            "MachineKeys",
            "Restart-Service TermService",
            "Enable-NetFirewallRule",
            "Block all incoming connections",
            "antivirus",
            "ipconfig /flushdns",
            "netsh winsock reset",
            "mstsc /v:<address>",
            "fClientDisableUDP",
            "Turn Off UDP On Client",
            "forward TCP {port}",
            "cmdkey /list",
            "cmdkey /delete:TERMSRV/{host}",
            "RDG:",
            "MRU",
            "Default.rdp",
            "SecurityLayer",
            "Connection Authorization Policies",
            "Resource Authorization Policies",
            "TLS inspection",
            "fDenyTSConnections",
            "RDGClientTrace",
            "Windows updates",
            "Serial console",
            "run-command")) {
      assertThat(all).as(must).contains(must);
    }
  }

  @Test
  void fixesThatLowerSecuritySayHowToUndo() {
    kb.fixes().values().stream()
        .filter(f -> f.risk() != null && f.risk().toLowerCase().contains("lowers security"))
        .forEach(f -> assertThat(f.undo()).as(f.id()).isNotEmpty());
  }

  @Test
  void fixesNameWhereTheyApply() {
    kb.fixes()
        .values()
        .forEach(
            f -> assertThat(f.where()).as(f.id()).isIn("client", "server", "network", "gateway"));
  }
}

package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * What an .rdp file asks for (DESIGN.md §5 {@code --rdp-file}), as the probes and the rules use it.
 * Secrets in the file (the DPAPI password blob, gateway tokens) are never copied here; only that
 * they are present.
 *
 * @param host the host from full address (or alternate full address when that is the only one)
 * @param port the effective port: full address's :port, else server port, else 3389
 * @param gateway the gateway settings as written; the gateway probe reads them from here
 * @param issues what the linter found, without the network
 * @param problems lines that could not be read, as line:col: message
 * @param avd set when the file is an Azure Virtual Desktop / Windows 365 one; null otherwise
 */
public record RdpFileEvidence(
    String path,
    String encoding,
    int settings,
    String fullAddress,
    String alternateFullAddress,
    Integer serverPort,
    String host,
    int port,
    String username,
    Gateway gateway,
    Integer authenticationLevel,
    Integer enableCredSspSupport,
    Integer negotiateSecurityLayer,
    Integer useRedirectionServerName,
    String loadBalanceInfo,
    Integer enableRdsAadAuth,
    boolean savedPassword,
    List<RdpFileIssue> issues,
    List<String> problems,
    Avd avd)
    implements EvidenceSection {

  /**
   * An Azure Virtual Desktop / Windows 365 file: the client reaches the session host through the
   * AVD gateway with a token the AVD broker issues, not with a plain RD Gateway login.
   *
   * @param signals the settings that mark the file as AVD's, as "name: why"
   * @param endpoints the gateway and service endpoints the file names (host or host:port)
   * @param checks what rdpdoctor can check on this path, in words
   * @param notChecked what it cannot check on this path, in words
   */
  public record Avd(
      List<String> signals, List<String> endpoints, String checks, String notChecked) {
    public Avd {
      signals = List.copyOf(signals);
      endpoints = List.copyOf(endpoints);
    }
  }

  /**
   * The RD Gateway settings.
   *
   * @param usageMethod 0 none, 1 always, 2 if direct fails, 3 default, 4 none + bypass local
   * @param credentialsSource 0 password, 1 smart card, 2 current user, 3 prompt/basic, 4 select
   *     later, 5 cookie
   * @param profileUsageMethod 0 the administrator's defaults, 1 this file's settings
   */
  public record Gateway(
      String hostname,
      Integer usageMethod,
      Integer credentialsSource,
      Integer profileUsageMethod,
      boolean accessToken) {
    /** Whether the client will go through the gateway given these settings. */
    public boolean used() {
      return hostname != null
          && usageMethod != null
          && (usageMethod == 1 || usageMethod == 2)
          && (profileUsageMethod == null || profileUsageMethod == 1);
    }
  }

  public RdpFileEvidence {
    issues = List.copyOf(issues);
    problems = List.copyOf(problems);
  }

  @Override
  public String key() {
    return "rdp_file";
  }

  /** CredSSP switched off in the file (the client then offers TLS only). */
  public boolean credSspOff() {
    return enableCredSspSupport != null && enableCredSspSupport == 0;
  }
}

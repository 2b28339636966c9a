package dev.rdpdoctor.engine;

import dev.rdpdoctor.evidence.EvidenceSection;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.probe.Credentials;
import java.util.List;

/**
 * Everything one diagnosis needs, whoever asks (the CLI, a fleet scan, the exporter, the web page).
 *
 * @param gateway reach the target through this RD Gateway, or null for the direct path
 * @param expectFingerprint the gateway certificate's SHA-256 seen from a trusted network, or null
 * @param credentials for the logon test, or null; the caller destroys them after the run
 * @param offline evidence read before the run (an .rdp file), attached to the result
 */
public record DiagnoseRequest(
    Target target,
    Target gateway,
    String expectFingerprint,
    Credentials credentials,
    Checks checks,
    Budget budget,
    List<EvidenceSection> offline) {

  public DiagnoseRequest {
    offline = List.copyOf(offline);
  }

  /** The direct path with default checks and budget. */
  public static DiagnoseRequest of(Target target) {
    return new DiagnoseRequest(
        target, null, null, null, Checks.full(), Budget.defaults(), List.of());
  }

  public DiagnoseRequest withChecks(Checks c) {
    return new DiagnoseRequest(target, gateway, expectFingerprint, credentials, c, budget, offline);
  }

  public DiagnoseRequest withBudget(Budget b) {
    return new DiagnoseRequest(target, gateway, expectFingerprint, credentials, checks, b, offline);
  }

  public DiagnoseRequest withGateway(Target gw, String fingerprint) {
    return new DiagnoseRequest(target, gw, fingerprint, credentials, checks, budget, offline);
  }

  public DiagnoseRequest withCredentials(Credentials c) {
    return new DiagnoseRequest(target, gateway, expectFingerprint, c, checks, budget, offline);
  }

  public DiagnoseRequest withOffline(EvidenceSection s) {
    List<EvidenceSection> all = new java.util.ArrayList<>(offline);
    all.add(s);
    return new DiagnoseRequest(
        target, gateway, expectFingerprint, credentials, checks, budget, all);
  }
}

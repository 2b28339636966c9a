package dev.rdpdoctor.probe.connect;

import dev.rdpdoctor.evidence.NlaEvidence.Logon;
import dev.rdpdoctor.evidence.NlaEvidence.NtlmInfo;
import dev.rdpdoctor.evidence.NlaEvidence.Outcome;
import dev.rdpdoctor.evidence.NlaEvidence.Status;

/**
 * How CredSSP ended, one shape for the identity check, the logon test and the NLA session: the
 * exchange's status (OK once a CHALLENGE decoded), what the CHALLENGE said, and with an account the
 * logon's outcome.
 *
 * @param serverVersion the server's TSRequest version, null when none decoded
 * @param errorCode the errorCode the server answered the NEGOTIATE with, else null
 */
public record CredSspOutcome(
    Status status,
    Integer serverVersion,
    NtlmInfo info,
    Logon logon,
    Integer errorCode,
    String errorName,
    String detail) {

  /** True when the logon was accepted and the connection sequence may go on. */
  public boolean accepted() {
    return logon != null && logon.outcome() == Outcome.ACCEPTED;
  }

  /** Why the sequence stops here, in one sentence. */
  public String why() {
    return logon != null ? logon.detail() : detail;
  }
}

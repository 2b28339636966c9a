package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.kb.Fix;
import java.util.List;

/**
 * One conclusion: a catalogue cause, how bad and how sure, a sentence a helpdesk person
 * understands, the evidence it rests on and the fixes that apply.
 *
 * @param cause stable id from the catalogue (DESIGN.md §4)
 * @param title the catalogue's short name for the cause
 * @param symptom what the user's client typically shows for it
 */
public record Finding(
    String cause,
    Severity severity,
    Confidence confidence,
    String title,
    String summary,
    String symptom,
    List<EvidenceRef> evidence,
    List<Fix> fixes) {

  /** The same finding, less sure, with a sentence on why added to its summary. */
  public Finding doubted(Severity cap, String why) {
    Severity sev = severity.compareTo(cap) < 0 ? cap : severity;
    return new Finding(
        cause, sev, Confidence.LOW, title, summary + " " + why, symptom, evidence, fixes);
  }

  /** The same finding at another severity (the diagnosis caps later-step failures). */
  public Finding withSeverity(Severity s) {
    return new Finding(cause, s, confidence, title, summary, symptom, evidence, fixes);
  }
}

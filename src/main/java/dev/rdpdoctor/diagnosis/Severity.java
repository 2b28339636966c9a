package dev.rdpdoctor.diagnosis;

/** How bad a finding is; declaration order is ranking order. */
public enum Severity {
  /** The connection fails (or is refused by a strict client) because of this. */
  FAIL,
  /** The connection may work, but with a prompt, a risk, or only for some clients. */
  WARN,
  /** Worth knowing; nothing to fix. */
  INFO,
  /** Nothing wrong was found. */
  OK
}

package dev.rdpdoctor.diagnosis;

/** Overall answer; the exit code follows the monitoring-plugin convention. */
public enum Verdict {
  OK(0),
  WARN(1),
  FAIL(2),
  UNKNOWN(3);

  private final int exitCode;

  Verdict(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}

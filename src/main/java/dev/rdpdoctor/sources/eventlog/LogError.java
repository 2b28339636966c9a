package dev.rdpdoctor.sources.eventlog;

/**
 * A problem in an input file: what was skipped or read with a caveat.
 *
 * @param where the file offset ({@code 0x...}) or line/column, when known
 */
public record LogError(String where, String message) {
  LogError(String message) {
    this(null, message);
  }

  @Override
  public String toString() {
    return where == null ? message : where + ": " + message;
  }
}

package dev.rdpdoctor.sources.rdpfile;

/**
 * A line the parser could not read, with where: the user fixes it in an editor.
 *
 * @param line 1-based line
 * @param column 1-based column of the offending character (1 when the whole line is wrong)
 */
public record RdpFileProblem(int line, int column, String message) {
  @Override
  public String toString() {
    return line + ":" + column + ": " + message;
  }
}

package dev.rdpdoctor.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The training run from which the class cache (AOT cache on JDK 25+, CDS archive on 21-24) is
 * built: the JVM archives the classes a run loads, so one run covers what users run first, not only
 * {@code selftest}'s diagnose. Output goes nowhere; the exit status is 0.
 *
 * <p>Run as {@code java -cp rdpdoctor.jar dev.rdpdoctor.cli.CacheTraining}: the same class path as
 * {@code java -jar rdpdoctor.jar}, which the cache requires.
 */
public final class CacheTraining {
  /** Command lines that load the classes of the common first commands. */
  static final List<List<String>> RUNS =
      List.of(
          List.of("selftest"),
          List.of("selftest", "--show"),
          List.of("explain", "0x904", "0x7"),
          List.of("explain", "--json", "0x904", "0x7"),
          List.of("explain", "2308"),
          List.of("--help"),
          List.of("--version"),
          List.of("diagnose", "--help"),
          List.of("explain", "--help"),
          List.of("logs", "--help"),
          List.of("rdpfile", "--help"),
          List.of("fix", "--help"),
          List.of("selftest", "--help"),
          List.of("diagnose", "--bogus-option"));

  private CacheTraining() {}

  public static void main(String[] args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    PrintStream sink =
        new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    int status = Main.EXIT_OK;
    try {
      System.setOut(sink);
      System.setErr(sink);
      for (List<String> run : RUNS) {
        int rc = Main.run(run.toArray(String[]::new));
        if (run.equals(RUNS.get(0))) {
          status = rc;
        }
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    // A selftest that fails (a loopback probe timing out on a loaded machine) has still loaded
    // what the cache needs: say so, but let the cache be built.
    if (status != Main.EXIT_OK) {
      err.println(
          "rdpdoctor: the class-cache training run's selftest ended with exit "
              + status
              + "; the cache is built anyway");
    }
    System.exit(Main.EXIT_OK);
  }
}

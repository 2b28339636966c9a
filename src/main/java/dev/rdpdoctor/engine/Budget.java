package dev.rdpdoctor.engine;

import java.time.Duration;

/**
 * The run's time: one deadline for everything ({@link #run}), per-probe and per-connect caps under
 * it. Opt-in checks that cost many connections add their own documented time on top.
 *
 * @param run the whole run: no probe outlives it, slot waits included (--timeout)
 * @param connect one TCP connect (--connect-timeout)
 * @param dns name resolution
 */
public record Budget(Duration run, Duration connect, Duration dns) {
  /** What the run may take past its deadline: closing sockets, diagnosing, rendering. */
  public static final Duration MARGIN = Duration.ofMillis(1500);

  /** Extra time for {@code --tls-ciphers}: up to 60 handshakes, three at a time. */
  public static final Duration TLS_CIPHERS = Duration.ofSeconds(60);

  /** Extra time for {@code --connection-limit} and {@code --path}'s MTU search. */
  public static final Duration OPT_IN_PATH = Duration.ofSeconds(20);

  public static Budget defaults() {
    return new Budget(Duration.ofSeconds(8), Duration.ofSeconds(4), Duration.ofSeconds(5));
  }

  /** The run's deadline with the opt-in checks' time added. */
  Duration total(Checks checks) {
    Duration d = run;
    if (checks.tlsCiphers()) {
      d = d.plus(TLS_CIPHERS);
    }
    if (checks.path() || checks.connectionLimit()) {
      d = d.plus(OPT_IN_PATH);
    }
    return d;
  }
}

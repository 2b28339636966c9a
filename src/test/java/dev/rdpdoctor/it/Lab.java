package dev.rdpdoctor.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The project's fault lab ({@code lab/rdplab}) seen from the integration tests: brings a scenario
 * up, says where it is, brings it down. Needs root and the lab's packages; without them the tests
 * fail (never skip) with a message that says what to do.
 */
final class Lab {
  static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long UP_TIMEOUT_S = 120;

  /** Programs the lab runs; any missing one means {@code lab/install-deps} has not run. */
  private static final List<String> TOOLS =
      List.of(
          "ip",
          "iptables",
          "ss",
          "setsid",
          "flock",
          "timeout",
          "dnsmasq",
          "openssl",
          "python3",
          "xrdp",
          "freerdp-shadow-cli",
          "winpr-hash",
          "Xvfb",
          "nginx",
          "nmap",
          "sslscan",
          "chromium",
          "prometheus",
          "promtool");

  private static final List<String> PATH =
      List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  private Lab() {}

  /** A running scenario, as described by the JSON line of {@code rdplab up}. */
  record Scenario(
      String name,
      String clientNs,
      String target,
      int port,
      String serverIp,
      String expectedCause,
      List<String> diagnoseArgs,
      JsonNode raw) {}

  /** Result of one bounded external command. */
  record Run(int exitCode, String stdout, String stderr, boolean timedOut) {
    String describe() {
      return (timedOut ? "TIMED OUT" : "exit " + exitCode)
          + "\n--- stdout ---\n"
          + stdout
          + "\n--- stderr ---\n"
          + stderr;
    }
  }

  static Path script() {
    return Path.of(System.getProperty("rdpdoctor.lab", "lab/rdplab")).toAbsolutePath();
  }

  /** Fails (AssertionError) with the fix when this machine cannot run the lab. */
  /** apt on a fresh machine: download and unpack a few dozen packages. */
  static final int INSTALL_TIMEOUT_S = 900;

  static void requireUsable() {
    List<String> problems = new ArrayList<>();
    if (!isRoot()) {
      problems.add("not running as root (the lab creates network namespaces)");
    }
    if (!Files.isRegularFile(script())) {
      problems.add("lab script not found: " + script() + " (system property rdpdoctor.lab)");
    }
    List<String> missing = TOOLS.stream().filter(t -> !onPath(t)).toList();
    if (!missing.isEmpty() && isRoot() && Files.isRegularFile(script())) {
      // A fresh clone run as root installs the lab's packages itself, so the README's one test
      // command works; lab/install-deps is idempotent and starts no service.
      Path installer = script().resolveSibling("install-deps");
      Run r = run(List.of("bash", installer.toString()), INSTALL_TIMEOUT_S);
      if (r.exitCode != 0 || r.timedOut) {
        problems.add("lab/install-deps failed: " + r.describe());
      }
      missing = TOOLS.stream().filter(t -> !onPath(t)).toList();
    }
    if (!missing.isEmpty()) {
      problems.add("lab tools missing: " + String.join(", ", missing));
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(
          "The real-server integration tests need the RDP fault lab: "
              + String.join("; ", problems)
              + ". Run `sudo lab/install-deps` once, then run the tests as root"
              + " (e.g. `sudo ./mvnw -B verify`).");
    }
  }

  static Scenario up(String name) {
    Run r = run(List.of("bash", script().toString(), "up", name), UP_TIMEOUT_S);
    if (r.exitCode != 0 || r.timedOut) {
      throw new AssertionError("rdplab up " + name + " failed: " + r.describe());
    }
    String line =
        r.stdout
            .lines()
            .filter(l -> l.startsWith("{"))
            .reduce((a, b) -> b)
            .orElseThrow(
                () ->
                    new AssertionError("rdplab up " + name + " printed no JSON: " + r.describe()));
    JsonNode j = JSON.readTree(line);
    List<String> args = new ArrayList<>();
    j.path("diagnose_args").values().forEach(a -> args.add(a.asString()));
    return new Scenario(
        j.path("scenario").asString(),
        j.path("client_ns").asString(),
        j.path("target").asString(),
        j.path("port").asInt(),
        j.path("server_ip").asString(),
        j.path("expected_cause").asString(),
        List.copyOf(args),
        j);
  }

  /** Brings a scenario down; never throws (used in finally), reports problems on stderr. */
  static void down(String name) {
    Run r = run(List.of("bash", script().toString(), "down", name), UP_TIMEOUT_S);
    if (r.exitCode != 0 || r.timedOut) {
      System.err.println("rdplab down " + name + " failed: " + r.describe());
    }
  }

  /** Runs CMD inside the scenario's client namespace, bounded by timeoutSeconds. */
  static Run inClient(Scenario s, List<String> cmd, long timeoutSeconds) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", s.clientNs()));
    full.addAll(cmd);
    return run(full, timeoutSeconds);
  }

  /** Runs a command with stdout/stderr to temp files (no pipe deadlock), killed at the deadline. */
  static Run run(List<String> cmd, long timeoutSeconds) {
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("rdpdoctor-it-", ".out");
      err = Files.createTempFile("rdpdoctor-it-", ".err");
      Process p =
          new ProcessBuilder(cmd)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      return new Run(
          done ? p.exitValue() : -1,
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8),
          !done);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + cmd, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temp file left behind is harmless
      }
    }
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:"))
          .anyMatch(l -> l.split("\\s+")[2].equals("0")); // effective uid
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static boolean onPath(String tool) {
    return PATH.stream().anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }
}

package dev.rdpdoctor.cli;

import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.engine.Budget;
import dev.rdpdoctor.engine.Checks;
import dev.rdpdoctor.engine.DiagnoseRequest;
import dev.rdpdoctor.engine.Doctor;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TargetParser;
import dev.rdpdoctor.fleet.Consistency;
import dev.rdpdoctor.fleet.FleetScanner;
import dev.rdpdoctor.fleet.HostSummary;
import dev.rdpdoctor.fleet.HtmlReport;
import dev.rdpdoctor.fleet.Policy;
import dev.rdpdoctor.fleet.ScanOutput;
import dev.rdpdoctor.fleet.ScanState;
import dev.rdpdoctor.fleet.TargetSource;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.event.RunClock;
import dev.rdpdoctor.report.JsonReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Many hosts at once: each gets the diagnosis {@code diagnose} gives, under one policy. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Diagnose a fleet of RDP servers at once and check each against a policy.",
      "Exit codes: the worst verdict (0 ok, 1 warning, 3 unknown, 2 failure), or with "
          + "--policy 0 when every host complies and 2 when one does not."
    })
final class ScanCommand implements Callable<Integer> {
  /** From this many targets on, the scan wants --yes-i-own-these. */
  static final long OWNERSHIP_THRESHOLD = 65_536;

  /** Input problems shown one by one; the rest are counted. */
  static final int MAX_PROBLEM_LINES = 100;

  /** Hosts named per deviant group in the text report. */
  static final int MAX_NAMED = 1000;

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "TARGET",
      arity = "1..*",
      description =
          "host[:port], an IPv4/IPv6 CIDR (10.0.0.0/24) or range (10.0.0.5-40), or "
              + "@FILE: one target per line (# comments), nmap -oX XML or masscan -oL output.")
  List<String> targets;

  @Option(
      names = "--exclude",
      paramLabel = "TARGET",
      description = "Leave these out (same forms as TARGET; repeatable).")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "TCP port for targets that name none (default 3389).")
  Integer port;

  @Option(
      names = "--client-profile",
      paramLabel = "NAME",
      defaultValue = "windows",
      description = "What the client offers: windows (default), no-nla, freerdp2, freerdp3.")
  String profile;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "A YAML or JSON policy (docs/scan.md); each host gets policy "
              + "{compliant, violations}.")
  Path policyFile;

  @Option(
      names = "--json",
      description = "One diagnose --json document per host per line " + "(NDJSON) on stdout.")
  boolean json;

  @Option(names = "--csv", paramLabel = "FILE", description = "Also write one row per host.")
  Path csvFile;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Also write a self-contained HTML fleet report.")
  Path htmlFile;

  @Option(
      names = "--resume",
      paramLabel = "STATE",
      description =
          "Append-only state file: an interrupted scan run again with it skips the "
              + "hosts already done.")
  Path stateFile;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "128",
      description =
          "Hosts at once (default ${DEFAULT-VALUE}; each host uses at most 3 "
              + "connections at a time).")
  int concurrency;

  @Option(
      names = "--rate",
      paramLabel = "HOSTS/S",
      defaultValue = "0",
      description =
          "Start at most this many hosts a second (token bucket; 0 = no limit, the "
              + "default). A host costs about 15 connections in the fleet profile.")
  double rate;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "8",
      description = "Each host's deadline (default ${DEFAULT-VALUE} s).")
  double timeout;

  @Option(
      names = "--connect-timeout",
      paramLabel = "SECONDS",
      defaultValue = "3",
      description = "Each TCP connect's deadline (default ${DEFAULT-VALUE} s).")
  double connectTimeout;

  @Option(
      names = "--tls-ciphers",
      description =
          "Also enumerate every cipher suite per host " + "(up to 60 connections and 60 s each).")
  boolean tlsCiphers;

  @Option(names = "--path", description = "Also measure link quality and path MTU per host.")
  boolean path;

  @Option(
      names = "--yes-i-own-these",
      description =
          "Needed for "
              + OWNERSHIP_THRESHOLD
              + " targets or more: this is a tool "
              + "for one's own fleet.")
  boolean ownThem;

  @Option(
      names = {"-v", "--verbose"},
      description = "Progress lines even when not on a " + "terminal.")
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress output.")
  boolean quiet;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ClientProfile clientProfile = ClientProfile.byName(profile).orElse(null);
    if (clientProfile == null) {
      err.println("rdpdoctor: " + ClientProfile.unknown(profile));
      return Main.EXIT_UNKNOWN;
    }
    if (concurrency < 1
        || concurrency > FleetScanner.MAX_CONCURRENCY
        || !(rate >= 0)
        || !(timeout > 0 && timeout <= 120)
        || !(connectTimeout > 0 && connectTimeout <= 120)
        || port != null && (port < 1 || port > 65535)) {
      err.println(
          "rdpdoctor: --concurrency takes 1-"
              + FleetScanner.MAX_CONCURRENCY
              + ", --rate 0 or more, --timeout and --connect-timeout seconds above 0 and at most "
              + "120, --port 1-65535");
      return Main.EXIT_UNKNOWN;
    }
    Policy policy = null;
    if (policyFile != null) {
      try {
        policy = Policy.read(policyFile);
      } catch (Policy.BadPolicy e) {
        err.println("rdpdoctor: " + e.getMessage());
        return Main.EXIT_UNKNOWN;
      }
    }
    TargetSource source = new TargetSource(targets, excludes, text -> parse(text, clientProfile));
    long total = source.count();
    if (total >= OWNERSHIP_THRESHOLD && !ownThem) {
      err.println(
          "rdpdoctor: "
              + total
              + " targets; a scan of "
              + OWNERSHIP_THRESHOLD
              + " or more needs --yes-i-own-these (scan only networks you run)");
      return Main.EXIT_UNKNOWN;
    }
    Checks checks = Checks.fleet().withTlsCiphers(tlsCiphers).withPath(path);
    ScanState state = null;
    if (stateFile != null) {
      try {
        state = ScanState.open(stateFile, descriptor(checks));
      } catch (ScanState.BadState e) {
        err.println("rdpdoctor: " + e.getMessage());
        return Main.EXIT_UNKNOWN;
      }
    }
    try {
      return scan(source, total, checks, policy, state, out, err);
    } catch (IOException e) {
      err.println("rdpdoctor: " + e.getMessage());
      return Main.EXIT_UNKNOWN;
    }
  }

  private int scan(
      TargetSource source,
      long total,
      Checks checks,
      Policy policy,
      ScanState state,
      PrintWriter out,
      PrintWriter err)
      throws IOException {
    String version = new Main.Version().getVersion()[0].replace("rdpdoctor ", "");
    Instant started = Instant.now();
    RunClock clock = RunClock.SYSTEM;
    long t0 = clock.nanos();
    KnowledgeBase.get();
    JsonReport.MAPPER.getTypeFactory();
    Writer csv = csvFile == null ? null : Files.newBufferedWriter(csvFile, StandardCharsets.UTF_8);
    ScanOutput output = new ScanOutput(version, policy, started, json ? out : null, csv, state);
    long already = state == null ? 0 : state.previous().size();
    boolean progressOn = !quiet && (verbose || Terminal.interactive());
    ScanProgress progress =
        progressOn
            ? new ScanProgress(
                System.err, Terminal.interactive(), clock, Math.max(0, total - already))
            : null;
    List<String> checkWords = describe(checks);
    if (!quiet) {
      err.println(
          "rdpdoctor: scanning "
              + total
              + " target"
              + (total == 1 ? "" : "s")
              + (already > 0 ? " (" + already + " done in an earlier run, skipped)" : "")
              + ", "
              + concurrency
              + " at once"
              + (rate > 0 ? ", at most " + rate + " hosts/s" : "")
              + "; checks: "
              + String.join("; ", checkWords));
      if (state != null && state.torn() > 0) {
        err.println(
            "rdpdoctor: "
                + state.torn()
                + " unreadable line(s) in "
                + state.file()
                + " (an interrupted write); those hosts are scanned again");
      }
      err.flush();
    }
    Budget budget = new Budget(millis(timeout), millis(connectTimeout), Budget.defaults().dns());
    Doctor doctor = Doctor.standard();
    FleetScanner scanner = new FleetScanner(concurrency, rate, clock);
    AtomicLong problems = new AtomicLong();
    Thread hook =
        new Thread(
            () -> {
              // Ctrl-C / SIGTERM: start nothing more and write nothing more, so the state file, the
              // NDJSON and the CSV all end at the same finished hosts; --resume picks up the rest.
              scanner.stop();
              try {
                output.close();
              } catch (IOException e) {
                // the process is ending; what was written is complete
              }
            },
            "rdpdoctor-scan-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    FleetScanner.Stats stats;
    ScanState done = state;
    try {
      stats =
          scanner.scan(
              source.iterator(),
              t -> done != null && done.done(t.display()),
              message -> {
                long n = problems.incrementAndGet();
                if (n <= MAX_PROBLEM_LINES) {
                  synchronized (err) {
                    err.println("rdpdoctor: skipped: " + message);
                    err.flush();
                  }
                }
              },
              (t, listener) ->
                  doctor.diagnose(
                      DiagnoseRequest.of(t).withChecks(checks).withBudget(budget), listener),
              progress == null ? ProbeListener.NONE : progress,
              (t, r) -> output.accept(r),
              message -> {
                synchronized (err) {
                  err.println("rdpdoctor: internal error on " + message + " (please report it)");
                }
              });
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running
      }
    }
    if (progress != null) {
      progress.finish();
    }
    output.close();
    if (problems.get() > MAX_PROBLEM_LINES) {
      err.println(
          "rdpdoctor: ... "
              + (problems.get() - MAX_PROBLEM_LINES)
              + " more unusable targets not shown");
    }
    for (String e : output.errors()) {
      err.println("rdpdoctor: could not write: " + e);
    }
    List<HostSummary> all = output.summaries();
    long millis = clock.millisSince(t0);
    if (htmlFile != null) {
      try {
        Files.writeString(
            htmlFile,
            HtmlReport.render(
                new HtmlReport.Meta(
                    version,
                    started,
                    millis,
                    targets,
                    checkWords,
                    policy == null ? null : policy.rules(),
                    problems.get()),
                all),
            StandardCharsets.UTF_8);
      } catch (IOException e) {
        err.println("rdpdoctor: cannot write " + htmlFile + ": " + e.getMessage());
      }
    }
    if (!json) {
      out.print(text(all, policy, stats, millis));
      out.flush();
    }
    err.flush();
    return output.exitCode(problems.get() > 0);
  }

  /** The plain report: counts, causes, policy or consistency. */
  static String text(List<HostSummary> all, Policy policy, FleetScanner.Stats stats, long millis) {
    StringBuilder b = new StringBuilder();
    Map<String, Long> verdicts = new LinkedHashMap<>();
    for (Verdict v : Verdict.values()) {
      verdicts.put(v.name().toLowerCase(Locale.ROOT), 0L);
    }
    all.forEach(h -> verdicts.merge(h.verdict().name().toLowerCase(Locale.ROOT), 1L, Long::sum));
    b.append(
        String.format(
            Locale.ROOT,
            "%d hosts (%d this run) in %.1f s: ",
            all.size(),
            stats.scanned(),
            millis / 1000.0));
    b.append(
            verdicts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")))
        .append('\n');
    if (stats.interrupted()) {
      b.append("interrupted: run again with the same --resume file to finish\n");
    }
    Map<String, Long> causes =
        all.stream()
            .collect(
                Collectors.groupingBy(
                    HostSummary::topCause, LinkedHashMap::new, Collectors.counting()));
    b.append("\nCauses by hosts affected:\n");
    causes.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e -> b.append(String.format(Locale.ROOT, "  %6d  %s%n", e.getValue(), e.getKey())));
    if (policy != null) {
      long ok = all.stream().filter(h -> h.policy().compliant()).count();
      b.append("\nPolicy: ").append(ok).append(" of ").append(all.size()).append(" hosts comply\n");
      all.stream()
          .filter(h -> !h.policy().compliant())
          .sorted(Comparator.comparing(HostSummary::target))
          .limit(200)
          .forEach(
              h ->
                  b.append("  ")
                      .append(h.target())
                      .append(": ")
                      .append(
                          h.policy().violations().stream()
                              .map(v -> v.rule() + " (" + v.found() + ")")
                              .collect(Collectors.joining("; ")))
                      .append('\n'));
    } else {
      Consistency c = Consistency.of(all);
      b.append("\nConsistency: ")
          .append(c.groups().size())
          .append(" security profile")
          .append(c.groups().size() == 1 ? "" : "s")
          .append('\n');
      for (Consistency.Group g : c.groups()) {
        b.append(
            String.format(
                Locale.ROOT,
                "  %6d  %s%s%n",
                g.hosts().size(),
                String.join(" | ", g.profile().values()),
                g.majority() ? "  (norm)" : "  differs in " + String.join(", ", g.differs())));
        if (!g.majority()) {
          // the hosts that stand apart are the point of the grouping: name them
          b.append("          ")
              .append(
                  String.join(", ", g.hosts().subList(0, Math.min(MAX_NAMED, g.hosts().size()))))
              .append(g.hosts().size() > MAX_NAMED ? ", ... (every host: --csv, --html)" : "")
              .append('\n');
        }
      }
      if (!c.unreachable().isEmpty()) {
        b.append(String.format(Locale.ROOT, "  %6d  no RDP answer%n", c.unreachable().size()));
      }
    }
    return b.toString();
  }

  /** What the state file checks a resumed scan against: the same targets and options. */
  private Map<String, Object> descriptor(Checks checks) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("targets", targets);
    m.put("exclude", excludes);
    m.put("port", port);
    m.put("client_profile", profile);
    m.put("tls_ciphers", checks.tlsCiphers());
    m.put("path", checks.path());
    return m;
  }

  /** Each host's checks in words, for the report header. */
  static List<String> describe(Checks c) {
    List<String> w = new ArrayList<>();
    w.add("DNS and TCP connect");
    w.add(
        c.eachProtocol()
            ? "X.224 negotiation with the client's offer and each security " + "protocol alone"
            : "X.224 negotiation with the client's offer");
    w.add(
        c.eachTlsVersion()
            ? "TLS handshake, certificate and each TLS version alone"
            : "TLS handshake and certificate");
    w.add("CredSSP/NTLM identity, Standard RDP Security (MCS), connection sequence, RDP-UDP");
    w.add(c.tlsCiphers() ? "cipher suite enumeration" : "no cipher enumeration (--tls-ciphers)");
    w.add(
        c.path()
            ? "link quality and path MTU"
            : "link quality and path MTU only when the "
                + "other checks point at the path (--path)");
    w.add("no connection-limit test");
    return w;
  }

  private Target parse(String text, ClientProfile clientProfile) {
    try {
      Target t = TargetParser.parse(text, null, clientProfile);
      boolean portGiven =
          text.startsWith("[")
              ? text.contains("]:")
              : text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':');
      if (port != null && !portGiven) {
        t = new Target(t.host(), port, t.literal(), t.profile());
      }
      return t;
    } catch (TargetParser.BadTarget e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static Duration millis(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}

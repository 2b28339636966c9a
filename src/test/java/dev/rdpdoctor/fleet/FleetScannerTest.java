package dev.rdpdoctor.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.event.RunClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetScannerTest {
  @TempDir Path dir;

  private static TargetSource source(String... specs) {
    return new TargetSource(List.of(specs), List.of(), TargetSourceTest::parse);
  }

  @Test
  void neverRunsMoreHostsAtOnceThanAllowed() {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<String> done = Collections.synchronizedList(new ArrayList<>());
    FleetScanner s = new FleetScanner(4, 0, RunClock.SYSTEM);
    FleetScanner.Stats stats =
        s.scan(
            source("10.0.0.0/27").iterator(),
            t -> false,
            p -> {},
            (t, l) -> {
              peak.accumulateAndGet(now.incrementAndGet(), Math::max);
              try {
                Thread.sleep(5);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              now.decrementAndGet();
              return FleetFixtures.closed(t.host());
            },
            ProbeListener.NONE,
            (t, r) -> done.add(t.host()),
            f -> {});
    assertThat(stats.scanned()).isEqualTo(32);
    assertThat(done).hasSize(32).doesNotHaveDuplicates();
    assertThat(peak.get()).isBetween(2, 4);
  }

  @Test
  void rateLimitSpacesTheStartsAfterABurst() {
    // 4 hosts a second: the first 4 start at once (one second's burst), the next 4 a quarter
    // of a second apart
    List<Long> starts = Collections.synchronizedList(new ArrayList<>());
    new FleetScanner(64, 4, RunClock.SYSTEM)
        .scan(
            source("10.0.0.0/29").iterator(),
            x -> false,
            p -> {},
            (x, l) -> {
              starts.add(RunClock.SYSTEM.nanos());
              return FleetFixtures.closed(x.host());
            },
            ProbeListener.NONE,
            (x, r) -> {},
            f -> {});
    List<Long> s = starts.stream().sorted().toList();
    assertThat(s).hasSize(8);
    assertThat(s.get(7) - s.get(0)).isGreaterThanOrEqualTo(900_000_000L);
    assertThat(s.get(3) - s.get(0)).isLessThan(700_000_000L);
  }

  @Test
  void aFailingRunIsReportedAndTheRestGoOn() {
    List<String> failures = Collections.synchronizedList(new ArrayList<>());
    List<String> done = Collections.synchronizedList(new ArrayList<>());
    new FleetScanner(2, 0, RunClock.SYSTEM)
        .scan(
            source("10.0.0.0/30").iterator(),
            t -> false,
            p -> {},
            (t, l) -> {
              if (t.host().equals("10.0.0.1")) {
                throw new IllegalStateException("boom");
              }
              return FleetFixtures.closed(t.host());
            },
            ProbeListener.NONE,
            (t, r) -> done.add(t.host()),
            failures::add);
    assertThat(done).containsExactlyInAnyOrder("10.0.0.0", "10.0.0.2", "10.0.0.3");
    assertThat(failures).containsExactly("10.0.0.1:3389: java.lang.IllegalStateException: boom");
  }

  /**
   * Interrupt after 10 of 64 hosts, resume from the state file: every host is scanned exactly once
   * over the two runs and reported exactly once in the NDJSON.
   */
  @Test
  void resumeNeitherRepeatsNorLosesAHost() throws Exception {
    Path stateFile = dir.resolve("scan.state");
    Map<String, Object> scan = Map.of("targets", List.of("10.0.0.0/26"));
    Map<String, Integer> runs = new ConcurrentHashMap<>();
    FleetScanner.Runner runner =
        (t, l) -> {
          runs.merge(t.host(), 1, Integer::sum);
          return FleetFixtures.healthy(t.host());
        };
    StringWriter first = new StringWriter();
    ScanState state1 = ScanState.open(stateFile, scan);
    ScanOutput out1 =
        new ScanOutput("t", null, FleetFixtures.NOW, new PrintWriter(first), null, state1);
    FleetScanner s1 = new FleetScanner(3, 0, RunClock.SYSTEM);
    AtomicInteger n = new AtomicInteger();
    FleetScanner.Stats st1 =
        s1.scan(
            source("10.0.0.0/26").iterator(),
            t -> false,
            p -> {},
            runner,
            ProbeListener.NONE,
            (t, r) -> {
              out1.accept(r);
              if (n.incrementAndGet() == 10) {
                // what the shutdown hook does on Ctrl-C
                s1.stop();
                try {
                  out1.close();
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              }
            },
            f -> {});
    assertThat(st1.interrupted()).isTrue();
    int firstLines = first.toString().split("\n").length;
    assertThat(firstLines).isGreaterThanOrEqualTo(10).isLessThan(64);

    ScanState state2 = ScanState.open(stateFile, scan);
    assertThat(state2.previous()).hasSize(firstLines);
    StringWriter second = new StringWriter();
    ScanOutput out2 =
        new ScanOutput("t", null, FleetFixtures.NOW, new PrintWriter(second), null, state2);
    Map<String, Integer> scannedAgain = new ConcurrentHashMap<>();
    new FleetScanner(3, 0, RunClock.SYSTEM)
        .scan(
            source("10.0.0.0/26").iterator(),
            t -> state2.done(t.display()),
            p -> {},
            (t, l) -> {
              scannedAgain.merge(t.host(), 1, Integer::sum);
              return runner.run(t, l);
            },
            ProbeListener.NONE,
            (t, r) -> out2.accept(r),
            f -> {});
    out2.close();

    List<String> reported = new ArrayList<>();
    for (String line : (first.toString() + second).split("\n")) {
      reported.add(line.replaceAll(".*\"target\":\\{\"host\":\"([^\"]+)\".*", "$1"));
    }
    assertThat(reported).hasSize(64).doesNotHaveDuplicates();
    assertThat(out2.summaries()).hasSize(64);
    assertThat(out2.summaries().stream().map(HostSummary::target)).doesNotHaveDuplicates();
    // a host run in the first scan but cut off before it was written is run again; one that
    // was written never is
    for (HostSummary h : state2.previous()) {
      assertThat(scannedAgain).doesNotContainKey(h.host());
    }
    assertThat(Files.readAllLines(stateFile)).hasSize(65);
  }

  @Test
  void aStateFileOfAnotherScanIsRefusedAndATornLineIgnored() throws Exception {
    Path f = dir.resolve("s.state");
    try (ScanState s = ScanState.open(f, Map.of("targets", List.of("10.0.0.0/30")))) {
      s.record(HostSummary.of(FleetFixtures.healthy("10.0.0.1")));
    }
    Files.writeString(
        f,
        Files.readString(f) + "{\"target\":\"10.0.0.2:33",
        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    ScanState again = ScanState.open(f, Map.of("targets", List.of("10.0.0.0/30")));
    assertThat(again.previous()).extracting(HostSummary::target).containsExactly("10.0.0.1:3389");
    assertThat(again.torn()).isEqualTo(1);
    again.close();
    assertThatThrownBy(() -> ScanState.open(f, Map.of("targets", List.of("10.9.0.0/30"))))
        .hasMessageContaining("belongs to another scan");
    Path other = Files.writeString(dir.resolve("x.txt"), "hello\n");
    assertThatThrownBy(() -> ScanState.open(other, Map.of()))
        .hasMessageContaining("not an rdpdoctor scan state file");
  }

  @Test
  void ndjsonLineIsTheDiagnoseDocumentPlusPolicy() throws Exception {
    RunResult r =
        FleetFixtures.server(
            "10.0.0.5",
            true,
            true,
            List.of("TLSv1.2"),
            FleetFixtures.cert("CN=Lab CA", FleetFixtures.NOW.plusSeconds(86_400 * 400L), 2048));
    StringWriter w = new StringWriter();
    Policy p = Policy.parse("require_tls: true\n", "p");
    ScanOutput out = new ScanOutput("1.0", p, FleetFixtures.NOW, new PrintWriter(w), null, null);
    out.accept(r);
    String line = w.toString();
    assertThat(line.strip()).doesNotContain("\n");
    assertThat(line).startsWith("{\"tool\":{").contains("\"target\":{\"host\":\"10.0.0.5\"");
    assertThat(line)
        .contains("\"verdict\":")
        .contains("\"findings\":[{\"cause\":")
        .contains("\"probes\":{")
        .doesNotContain("\"timings\"")
        .contains(
            "\"policy\":{\"compliant\":false,\"violations\":[{\"rule\":\"require_tls\","
                + "\"expected\":\"no Standard RDP Security\",\"found\":\"Standard RDP Security "
                + "accepted (rdp, tls)\"}]}");
    assertThat(out.exitCode(false)).isEqualTo(2);
  }

  @Test
  void exitCodeIsTheWorstVerdict() throws Exception {
    ScanOutput out = new ScanOutput("1", null, FleetFixtures.NOW, null, null, null);
    out.accept(FleetFixtures.healthy("10.0.0.1"));
    int healthy = out.exitCode(false);
    out.accept(FleetFixtures.closed("10.0.0.2"));
    assertThat(healthy).isBetween(0, 1);
    assertThat(out.exitCode(false)).isEqualTo(2);
    ScanOutput none = new ScanOutput("1", null, FleetFixtures.NOW, null, null, null);
    assertThat(none.exitCode(true)).isEqualTo(3);
  }

  @Test
  void tooManyAtOnceIsRefused() {
    assertThatThrownBy(() -> new FleetScanner(0, 0, RunClock.SYSTEM))
        .isInstanceOf(IllegalArgumentException.class);
    Target t = FleetFixtures.target("10.0.0.1");
    assertThat(t.display()).isEqualTo("10.0.0.1:3389");
  }
}

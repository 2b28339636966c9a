package dev.rdpdoctor.engine;

import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_HYBRID;
import static dev.rdpdoctor.codes.SecurityProtocol.PROTOCOL_SSL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.diagnosis.Diagnoser;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.ProbeTiming;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.TlsProbe;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.probe.event.RunClock;
import dev.rdpdoctor.testing.FakeRdpServer;
import dev.rdpdoctor.testing.FakeRdpServer.Answer;
import dev.rdpdoctor.testing.FakeRdpServer.ServerTls;
import dev.rdpdoctor.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every duration in the evidence is a difference of two readings of the run's one clock, the clock
 * the events carry. A scripted clock that moves exactly 7 ms per reading (whatever the wall clock
 * does) proves it: every millis in the evidence is then a multiple of 7, and each probe's millis
 * equals its event's.
 */
class EventClockTest {
  private static final long STEP_MS = 7;
  private static final TestCertificates.Issued CERT =
      TestCertificates.builder("CN=rdp.example.test")
          .san("DNS:rdp.example.test")
          .san("IP:127.0.0.1")
          .build();

  @Test
  void everyMillisInTheEvidenceComesFromTheEventClock() {
    AtomicLong ticks = new AtomicLong();
    RunClock scripted = () -> ticks.incrementAndGet() * STEP_MS * 1_000_000;
    List<ProbeEvent> events = new CopyOnWriteArrayList<>();
    Doctor doctor = new Doctor(Diagnoser::standard, TlsProbe::run, scripted);
    try (FakeRdpServer server =
        FakeRdpServer.builder()
            .answer(r -> Answer.select((r & PROTOCOL_HYBRID) != 0 ? PROTOCOL_HYBRID : PROTOCOL_SSL))
            .tls(ServerTls.of(CERT))
            .start()) {
      // the scripted server speaks no MCS: a short run deadline ends the session probe
      RunResult r =
          doctor.diagnose(
              DiagnoseRequest.of(
                      new Target("127.0.0.1", server.port(), true, ClientProfile.WINDOWS))
                  .withBudget(
                      new Budget(
                          Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(2))),
              (ProbeListener) events::add);
      Evidence e = r.evidence();

      List<Long> all = new ArrayList<>();
      all.add(e.dns().millis());
      e.tcp().forEach(t -> all.add(t.millis()));
      e.negotiation().attempts().forEach(a -> all.add(a.millis()));
      all.add(e.tls().millis());
      e.timings().forEach(t -> all.add(t.millis()));
      assertThat(all)
          .as("evidence durations on the scripted clock")
          .isNotEmpty()
          .allSatisfy(ms -> assertThat(ms % STEP_MS).as("%d ms", ms).isZero());

      List<ProbeEvent.ProbeFinished> finished =
          events.stream()
              .filter(ProbeEvent.ProbeFinished.class::isInstance)
              .map(ProbeEvent.ProbeFinished.class::cast)
              .toList();
      // each timing in the evidence is one finished event, to the millisecond
      for (ProbeTiming t : e.timings()) {
        assertThat(finished)
            .as("an event for %s %s", t.probe(), t.subject())
            .anyMatch(
                f ->
                    f.probe().equals(t.probe())
                        && f.subject().equals(t.subject())
                        && f.millis() == t.millis());
      }
      // the TCP check's millis is one of its connect events' (the fastest open one)
      List<Long> connects =
          events.stream()
              .filter(ProbeEvent.ConnectEnded.class::isInstance)
              .map(ProbeEvent.ConnectEnded.class::cast)
              .filter(c -> c.probe().equals("tcp"))
              .map(ProbeEvent.ConnectEnded::millis)
              .toList();
      assertThat(connects).isNotEmpty();
      assertThat(e.tcp().get(0).millis()).isEqualTo(connects.stream().min(Long::compare).get());
      NegotiationAttempt client = e.negotiation().client().orElseThrow();
      assertThat(finished)
          .anyMatch(
              f ->
                  f.probe().equals("negotiation")
                      && f.subject().startsWith("client")
                      && f.millis() == client.millis());
      // the engine's own events close the stream: one per finding, then the end
      assertThat(events).last().isInstanceOf(RunEvent.RunFinished.class);
      assertThat(events.stream().filter(RunEvent.FindingEmitted.class::isInstance).count())
          .isEqualTo(r.diagnosis().findings().size());
    }
  }

  /** The scripted clock above proves nothing for a probe that reads the system's clock itself. */
  @Test
  void onlyTheRunClockReadsTheMonotonicClock() throws IOException {
    Path main = Path.of("src/main/java");
    List<String> readers;
    try (Stream<Path> files = Files.walk(main)) {
      readers =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> read(f).contains("nanoTime"))
              .map(f -> main.relativize(f).toString().replace('\\', '/'))
              .toList();
    }
    assertThat(readers).containsExactly("dev/rdpdoctor/probe/event/RunClock.java");
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

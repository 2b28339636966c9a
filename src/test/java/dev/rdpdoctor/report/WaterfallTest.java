package dev.rdpdoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.ProbeTiming;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaterfallTest {
  /** A run as the event stream timed it: DNS, TCP, the client's X.224, then TLS and others. */
  private static final List<ProbeTiming> RUN =
      List.of(
          new ProbeTiming("dns", "srv", 0, 40, "1 address(es)"),
          new ProbeTiming("tcp", "10.0.0.1:3389", 40, 10, "open"),
          new ProbeTiming("negotiation", "client SSL", 50, 20, "selected SSL"),
          new ProbeTiming("negotiation", "RDP RDP", 70, 15, "selected RDP"),
          new ProbeTiming("tls", "10.0.0.1:3389", 70, 120, "OK TLSv1.3"),
          new ProbeTiming("session", "10.0.0.1:3389", 190, 60, "DEMAND_ACTIVE"));

  @Test
  void marksTheChainThatDecidedWhenTheAnswerCame() {
    assertThat(Waterfall.criticalPath(RUN))
        .extracting(ProbeTiming::probe)
        .containsExactlyInAnyOrder("dns", "tcp", "negotiation", "tls", "session");
    assertThat(Waterfall.criticalPath(RUN))
        .extracting(ProbeTiming::subject)
        .doesNotContain("RDP RDP");
  }

  @Test
  void oneLinePerProbeWithItsBar() {
    String w = Waterfall.render(RUN, 250);
    List<String> lines = w.lines().toList();
    assertThat(lines).hasSize(1 + RUN.size());
    assertThat(lines.get(0)).contains("250 ms in all");
    assertThat(lines.stream().filter(l -> l.startsWith("*"))).hasSize(5);
    assertThat(lines.get(4)).contains("RDP RDP").startsWith(" ");
    // the session starts at 190 of 250 ms: its bar starts three quarters along
    String session = lines.get(6);
    int bar = session.indexOf('|');
    assertThat(session.indexOf('#', bar) - bar - 1).isEqualTo(190 * Waterfall.WIDTH / 250);
  }

  @Test
  void serverTextCannotDriveTheTerminal() {
    String w = Waterfall.render(List.of(new ProbeTiming("tls", "x", 0, 1, "bad\u001b[2Jname")), 1);
    assertThat(w).doesNotContain("\u001b").contains("\\x1b");
  }
}

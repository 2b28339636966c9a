package dev.rdpdoctor.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Target;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A timeout on a link measured slow or lossy is not blamed on the server. */
class LinkPolicyTest {
  private static final Evidence E =
      new Evidence(
          new Target("srv", 3389, false, ClientProfile.WINDOWS),
          Instant.EPOCH,
          null,
          List.of(),
          null,
          null,
          null,
          null,
          List.of(),
          List.of(),
          0);

  private static Finding finding(CauseId cause, Severity sev, Confidence conf) {
    return new Finding(cause.id(), sev, conf, cause.id(), "Summary.", null, List.of(), List.of());
  }

  @Test
  void aMeasuredSlowLinkTakesTheBlameForATimeout() {
    Finding stalled = finding(CauseId.SERVER_UNRESPONSIVE, Severity.FAIL, Confidence.MEDIUM);
    Finding slow = finding(CauseId.HIGH_LATENCY, Severity.WARN, Confidence.HIGH);
    Finding reset = finding(CauseId.SERVER_CLOSED_CONNECTION, Severity.FAIL, Confidence.HIGH);

    List<Finding> out = Diagnoser.linkExplainsTimeouts(List.of(stalled, slow, reset), E);

    assertThat(out.get(0).severity()).isEqualTo(Severity.WARN);
    assertThat(out.get(0).confidence()).isEqualTo(Confidence.LOW);
    assertThat(out.get(0).summary()).contains("measured slow or lossy");
    assertThat(out.get(1)).isSameAs(slow);
    assertThat(out.get(2)).as("a reset is not explained by a slow link").isSameAs(reset);
  }

  @Test
  void onALossyLinkAServerThatClosedIsDoubtedToo() {
    Finding loss = finding(CauseId.PACKET_LOSS, Severity.WARN, Confidence.MEDIUM);
    Finding closed = finding(CauseId.SERVER_CLOSED_CONNECTION, Severity.FAIL, Confidence.HIGH);
    Finding refused = finding(CauseId.PORT_CLOSED, Severity.FAIL, Confidence.HIGH);

    List<Finding> out = Diagnoser.linkExplainsTimeouts(List.of(closed, loss, refused), E);

    assertThat(out.get(0).severity()).isEqualTo(Severity.WARN);
    assertThat(out.get(0).confidence()).isEqualTo(Confidence.LOW);
    assertThat(out.get(1)).isSameAs(loss);
    assertThat(out.get(2)).as("a refusal is not the link's doing").isSameAs(refused);
  }

  @Test
  void withoutAMeasuredLinkProblemNothingChanges() {
    Finding stalled = finding(CauseId.SERVER_UNRESPONSIVE, Severity.FAIL, Confidence.MEDIUM);
    assertThat(Diagnoser.linkExplainsTimeouts(List.of(stalled), E)).containsExactly(stalled);
  }
}

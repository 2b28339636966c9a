package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Diagnosis from event logs alone ({@code rdpdoctor logs}): the {@link EventLogRules} findings
 * ranked, {@code healthy} when RDP events were read and none shows a problem, and {@code
 * inconclusive} when the files held no RDP events at all.
 */
public final class EventLogDiagnoser {
  static final int MAX_COVERED = 12;

  private EventLogDiagnoser() {}

  public static Diagnosis diagnose(
      List<LogEvent> events, List<String> files, KnowledgeBase kb, Clock clock) {
    // Fixes name the server the client was connecting to, when RDPClient 1024 says which
    String host =
        events.stream()
            .filter(e -> e.from("RDPClient") && e.eventId() == 1024)
            .map(e -> e.value("Value"))
            .filter(v -> v != null && !v.isBlank())
            .reduce((a, b) -> b)
            .orElse("<server>");
    FindingFactory f =
        new FindingFactory(
            kb, new Target(host, Target.DEFAULT_PORT, false, ClientProfile.WINDOWS), clock);
    List<Finding> out = new ArrayList<>(EventLogRules.findings(events, f));
    out.addAll(GatewayTraceRules.findings(events, f));
    out.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::confidence));
    String covered = covered(events);
    List<String> checked =
        List.of(
            "event logs: "
                + String.join(", ", files)
                + " ("
                + events.size()
                + " RDP-relevant event(s)"
                + (covered.isEmpty() ? "" : ": " + covered)
                + ")");
    boolean problem =
        out.stream().anyMatch(x -> x.severity() == Severity.FAIL || x.severity() == Severity.WARN);
    List<String> notChecked = new ArrayList<>();
    if (!problem) {
      if (events.isEmpty()) {
        notChecked.add(
            "the files hold no RDP-relevant events (RDPClient, RdpCoreTS, "
                + "LocalSessionManager, RemoteConnectionManager, Gateway, Connection Broker, "
                + "Security logons, Schannel, CAPI2 checks by RDP clients, TermDD, Remote Desktop "
                + "Services start failures) and no status or error lines of an RD Gateway client "
                + "trace");
        out.add(
            0,
            f.finding(
                CauseId.INCONCLUSIVE,
                Severity.WARN,
                Confidence.LOW,
                "Nothing to conclude from: the files hold no RDP-relevant events.",
                List.of()));
      } else {
        out.add(
            0,
            f.finding(
                CauseId.HEALTHY,
                Severity.OK,
                Confidence.MEDIUM,
                "The "
                    + events.size()
                    + " RDP-relevant event(s) show no failure ("
                    + covered
                    + "); a refused or failed connection would have left one of the events"
                    + " listed in docs/logs-events.md.",
                List.of()));
      }
    }
    Verdict v =
        events.isEmpty() && !problem
            ? Verdict.UNKNOWN
            : out.stream().anyMatch(x -> x.severity() == Severity.FAIL)
                ? Verdict.FAIL
                : out.stream().anyMatch(x -> x.severity() == Severity.WARN)
                    ? Verdict.WARN
                    : Verdict.OK;
    return new Diagnosis(v, List.copyOf(out), checked, List.copyOf(notChecked));
  }

  /**
   * Per log, the event ids read and how often ("RemoteConnectionManager/Operational: 261 x1769,
   * 1149 x5"), the most frequent first, capped at {@link #MAX_COVERED} ids per log.
   */
  static String covered(List<LogEvent> events) {
    Map<String, Map<Integer, Long>> byLog = new TreeMap<>();
    for (LogEvent e : events) {
      String log =
          e.channel() != null && !e.channel().isBlank()
              ? e.channel()
              : e.provider() == null ? "?" : e.provider();
      byLog.computeIfAbsent(shortName(log), k -> new TreeMap<>()).merge(e.eventId(), 1L, Long::sum);
    }
    List<String> logs = new ArrayList<>();
    byLog.forEach(
        (log, ids) -> {
          List<String> parts =
              ids.entrySet().stream()
                  .sorted(Map.Entry.<Integer, Long>comparingByValue().reversed())
                  .limit(MAX_COVERED)
                  .map(x -> x.getKey() + " x" + x.getValue())
                  .toList();
          logs.add(
              log + ": " + String.join(", ", parts) + (ids.size() > MAX_COVERED ? ", ..." : ""));
        });
    return String.join("; ", logs);
  }

  private static String shortName(String log) {
    String s = log.startsWith("Microsoft-Windows-") ? log.substring(18) : log;
    return s.replace("TerminalServices-", "").replace("RemoteDesktopServices-", "");
  }
}

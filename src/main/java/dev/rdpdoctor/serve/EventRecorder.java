package dev.rdpdoctor.serve;

import dev.rdpdoctor.engine.RunEvent;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.event.ProbeEvent;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run's event stream as the exporter and the page use it: kept (capped) for {@code
 * ?debug=true}, folded into per-phase times for {@code rdpdoctor_phase_duration_seconds}, and
 * passed on live to the page's progress. Thread-safe: probes emit concurrently.
 */
final class EventRecorder implements ProbeListener {
  /** A run emits a few dozen events; a hostile server cannot make the log grow past this. */
  static final int MAX_EVENTS = 2000;

  private final long origin;
  private final Consumer<ProbeEvent> live;
  private final List<ProbeEvent> events = new ArrayList<>();
  private final Map<String, long[]> phases = new LinkedHashMap<>();
  private int dropped;

  /**
   * @param origin the run's start on the run clock
   * @param live called for every event as it happens (the page's progress), or null
   */
  EventRecorder(long origin, Consumer<ProbeEvent> live) {
    this.origin = origin;
    this.live = live;
  }

  @Override
  public void on(ProbeEvent e) {
    synchronized (this) {
      if (events.size() < MAX_EVENTS) {
        events.add(e);
      } else {
        dropped++;
      }
      switch (e) {
        case ProbeEvent.ProbeStarted s -> span(s.probe(), s.at(), false);
        case ProbeEvent.ProbeFinished f -> span(f.probe(), f.at(), true);
        case ProbeEvent.ProbeFailed f -> span(f.probe(), f.at(), true);
        default -> {}
      }
    }
    if (live != null) {
      live.accept(e);
    }
  }

  /** A phase lasts from its first probe's start to its last probe's end. */
  private void span(String probe, long at, boolean end) {
    long[] p = phases.computeIfAbsent(probe, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
    if (end) {
      p[1] = Math.max(p[1], at);
    } else {
      p[0] = Math.min(p[0], at);
    }
  }

  /** Seconds per phase (probe name), for the phases that started and ended. */
  synchronized Map<String, Double> phaseSeconds() {
    Map<String, Double> out = new LinkedHashMap<>();
    phases.forEach(
        (k, v) -> {
          if (v[0] != Long.MAX_VALUE && v[1] >= v[0]) {
            out.put(k, (v[1] - v[0]) / 1e9);
          }
        });
    return out;
  }

  /** The run's events, one line each, times from the run's start. */
  synchronized String text() {
    StringBuilder sb = new StringBuilder();
    for (ProbeEvent e : events) {
      sb.append(String.format("%+8.1f ms  %s%n", (e.at() - origin) / 1e6, line(e)));
    }
    if (dropped > 0) {
      sb.append("... ").append(dropped).append(" more events not kept\n");
    }
    return sb.toString();
  }

  /** An event in words; PDU bytes are never kept (this listener does not ask for them). */
  static String line(ProbeEvent e) {
    return switch (e) {
      case ProbeEvent.ProbeStarted s -> s.probe() + " started: " + s.subject();
      case ProbeEvent.ProbeFinished f ->
          f.probe() + " " + f.subject() + ": " + f.outcome() + " (" + f.millis() + " ms)";
      case ProbeEvent.ProbeFailed f ->
          f.probe() + " " + f.subject() + ": FAILED " + f.reason() + " (" + f.millis() + " ms)";
      case ProbeEvent.DnsResolved d ->
          "dns "
              + d.host()
              + " -> "
              + (d.addresses().isEmpty()
                  ? "no address"
                  : String.join(
                      ", ", d.addresses().stream().map(InetAddress::getHostAddress).toList()))
              + " ("
              + d.millis()
              + " ms)";
      case ProbeEvent.ConnectStarted c ->
          c.probe() + " connect " + c.address().getHostAddress() + ":" + c.port();
      case ProbeEvent.ConnectEnded c ->
          c.probe()
              + " connected "
              + c.address().getHostAddress()
              + ":"
              + c.port()
              + " ("
              + c.millis()
              + " ms)";
      case ProbeEvent.ConnectFailed c ->
          c.probe()
              + " connect "
              + c.address().getHostAddress()
              + ":"
              + c.port()
              + " "
              + c.outcome()
              + " ("
              + c.millis()
              + " ms)";
      case ProbeEvent.RoundTrip r ->
          r.probe() + " round trip " + r.exchange() + " " + r.micros() + " us";
      case ProbeEvent.NegotiationDone n ->
          "x224 "
              + n.attempt().label()
              + ": "
              + n.attempt().outcome()
              + (n.attempt().selected() == null ? "" : " selected " + n.attempt().selected());
      case ProbeEvent.TlsDone t ->
          t.probe()
              + " TLS "
              + t.subject()
              + ": "
              + (t.ok() ? t.version() + " " + t.cipherSuite() : "failed " + t.detail())
              + " ("
              + t.millis()
              + " ms)";
      case ProbeEvent.CredSspPhase c ->
          "credssp " + c.phase() + (c.detail() == null ? "" : ": " + c.detail());
      case ProbeEvent.Pdu p ->
          (p.sent() ? ">> " : "<< ") + p.stream() + " " + p.what() + " " + p.length() + " bytes";
      case RunEvent.FindingEmitted f ->
          "finding "
              + (f.rank() + 1)
              + ": "
              + f.finding().cause()
              + " ["
              + f.finding().severity()
              + "]";
      case RunEvent.RunFinished r -> "run finished: " + r.verdict() + " (" + r.millis() + " ms)";
      default -> e.getClass().getSimpleName();
    };
  }
}

package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.FindingFactory.ref;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.sources.eventlog.RdgClientTraceReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings from an RD Gateway client trace (RDGClientTrace): the same cause ids the gateway probes
 * conclude, from the HTTP statuses and HRESULTs the client wrote down. The trace format is
 * undocumented and read best-effort, so HTTP-only findings are MEDIUM confidence; a named E_PROXY
 * code is the gateway's own verdict and HIGH. Pure.
 */
public final class GatewayTraceRules {
  static final int MAX_REFS = 5;

  private GatewayTraceRules() {}

  /** One finding per cause (and CAP/RAP/target side), with the first few lines behind it. */
  public static List<Finding> findings(List<LogEvent> all, FindingFactory f) {
    List<LogEvent> trace =
        all.stream().filter(e -> RdgClientTraceReader.CHANNEL.equals(e.channel())).toList();
    Map<String, Acc> by = new LinkedHashMap<>();
    for (LogEvent e : trace) {
      CauseId cause = e.value("Cause") == null ? null : CauseId.of(e.value("Cause"));
      Long status = e.number("HttpStatus");
      if (cause != null) {
        String side = e.value("Side");
        by.computeIfAbsent(
                cause.id() + "/" + (side == null ? "" : side), k -> new Acc(cause, side, true))
            .add(e);
      } else if (status != null && status != 401 && status >= 400) {
        CauseId c = httpCause(status.intValue());
        by.computeIfAbsent(c.id() + "/http", k -> new Acc(c, null, false)).add(e);
      }
    }
    // A 401 is the gateway's normal challenge before logon; it is a failed logon only when
    // it is the last word of the trace (no later success or other status).
    LogEvent last = null;
    for (LogEvent e : trace) {
      if (e.number("HttpStatus") != null) {
        last = e;
      }
    }
    if (last != null
        && Long.valueOf(401).equals(last.number("HttpStatus"))
        && by.values().stream()
            .noneMatch(
                a ->
                    a.cause == CauseId.GATEWAY_AUTH_FAILED
                        && (a.side == null || a.side.equals("gateway")))) {
      by.computeIfAbsent(
              CauseId.GATEWAY_AUTH_FAILED.id() + "/http",
              k -> new Acc(CauseId.GATEWAY_AUTH_FAILED, null, false))
          .add(last);
    }
    List<Finding> out = new ArrayList<>();
    for (Acc a : by.values()) {
      out.add(
          f.finding(
              a.cause,
              Severity.FAIL,
              a.named ? Confidence.HIGH : Confidence.MEDIUM,
              summary(a),
              a.refs()));
    }
    return out;
  }

  static CauseId httpCause(int status) {
    if (status == 403) {
      return CauseId.GATEWAY_FORBIDDEN;
    }
    if (status >= 500) {
      return CauseId.GATEWAY_ERROR;
    }
    if (status == 407) {
      return CauseId.GATEWAY_UNREACHABLE; // a web proxy on the way wants its own logon
    }
    return CauseId.GATEWAY_NOT_RD_GATEWAY;
  }

  private static String summary(Acc a) {
    LogEvent e = a.events.get(0);
    String code =
        e.value("HResultName") == null
            ? "HTTP " + e.value("HttpStatus")
            : e.value("HResultName") + " (" + e.value("HResult") + ")";
    String times = a.events.size() == 1 ? "" : " (" + a.events.size() + " lines)";
    String head = "The RD Gateway client trace records " + code + times + ": ";
    String side = a.side == null ? "" : a.side;
    return head
        + switch (a.cause) {
          case GATEWAY_FORBIDDEN ->
              switch (side) {
                case "CAP" ->
                    "the gateway's connection authorization policy (RD CAP) does not admit"
                        + " this user or device. Fix it in the gateway's RD CAP (user groups, device"
                        + " redirection, authentication method, health policy).";
                case "RAP" ->
                    "the gateway's resource authorization policy (RD RAP) does not let this"
                        + " user reach this computer. Fix it in the gateway's RD RAP: add the target"
                        + " computer to an allowed group and check its port.";
                case "" ->
                    "the gateway answered 403 Forbidden: the site refuses the HTTP transport"
                        + " (IIS request filtering, an IP restriction, or a WAF rule).";
                default -> e.meaning() + ".";
              };
          case GATEWAY_ERROR ->
              side.equals("target")
                  ? "the gateway admitted the user but cannot"
                      + " reach the target RDP host: check the host name the gateway resolves, and that the"
                      + " gateway can reach its port 3389."
                  : side.equals("gateway") || side.isEmpty()
                      ? "the gateway (or a proxy in front of it) failed: " + e.meaning() + "."
                      : e.meaning() + ".";
          case GATEWAY_AUTH_FAILED ->
              side.equals("gateway") || side.equals("CAP") || side.isEmpty()
                  ? "the gateway did not accept the logon (" + e.meaning() + ")."
                  : e.meaning() + ".";
          case GATEWAY_NOT_RD_GATEWAY ->
              side.isEmpty()
                  ? "the gateway address answers like a web"
                      + " server that is not an RD Gateway ("
                      + e.meaning()
                      + ")."
                  : e.meaning() + ".";
          case GATEWAY_UNREACHABLE ->
              side.isEmpty()
                  ? "the client could not reach the gateway (" + e.meaning() + ")."
                  : e.meaning() + ".";
          default -> e.meaning() + ".";
        };
  }

  private static final class Acc {
    final CauseId cause;
    final String side;
    final boolean named;
    final List<LogEvent> events = new ArrayList<>();

    Acc(CauseId cause, String side, boolean named) {
      this.cause = cause;
      this.side = side;
      this.named = named;
    }

    void add(LogEvent e) {
      events.add(e);
    }

    List<EvidenceRef> refs() {
      List<EvidenceRef> r = new ArrayList<>();
      for (LogEvent e : events.subList(0, Math.min(MAX_REFS, events.size()))) {
        r.add(
            ref(
                "rdg-client-trace",
                e.source()
                    + " line "
                    + e.recordId()
                    + (e.time() == null ? "" : " (" + e.time() + ")")
                    + ": "
                    + e.value("Line")));
      }
      if (events.size() > MAX_REFS) {
        r.add(ref("rdg-client-trace", (events.size() - MAX_REFS) + " more line(s)"));
      }
      return r;
    }
  }
}

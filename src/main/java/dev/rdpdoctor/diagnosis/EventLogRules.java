package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.DisconnectReason;
import dev.rdpdoctor.codes.NtStatus;
import dev.rdpdoctor.codes.TlsAlert;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.EventLogEvidence;
import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.evidence.SectionFacts;
import dev.rdpdoctor.kb.CauseId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings from the client's and server's own event logs (Schannel alerts, RDPClient
 * disconnect reasons, Security logon failures, the session managers' refusals). Pure.
 */
public final class EventLogRules implements RuleSet {
  /** An alert and a client disconnect this close together are one failed attempt. */
  static final Duration SAME_ATTEMPT = Duration.ofSeconds(60);
  static final int MAX_REFS = 5;

  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(Evidence e, FindingFactory f, List<Finding> out,
      List<String> checked) {
    e.section(EventLogEvidence.class).ifPresent(s -> {
      checked.add("event logs: " + String.join(", ", s.files()));
      out.addAll(findings(s.events(), f));
    });
    return true;
  }

  /** One finding per cause, with the events behind it (first few), oldest first. */
  static List<Finding> findings(List<LogEvent> events, FindingFactory f) {
    Map<CauseId, Acc> by = new LinkedHashMap<>();
    List<LogEvent> disconnects2308 = events.stream()
        .filter(x -> x.from("RDPClient") && x.eventId() == 1026
            && Long.valueOf(2308).equals(x.number("Value"))).toList();
    for (LogEvent x : events) {
      int id = x.eventId();
      if (x.from("Schannel")) {
        schannel(x, id, disconnects2308, by);
      } else if (x.from("RDPClient") && id == 1026) {
        Long r = x.number("Value");
        if (r != null && r != 2308 && r != 1 && r != 2 && r != 3) {
          DisconnectReason d = DisconnectReason.valueOf(r.intValue());
          if (!d.causes().isEmpty()) {
            add(by, CauseId.of(d.causes().get(0)), Severity.FAIL, Confidence.MEDIUM, x,
                "The client was disconnected with reason " + r + " (" + d.name() + ": "
                    + d.description() + ").");
          }
        }
      } else if (x.from("RDPClient") && id == 1104) {
        add(by, CauseId.UDP_BLOCKED, Severity.WARN, Confidence.LOW, x,
            "The client could not set up the UDP transport and fell back to TCP.");
      } else if ((id == 4625 || id == 4776) && x.from("Security")) {
        logon(x, by);
      } else if (x.from("RdpCoreTS") && id == 140) {
        add(by, CauseId.LOGON_FAILED, Severity.FAIL, Confidence.MEDIUM, x,
            "The server refused a Network Level Authentication logon: wrong user name or "
                + "password" + from(x) + ".");
      } else if (x.from("RdpCoreTS") && id == 139) {
        add(by, CauseId.TLS_HANDSHAKE_FAILED, Severity.FAIL, Confidence.LOW, x,
            "The server's security layer (TLS/CredSSP) failed and dropped the client.");
      } else if (x.from("RemoteConnectionManager") && (id == 1070 || id == 1071)) {
        add(by, CauseId.SERVER_DENIED_CONNECTION, Severity.FAIL, Confidence.HIGH, x, id == 1070
            ? "The server denied the logon: it is in drain mode (no new logons)."
            : "The server denied the connection: it is set not to accept connections.");
      } else if (x.from("RemoteConnectionManager") && id == 1006) {
        add(by, CauseId.CONNECTION_LIMIT, Severity.WARN, Confidence.MEDIUM, x,
            "The server received many incomplete connections (MaxOutstandingConnections).");
      } else if (x.from("RemoteConnectionManager") && (id == 1068 || id == 1069)) {
        add(by, CauseId.LICENSING_FAILED, Severity.FAIL, Confidence.MEDIUM, x,
            "Remote Desktop licensing is not configured or its grace period has expired.");
      } else if (x.from("RemoteConnectionManager") && (id == 1057 || id == 1058)) {
        add(by, CauseId.TLS_CERTIFICATE_MISSING, Severity.FAIL, Confidence.MEDIUM, x,
            "The server could not create or renew its self-signed RDP certificate.");
      } else if (x.from("LocalSessionManager") && id == 40
          && Long.valueOf(5).equals(x.number("Reason"))) {
        add(by, CauseId.SESSION_REPLACED, Severity.INFO, Confidence.MEDIUM, x,
            "A session was taken over by another connection of the same user (reason 5).");
      } else if (x.from("Gateway")) {
        gateway(x, id, by);
      }
    }
    List<Finding> out = new ArrayList<>();
    for (var entry : by.entrySet()) {
      Acc a = entry.getValue();
      String summary = a.summary + (a.count > 1 ? " Seen " + a.count + " times, "
          + a.first + " to " + a.last + "." : a.first != null ? " At " + a.first + "." : "");
      out.add(f.finding(entry.getKey(), a.severity, a.confidence, summary, a.refs));
    }
    return out;
  }

  private static void schannel(LogEvent x, int id, List<LogEvent> disconnects,
      Map<CauseId, Acc> by) {
    switch (id) {
      case 36887, 36888 -> {
        Long code = x.number("AlertDesc");
        if (code == null) {
          return;
        }
        TlsAlert a = TlsAlert.valueOf(code.intValue());
        CauseId cause = a.causes().isEmpty() ? CauseId.TLS_HANDSHAKE_FAILED
            : CauseId.of(a.causes().get(0));
        LogEvent disc = near(x, disconnects);
        String dir = id == 36887 ? "received" : "sent";
        String s = "Schannel " + dir + " the fatal TLS alert " + code + " (" + a.name() + ": "
            + a.description() + ")";
        if (disc != null) {
          add(by, cause, Severity.FAIL, Confidence.HIGH, x, s + ", and the client then"
              + " disconnected with reason 2308 (the connection was closed): the TLS handshake"
              + " is what failed.");
          by.get(cause).refs(disc);
        } else {
          add(by, cause, Severity.FAIL, Confidence.MEDIUM, x, s + ".");
        }
      }
      case 36874 -> add(by, CauseId.TLS_NO_SHARED_CIPHER, Severity.FAIL, Confidence.HIGH, x,
          "Schannel found no cipher suite in common with the client.");
      case 36870, 36871 -> add(by, CauseId.TLS_CERTIFICATE_MISSING, Severity.FAIL,
          id == 36870 ? Confidence.HIGH : Confidence.MEDIUM, x, id == 36870
              ? "Schannel could not access the private key of the server's TLS certificate"
                  + " (the RDP certificate's key or its MachineKeys permissions)."
              : "Schannel could not create the server's TLS credential.");
      default -> { }
    }
  }

  private static void logon(LogEvent x, Map<CauseId, Acc> by) {
    Long sub = x.number("SubStatus");
    Long status = x.number("Status");
    Long code = sub != null && sub != 0 ? sub : status;
    if (code == null || code == 0) {
      return;
    }
    NtStatus s = NtStatus.valueOf((int) (long) code);
    CauseId cause = s.causes().isEmpty() ? CauseId.LOGON_FAILED
        : CauseId.of(s.causes().get(0));
    String user = x.value("TargetUserName");
    String type = x.value("LogonType");
    add(by, cause, Severity.FAIL, Confidence.HIGH, x,
        (x.eventId() == 4776 ? "NTLM validation" : "A logon"
            + (type != null ? " (type " + type + ")" : ""))
            + (user != null && !user.isBlank() ? " of " + user : "") + " failed: "
            + s.name() + " (" + s.hex() + ", " + s.description() + ")" + from(x) + ".");
  }

  private static void gateway(LogEvent x, int id, Map<CauseId, Acc> by) {
    switch (id) {
      case 201, 301 -> add(by, CauseId.GATEWAY_FORBIDDEN, Severity.FAIL, Confidence.HIGH, x,
          "The RD Gateway refused the user: its " + (id == 201 ? "connection (CAP)"
              : "resource (RAP)") + " authorization policy is not met.");
      case 304 -> add(by, CauseId.GATEWAY_ERROR, Severity.FAIL, Confidence.MEDIUM, x,
          "The RD Gateway admitted the user but could not reach the target computer.");
      case 305, 309 -> add(by, CauseId.GATEWAY_AUTH_FAILED, Severity.FAIL, Confidence.MEDIUM, x,
          "The RD Gateway could not authenticate the user.");
      default -> { }
    }
  }

  private static LogEvent near(LogEvent x, List<LogEvent> candidates) {
    if (x.time() == null) {
      return null;
    }
    for (LogEvent c : candidates) {
      if (c.time() != null
          && Duration.between(x.time(), c.time()).abs().compareTo(SAME_ATTEMPT) <= 0) {
        return c;
      }
    }
    return null;
  }

  private static String from(LogEvent x) {
    String ip = x.value("IpAddress");
    for (String k : List.of("IPString", "ClientIP")) {
      if (ip == null) {
        ip = x.value(k);
      }
    }
    return ip == null || ip.isBlank() || ip.equals("-") ? "" : " from " + ip;
  }


  private static void add(Map<CauseId, Acc> by, CauseId cause, Severity sev, Confidence conf,
      LogEvent x, String summary) {
    Acc a = by.get(cause);
    if (a == null) {
      a = new Acc(sev, conf, summary);
      by.put(cause, a);
    } else if (conf.ordinal() < a.confidence.ordinal()) {
      a.confidence = conf;
      a.summary = summary;
    }
    a.count++;
    if (x.time() != null) {
      a.first = a.first == null || x.time().isBefore(a.first) ? x.time() : a.first;
      a.last = a.last == null || x.time().isAfter(a.last) ? x.time() : a.last;
    }
    a.refs(x);
  }

  private static final class Acc {
    final Severity severity;
    Confidence confidence;
    String summary;
    int count;
    Instant first;
    Instant last;
    final List<EvidenceRef> refs = new ArrayList<>();

    Acc(Severity severity, Confidence confidence, String summary) {
      this.severity = severity;
      this.confidence = confidence;
      this.summary = summary;
    }

    void refs(LogEvent x) {
      if (refs.size() < MAX_REFS) {
        refs.add(new EvidenceRef("event_log", SectionFacts.event(x)));
      }
    }
  }
}

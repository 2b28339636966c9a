package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.DisconnectReason;
import dev.rdpdoctor.codes.ExtendedDisconnectReason;
import dev.rdpdoctor.codes.NtStatus;
import dev.rdpdoctor.codes.OpenCode;
import dev.rdpdoctor.codes.TlsAlert;
import dev.rdpdoctor.evidence.EventLogEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.evidence.SectionFacts;
import dev.rdpdoctor.kb.EventCauses;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Findings from the client's and server's own event logs: every event the knowledge base ({@code
 * kb/event-causes.json}) lists as a refused or failed connection becomes a finding for its cause,
 * refined by the event's data (an NTSTATUS, a TLS alert, a disconnect reason, a certificate
 * status). Pure.
 */
public final class EventLogRules implements RuleSet {
  /** An alert and a client disconnect this close together are one failed attempt. */
  static final Duration SAME_ATTEMPT = Duration.ofSeconds(60);

  static final int MAX_REFS = 5;
  // The few ids and values the rules read from an event's data, from protocol-facts.md §3.
  static final String RDP_CLIENT = "RDPClient";
  static final String SCHANNEL = "Schannel";

  /** RDPClient 1026 "disconnected (Reason= %2)". */
  static final int CLIENT_DISCONNECTED = 1026;

  /** disconnectReasonAtClientWinsockFDCLOSE: the peer closed the connection. */
  static final long FD_CLOSE = 2308;

  static final int SCHANNEL_ALERT_RECEIVED = 36887;
  static final int NTLM_VALIDATION = 4776;

  /** exDiscReasonReplacedByOtherConnection. */
  static final long REPLACED_BY_OTHER_CONNECTION = 5;

  /** Event levels, as numbers (EVTX, XML) or words (CSV exports): 1-3 are problems. */
  static final Set<String> ERROR_LEVELS = Set.of("1", "2", "3", "critical", "error", "warning");

  /** A Windows status code (HRESULT/SSPI/CERT_E) written in an event's text. */
  static final Pattern STATUS = Pattern.compile("0x(8009[0-9A-Fa-f]{4}|800[Bb][0-9A-Fa-f]{4})");

  @Override
  public Result apply(Evidence e, FindingFactory f) {
    return e.section(EventLogEvidence.class)
        .map(
            s ->
                new Result(
                    findings(s.events(), f),
                    List.of("event logs: " + String.join(", ", s.files())),
                    true))
        .orElse(Result.NOTHING);
  }

  /** One finding per cause, with the events behind it (first few), oldest first. */
  static List<Finding> findings(List<LogEvent> events, FindingFactory f) {
    EventCauses catalogue = EventCauses.get();
    Map<String, Acc> by = new LinkedHashMap<>();
    List<LogEvent> disconnects2308 =
        events.stream()
            .filter(
                x ->
                    x.from(RDP_CLIENT)
                        && x.eventId() == CLIENT_DISCONNECTED
                        && Long.valueOf(FD_CLOSE).equals(x.number("Value")))
            .toList();
    for (LogEvent x : events) {
      Optional<EventCauses.Entry> entry = catalogue.entry(x.eventId(), x::from);
      if (entry.isEmpty()) {
        continue;
      }
      EventCauses.Entry e = entry.get();
      Hit base =
          new Hit(
              e.cause(),
              Severity.valueOf(e.severity()),
              Confidence.valueOf(e.confidence()),
              e.summary() == null ? null : withoutStop(e.summary()) + from(x) + ".");
      Hit hit =
          switch (e.rule() == null ? "" : e.rule()) {
            case "ntstatus" -> logon(x, base);
            case "disconnect-reason" -> disconnect(x, base, events);
            case "session-reason" -> sessionReason(x, base);
            case "tls-alert" -> alert(x, base, disconnects2308, by);
            case "certificate-status" -> certificate(x, base, catalogue);
            case "gateway" ->
                base.with(base.cause(), withoutStop(e.summary()) + gatewayDetail(x) + ".");
            case "gateway-any-error" -> gatewayError(x, base);
            case "level-error" ->
                problemLevel(x)
                    ? base.with(
                        base.cause(),
                        "The "
                            + x.provider()
                            + " logged event "
                            + x.eventId()
                            + " ("
                            + x.meaning()
                            + ") at level "
                            + x.level().trim()
                            + from(x)
                            + ".")
                    : null;
            case "termservice" ->
                base.with(
                    base.cause(), withoutStop(e.summary()) + " (" + SectionFacts.event(x) + ").");
            default -> base;
          };
      if (hit != null && hit.summary() != null) {
        add(by, hit.cause(), hit.severity(), hit.confidence(), x, hit.summary());
      }
    }
    List<Finding> out = new ArrayList<>();
    for (var entry : by.entrySet()) {
      Acc a = entry.getValue();
      String summary =
          a.summary
              + (a.count > 1
                  ? " Seen " + a.count + " times, " + a.first + " to " + a.last + "."
                  : a.first != null ? " At " + a.first + "." : "");
      // the ids come from kb/event-causes.json, which a test holds to the catalogue
      out.add(f.finding(CauseId.of(entry.getKey()), a.severity, a.confidence, summary, a.refs));
    }
    return out;
  }

  /** A cause concluded from one event. */
  private record Hit(String cause, Severity severity, Confidence confidence, String summary) {
    Hit with(String newCause, String newSummary) {
      return new Hit(newCause, severity, confidence, newSummary);
    }
  }

  private static String withoutStop(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** Schannel fatal alerts; one next to a client's 2308 disconnect is what failed. */
  private static Hit alert(LogEvent x, Hit base, List<LogEvent> disconnects, Map<String, Acc> by) {
    Long code = x.number("AlertDesc");
    if (code == null) {
      return null;
    }
    TlsAlert a = TlsAlert.valueOf(code.intValue());
    String cause = a.causes().isEmpty() ? base.cause() : a.causes().get(0);
    LogEvent disc = near(x, disconnects);
    String dir = x.eventId() == SCHANNEL_ALERT_RECEIVED ? "received" : "sent";
    String s = "Schannel " + dir + " the fatal TLS alert " + code + " (" + named(a) + ")";
    if (disc == null) {
      return new Hit(cause, base.severity(), base.confidence(), s + ".");
    }
    add(
        by,
        cause,
        base.severity(),
        Confidence.HIGH,
        x,
        s
            + ", and the client then"
            + " disconnected with reason 2308 (the connection was closed): the TLS handshake"
            + " is what failed.");
    by.get(cause).refs(disc);
    return null;
  }

  /**
   * RDPClient 1026: the client's disconnect reason. 2308 (the peer closed the connection) says only
   * that something failed; next to a Schannel alert, the alert says what.
   */
  private static Hit disconnect(LogEvent x, Hit base, List<LogEvent> events) {
    Long r = x.number("Value");
    if (r == null) {
      return null;
    }
    DisconnectReason d = DisconnectReason.valueOf(r.intValue());
    if (r == FD_CLOSE) {
      boolean explained =
          events.stream()
              .anyMatch(
                  a ->
                      a.from(SCHANNEL)
                          && a.number("AlertDesc") != null
                          && near(a, List.of(x)) != null);
      return explained
          ? null
          : new Hit(
              base.cause(),
              Severity.WARN,
              Confidence.LOW,
              "The client was disconnected with reason 2308 ("
                  + named(d)
                  + "), and these logs do not say why; 'rdpdoctor explain 0x904' lists what"
                  + " causes it in practice.");
    }
    if (d.causes().isEmpty()) {
      return null; // a logoff, a local disconnect: not a failure
    }
    return new Hit(
        d.causes().get(0),
        base.severity(),
        base.confidence(),
        "The client was disconnected with reason " + r + " (" + named(d) + ").");
  }

  /** "Name: what it means", as a reason code is quoted in a summary. */
  private static String named(OpenCode c) {
    return c.name() + ": " + c.description();
  }

  /** LocalSessionManager 40: a session disconnected, with a reason in exDiscReason numbers. */
  private static Hit sessionReason(LogEvent x, Hit base) {
    Long r = x.number("Reason");
    if (r == null) {
      return null;
    }
    ExtendedDisconnectReason reason = ExtendedDisconnectReason.valueOf(r.intValue());
    if (reason.causes().isEmpty()) {
      return null; // a logoff, an idle timeout, a user's own disconnect
    }
    boolean replaced = r == REPLACED_BY_OTHER_CONNECTION;
    return new Hit(
        reason.causes().get(0),
        replaced ? Severity.INFO : base.severity(),
        replaced ? Confidence.MEDIUM : base.confidence(),
        "A session was disconnected with reason " + r + " (" + named(reason) + ").");
  }

  /** Security 4625/4776: the NTSTATUS (SubStatus first) names the failure. */
  private static Hit logon(LogEvent x, Hit base) {
    Long sub = x.number("SubStatus");
    Long status = x.number("Status");
    Long code = sub != null && sub != 0 ? sub : status;
    if (code == null || code == 0) {
      return null;
    }
    NtStatus s = NtStatus.valueOf((int) (long) code);
    String cause = s.causes().isEmpty() ? base.cause() : s.causes().get(0);
    String user = x.value("TargetUserName");
    String type = x.value("LogonType");
    return base.with(
        cause,
        (x.eventId() == NTLM_VALIDATION
                ? "NTLM validation"
                : "A logon" + (type != null ? " (type " + type + ")" : ""))
            + (user != null && !user.isBlank() ? " of " + user : "")
            + " failed: "
            + s.name()
            + " ("
            + s.hex()
            + ", "
            + s.description()
            + ")"
            + from(x)
            + ".");
  }

  /** Schannel 36876 and CAPI2: the status code names what was wrong with the certificate. */
  private static Hit certificate(LogEvent x, Hit base, EventCauses catalogue) {
    String attribute = x.value("Result.value");
    Long code = attribute != null ? parseHex(attribute) : statusIn(x);
    if (code != null && code == 0) {
      return null; // CAPI2 logs the checks that pass too
    }
    if (code == null) {
      return problemLevel(x) ? base : null;
    }
    String cause = catalogue.certificateStatus(code).orElse(base.cause());
    String subject = x.value("Certificate.subjectName");
    return base.with(
        cause,
        withoutStop(base.summary())
            + (subject != null && !subject.isBlank() ? " (" + subject + ")" : "")
            + ": status "
            + OpenCode.hex((int) (long) code)
            + ".");
  }

  private static Long statusIn(LogEvent x) {
    for (String v : x.data().values()) {
      Matcher m = STATUS.matcher(v == null ? "" : v);
      if (m.find()) {
        return Long.parseLong(m.group(1), 16);
      }
    }
    return null;
  }

  private static Long parseHex(String s) {
    String v = s.trim();
    if (v.startsWith("0x") || v.startsWith("0X")) {
      v = v.substring(2);
    }
    if (v.isEmpty() || v.length() > 8 || !v.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return null;
    }
    return Long.parseLong(v, 16);
  }

  /** Any other RD Gateway event that is an error or a warning and carries an error code. */
  private static Hit gatewayError(LogEvent x, Hit base) {
    Long code = x.number("ErrorCode");
    if (code == null || code == 0 || !problemLevel(x)) {
      return null;
    }
    return base.with(
        base.cause(),
        "The RD Gateway logged event "
            + x.eventId()
            + " ("
            + x.meaning()
            + ")"
            + gatewayDetail(x)
            + ".");
  }

  private static boolean problemLevel(LogEvent x) {
    return x.level() != null && ERROR_LEVELS.contains(x.level().trim().toLowerCase(Locale.ROOT));
  }

  private static String gatewayDetail(LogEvent x) {
    List<String> parts = new ArrayList<>();
    String user = x.value("Username");
    if (user != null && !user.isBlank()) {
      parts.add("user " + user);
    }
    String resource = x.value("Resource");
    if (resource != null && !resource.isBlank()) {
      parts.add("resource " + resource);
    }
    Long code = x.number("ErrorCode");
    if (code != null && code != 0) {
      parts.add("error " + code);
    }
    return (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")") + from(x);
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

  private static void add(
      Map<String, Acc> by,
      String cause,
      Severity sev,
      Confidence conf,
      LogEvent x,
      String summary) {
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

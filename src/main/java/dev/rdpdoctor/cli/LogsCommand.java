package dev.rdpdoctor.cli;

import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.diagnosis.EventLogDiagnoser;
import dev.rdpdoctor.diagnosis.EvidenceRef;
import dev.rdpdoctor.diagnosis.Finding;
import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.kb.Fix;
import dev.rdpdoctor.kb.FixStep;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.report.JsonReport;
import dev.rdpdoctor.sources.eventlog.LogError;
import dev.rdpdoctor.sources.eventlog.LogFile;
import dev.rdpdoctor.sources.eventlog.LogFileReader;
import dev.rdpdoctor.sources.eventlog.xml.PythonEvtxXml;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rdpdoctor logs FILE...}: reads Windows event logs and says what they show about RDP. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Read Windows event logs (binary .evtx, 'wevtutil qe LOG /f:xml' output, or "
          + "'Get-WinEvent | Export-Csv' files) and report the RDP-relevant events, a timeline "
          + "and the causes they point to.",
      "",
      "Also reads the Remote Desktop client's RD Gateway trace (RDGClientTrace), detected by "
          + "its content: HTTP status codes, HRESULTs (E_PROXY_*, 0x8007xxxx) and error lines. "
          + "Its format is undocumented, so that reading is best-effort.",
      "",
      "Useful logs: Microsoft-Windows-TerminalServices-RDPClient%%4Operational.evtx (client), "
          + "RemoteDesktopServices-RdpCoreTS, TerminalServices-LocalSessionManager, "
          + "TerminalServices-RemoteConnectionManager, TerminalServices-Gateway (server), "
          + "Security.evtx (logons), System.evtx (Schannel)."
    },
    footer = {
      "",
      "Exit status: 0 nothing wrong found, 1 warning, 2 a cause found, 3 no RDP events, a file "
          + "that could not be read at all, or a usage error."
    })
final class LogsCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "event log files")
  List<Path> files;

  static final class Output {
    @Option(names = "--json", description = "print one JSON document on stdout")
    boolean json;

    @Option(
        names = "--xml",
        description =
            "print every record as XML, one <Event> per record "
                + "(the format of python-evtx's evtx_dump.py)")
    boolean xml;
  }

  @ArgGroup(exclusive = true)
  Output output = new Output();

  @Spec CommandSpec spec;

  /** How many timeline lines the text report shows (JSON has them all). */
  static final int TEXT_TIMELINE = 40;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<LogFile> read = new ArrayList<>();
    boolean unreadable = false;
    if (output.xml) {
      out.print(PythonEvtxXml.HEADER);
      out.print("\n<Events>\n");
    }
    for (Path p : files) {
      StringBuilder sb = new StringBuilder(2048);
      LogFile f =
          LogFileReader.read(
              p,
              !output.xml
                  ? null
                  : e -> {
                    sb.setLength(0);
                    PythonEvtxXml.write(e, sb);
                    out.print(sb);
                    out.print('\n');
                  });
      read.add(f);
      if (f.format() == null) {
        unreadable = true;
        err.println("rdpdoctor: " + p + ": " + f.errors().get(0).message());
      } else if (!f.errors().isEmpty() && !output.json) {
        err.println(
            "rdpdoctor: "
                + p
                + ": "
                + (f.errors().size() + f.droppedErrors())
                + " problem(s) skipped or worked around"
                + (output.xml ? "" : " (see the report)"));
      }
    }
    if (output.xml) {
      out.print("</Events>\n");
      out.flush();
      return unreadable ? Main.EXIT_UNKNOWN : Main.EXIT_OK;
    }
    List<LogEvent> events = new ArrayList<>();
    read.forEach(f -> events.addAll(f.events()));
    events.sort(
        java.util.Comparator.comparing(
            LogEvent::time, java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
    Diagnosis d =
        EventLogDiagnoser.diagnose(
            events,
            read.stream().map(LogFile::path).toList(),
            KnowledgeBase.get(),
            Clock.systemUTC());
    if (output.json) {
      out.println(JsonReport.MAPPER.writeValueAsString(document(read, events, d)));
    } else {
      text(out, read, events, d);
    }
    out.flush();
    return unreadable && events.isEmpty() ? Main.EXIT_UNKNOWN : d.verdict().exitCode();
  }

  static Map<String, Object> document(List<LogFile> read, List<LogEvent> events, Diagnosis d) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("verdict", d.verdict());
    doc.put("exit_code", d.verdict().exitCode());
    List<Map<String, Object>> files = new ArrayList<>();
    for (LogFile f : read) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", f.path());
      m.put("format", f.format() == null ? "unreadable" : f.format().id());
      m.put("records", f.records());
      m.put("rdp_events", f.events().size());
      m.put("errors", f.errors().stream().map(LogsCommand::error).toList());
      if (f.droppedErrors() > 0) {
        m.put("errors_not_shown", f.droppedErrors());
      }
      files.add(m);
    }
    doc.put("files", files);
    doc.put("events", events.stream().map(LogsCommand::event).toList());
    doc.put("timeline", events.stream().map(LogsCommand::timeline).toList());
    doc.put("findings", d.findings());
    doc.put("checked", d.checked());
    doc.put("not_checked", d.notChecked());
    return doc;
  }

  private static Map<String, Object> error(LogError e) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (e.where() != null) {
      m.put("where", e.where());
    }
    m.put("message", e.message());
    return m;
  }

  private static Map<String, Object> event(LogEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", e.time() == null ? null : e.time().toString());
    m.put("channel", e.channel());
    m.put("provider", e.provider());
    m.put("event_id", e.eventId());
    m.put("record_id", e.recordId());
    m.put("level", e.level());
    m.put("computer", e.computer());
    m.put("activity_id", e.activityId());
    m.put("meaning", e.meaning());
    m.put("data", e.data());
    m.put("source", e.source());
    return m;
  }

  private static Map<String, Object> timeline(LogEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", e.time() == null ? null : e.time().toString());
    m.put("source", shortSource(e));
    m.put("event_id", e.eventId());
    m.put("what", what(e));
    return m;
  }

  static String shortSource(LogEvent e) {
    String c = e.channel() == null ? "" : e.channel();
    if (e.provider() != null && e.provider().equalsIgnoreCase("Schannel")) {
      return "Schannel";
    }
    int dash = c.lastIndexOf('-');
    return dash >= 0 ? c.substring(dash + 1) : c;
  }

  /** One line: the meaning plus the values that carry the code. */
  static String what(LogEvent e) {
    StringBuilder sb = new StringBuilder(e.meaning());
    for (String k :
        List.of(
            "Value",
            "Reason",
            "ReasonCode",
            "AlertDesc",
            "LogonType",
            "Status",
            "SubStatus",
            "TargetUserName",
            "IpAddress",
            "IPString",
            "ClientIP",
            "Param1",
            "Param3")) {
      String v = e.value(k);
      if (v != null && !v.isBlank() && !v.equals("-")) {
        sb.append(' ').append(k).append('=').append(v);
      }
    }
    return sb.toString();
  }

  static void text(PrintWriter out, List<LogFile> read, List<LogEvent> events, Diagnosis d) {
    Finding top = d.findings().get(0);
    out.println(d.verdict().name() + "  " + top.title());
    out.println("   " + top.summary());
    out.println();
    out.println("Files");
    for (LogFile f : read) {
      out.println(
          "  "
              + f.path()
              + ": "
              + (f.format() == null
                  ? "unreadable"
                  : f.format().id()
                      + ", "
                      + f.records()
                      + " record(s), "
                      + f.events().size()
                      + " about RDP"));
      f.errors().stream().limit(5).forEach(e -> out.println("      ! " + e));
      int more = f.errors().size() - 5 + f.droppedErrors();
      if (more > 0) {
        out.println("      ! ... " + more + " more (see --json)");
      }
    }
    out.println();
    out.println("Findings (most likely first)");
    int n = 1;
    for (Finding f : d.findings()) {
      out.println(
          " "
              + n++
              + ". ["
              + f.severity().name().toLowerCase()
              + "] "
              + f.cause()
              + "  ["
              + f.confidence().name().toLowerCase()
              + " confidence]");
      out.println("    " + f.summary());
      for (EvidenceRef r : f.evidence()) {
        out.println("      - " + r.fact());
      }
      for (Fix fix : f.fixes()) {
        out.println("    Fix (" + fix.where() + "): " + fix.title());
        for (FixStep s : fix.steps()) {
          out.println("      " + s.kind() + "  " + s.text());
        }
      }
    }
    if (!events.isEmpty()) {
      out.println();
      out.println(
          "Timeline (RDP-relevant events, oldest first"
              + (events.size() > TEXT_TIMELINE
                  ? "; last " + TEXT_TIMELINE + " of " + events.size()
                  : "")
              + ")");
      for (LogEvent e : events.subList(Math.max(0, events.size() - TEXT_TIMELINE), events.size())) {
        out.println(
            "  "
                + (e.time() == null ? "(no time)          " : e.time())
                + "  "
                + shortSource(e)
                + (e.eventId() == 0 ? "" : " " + e.eventId())
                + "  "
                + what(e));
      }
    }
  }
}

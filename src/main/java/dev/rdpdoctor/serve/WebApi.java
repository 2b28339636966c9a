package dev.rdpdoctor.serve;

import dev.rdpdoctor.codes.CodeLookup;
import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.diagnosis.EventLogDiagnoser;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.evidence.RdpFileEvidence;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.probe.Credentials;
import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.remedy.ScriptGenerator;
import dev.rdpdoctor.remedy.SelectedFix;
import dev.rdpdoctor.report.JsonReport;
import dev.rdpdoctor.report.Report;
import dev.rdpdoctor.report.TextReport;
import dev.rdpdoctor.sources.eventlog.LogFile;
import dev.rdpdoctor.sources.eventlog.LogFileReader;
import dev.rdpdoctor.sources.rdpfile.RdpFile;
import dev.rdpdoctor.sources.rdpfile.RdpFileLinter;
import dev.rdpdoctor.sources.rdpfile.RdpFileParser;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The helpdesk page and its API: a diagnosis streamed as server-sent events (each check as it
 * finishes, then the report), code explanations, and .rdp and event log uploads. Everything shown
 * comes from the same report, remedy and source readers the command line uses.
 */
final class WebApi {
  /** Timeline lines sent for an uploaded log (the newest). */
  static final int MAX_TIMELINE = 60;

  /** Reading errors sent for an uploaded log. */
  static final int MAX_FILE_ERRORS = 20;

  /** Codes are a few characters; anything longer is not one. */
  static final int MAX_CODE_CHARS = 40;

  private final ProbeService probes;
  private final ServeConfig config;
  private final boolean tokenRequired;

  WebApi(ProbeService probes, ServeConfig config, boolean tokenRequired) {
    this.probes = probes;
    this.config = config;
    this.tokenRequired = tokenRequired;
  }

  void page(ServerRequest req, ServerResponse res) {
    Http.send(res, 200, "text/html; charset=utf-8", ServeServer.readResource("index.html"));
  }

  void asset(ServerRequest req, ServerResponse res) throws ProbeService.Refused {
    String file = req.path().pathParameters().get("file");
    String type =
        switch (file) {
          case "app.js" -> "text/javascript; charset=utf-8";
          case "app.css" -> "text/css; charset=utf-8";
          case "icon.svg" -> "image/svg+xml";
          default -> throw new ProbeService.Refused(404, "no such file");
        };
    res.header("Cache-Control", "no-cache");
    Http.send(res, 200, type, ServeServer.readResource(file));
  }

  void info(ServerRequest req, ServerResponse res) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("allow_logon_test", config.allowLogonTest());
    m.put("token_required", tokenRequired);
    m.put(
        "client_profiles",
        ClientProfile.ALL.stream()
            .map(p -> Map.of("name", p.name(), "description", p.description()))
            .toList());
    m.put("max_upload_bytes", config.maxUploadBytes());
    m.put("max_rdp_file_bytes", Math.min(config.maxUploadBytes(), RdpFileParser.MAX_FILE_BYTES));
    Http.send(res, 200, "application/json", Json.write(m));
  }

  /**
   * POST /api/diagnose with {host, gateway, client, code, extended, user, password}: the run as
   * server-sent events: {@code step} per finished check, then {@code result}.
   */
  void diagnose(ServerRequest req, ServerResponse res) throws ProbeService.Refused {
    JsonNode form = json(Http.body(req, ServeServer.MAX_FORM_BYTES));
    String host = text(form, "host");
    String code = text(form, "code");
    // decoded before the run, so a bad code is refused before anything connects
    Object explained =
        code == null || code.isBlank() ? null : explanation(code, text(form, "extended"));
    Credentials creds = credentials(form);
    try {
      ProbeService.Plan plan =
          probes.plan(host, "full", text(form, "client"), text(form, "gateway"), null);
      EventStream sse = new EventStream(res);
      ProbeService.Outcome o;
      try {
        o = probes.run(plan, Http.client(req), creds, e -> sse.step(e));
      } catch (ProbeService.Refused r) {
        if (!sse.opened()) {
          throw r;
        }
        sse.send("refused", Json.write(Map.of("error", r.getMessage(), "status", r.status)));
        sse.close();
        return;
      }
      sse.send("result", Json.write(result(o, explained)));
      sse.close();
    } finally {
      if (creds != null) {
        creds.destroy();
      }
    }
  }

  private Credentials credentials(JsonNode form) throws ProbeService.Refused {
    String password = text(form, "password");
    String user = text(form, "user");
    if (password == null || password.isEmpty()) {
      return null;
    }
    if (!config.allowLogonTest()) {
      throw new ProbeService.Refused(
          403,
          "the logon test is off on this server (an admin can"
              + " start it with --allow-logon-test); passwords are not accepted");
    }
    if (user == null || user.isBlank()) {
      throw new ProbeService.Refused(400, "a password without a user name");
    }
    char[] p = password.toCharArray();
    try {
      return Credentials.parse(user.strip(), p);
    } finally {
      Arrays.fill(p, '\0');
    }
  }

  /** The report in the CLI's words and JSON, the fix scripts as a zip, the code explained. */
  static Map<String, Object> result(ProbeService.Outcome o, Object explained) {
    Report report = new Report(version(), o.result().evidence(), o.result().diagnosis());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", o.result().diagnosis().verdict());
    m.put("target", o.plan().target().display());
    m.put("text", new TextReport(false).render(report));
    m.put("report", Json.mapper().readTree(JsonReport.render(report)));
    List<SelectedFix> fixes = SelectedFix.from(o.result().diagnosis().findings());
    if (!fixes.isEmpty()) {
      List<ScriptGenerator.GeneratedFile> files =
          ScriptGenerator.generate(o.plan().target(), fixes);
      Map<String, Object> zip = new LinkedHashMap<>();
      zip.put(
          "name",
          "rdpdoctor-fix-" + o.plan().target().host().replaceAll("[^A-Za-z0-9.-]", "_") + ".zip");
      zip.put("files", files.stream().map(ScriptGenerator.GeneratedFile::name).toList());
      zip.put("base64", Base64.getEncoder().encodeToString(zip(files)));
      m.put("fix_scripts", zip);
    }
    if (explained != null) {
      m.put("explanation", explained);
    }
    return m;
  }

  static byte[] zip(List<ScriptGenerator.GeneratedFile> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bytes)) {
      for (ScriptGenerator.GeneratedFile f : files) {
        z.putNextEntry(new ZipEntry(f.name()));
        z.write(f.content());
        z.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in memory: cannot fail
    }
    return bytes.toByteArray();
  }

  void explain(ServerRequest req, ServerResponse res) throws ProbeService.Refused {
    String code = Http.query(req, "code");
    if (code == null || code.isBlank()) {
      throw new ProbeService.Refused(400, "no code given (code=0x904)");
    }
    Http.send(
        res, 200, "application/json", Json.write(explanation(code, Http.query(req, "extended"))));
  }

  private static Object explanation(String code, String extended) throws ProbeService.Refused {
    if (code.length() > MAX_CODE_CHARS || extended != null && extended.length() > MAX_CODE_CHARS) {
      throw new ProbeService.Refused(400, "a code is at most " + MAX_CODE_CHARS + " characters");
    }
    return extended == null || extended.isBlank()
        ? CodeLookup.explain(code.strip())
        : CodeLookup.explain(code.strip(), extended.strip());
  }

  /** POST /api/rdpfile?name=F: the .rdp file linted, as {@code rdpdoctor rdpfile lint}. */
  void rdpFile(ServerRequest req, ServerResponse res) throws ProbeService.Refused {
    long cap = Math.min(config.maxUploadBytes(), RdpFileParser.MAX_FILE_BYTES);
    byte[] b = Http.body(req, cap);
    String name = fileName(Http.query(req, "name"), "upload.rdp");
    RdpFile f = RdpFileParser.parse(b);
    RdpFileEvidence ev = RdpFileLinter.evidence(name, f, RdpFileLinter.lint(f));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", ev);
    Http.send(res, 200, "application/json", Json.write(m));
  }

  /** POST /api/logs?name=F: an event log read as {@code rdpdoctor logs} reads one. */
  void logs(ServerRequest req, ServerResponse res) throws ProbeService.Refused {
    byte[] b = Http.body(req, config.maxUploadBytes());
    String name = fileName(Http.query(req, "name"), "upload.evtx");
    LogFile f = LogFileReader.read(name, b, null);
    if (f.format() == null) {
      throw new ProbeService.Refused(422, name + ": " + f.errors().get(0).message());
    }
    Diagnosis d =
        EventLogDiagnoser.diagnose(
            f.events(), List.of(name), KnowledgeBase.get(), Clock.systemUTC());
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("name", name);
    file.put("format", f.format().id());
    file.put("records", f.records());
    file.put("rdp_events", f.events().size());
    file.put("errors", f.errors().stream().limit(MAX_FILE_ERRORS).map(Object::toString).toList());
    List<Map<String, Object>> timeline = new ArrayList<>();
    List<LogEvent> ev = f.events();
    for (LogEvent e : ev.subList(Math.max(0, ev.size() - MAX_TIMELINE), ev.size())) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("time", e.time() == null ? null : e.time().toString());
      t.put("channel", e.channel());
      t.put("event_id", e.eventId());
      t.put("meaning", e.meaning());
      timeline.add(t);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("verdict", d.verdict());
    m.put("file", file);
    m.put("findings", d.findings());
    m.put("timeline", timeline);
    Http.send(res, 200, "application/json", Json.write(m));
  }

  /** The base name only, printable, short: it is shown back and used in findings. */
  static String fileName(String given, String fallback) {
    if (given == null || given.isBlank()) {
      return fallback;
    }
    String base =
        given
            .substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1)
            .replaceAll("[^A-Za-z0-9 ._%()-]", "_");
    return base.isBlank() ? fallback : base.length() > 100 ? base.substring(0, 100) : base;
  }

  private static JsonNode json(byte[] body) throws ProbeService.Refused {
    try {
      JsonNode n = Json.mapper().readTree(body);
      if (n == null || !n.isObject()) {
        throw new ProbeService.Refused(400, "expected a JSON object");
      }
      return n;
    } catch (JacksonException e) {
      throw new ProbeService.Refused(400, "the request is not JSON");
    }
  }

  private static String text(JsonNode n, String field) throws ProbeService.Refused {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw new ProbeService.Refused(400, "'" + field + "' must be text");
    }
    return v.asString();
  }

  static String version() {
    String v = WebApi.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * Server-sent events on the response, opened at the first event so that a refusal before the run
   * can still be a plain 4xx. Probes emit from several threads; writes are serialised, and a client
   * that went away only stops the writing, never the run.
   */
  static final class EventStream {
    private final ServerResponse res;
    // a lock, not synchronized: on Java 21-23 a virtual thread that blocks writing to a slow
    // client inside synchronized would hold its carrier
    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;
    private boolean broken;

    EventStream(ServerResponse res) {
      this.res = res;
    }

    boolean opened() {
      lock.lock();
      try {
        return out != null;
      } finally {
        lock.unlock();
      }
    }

    void step(ProbeEvent e) {
      Map<String, Object> m = new LinkedHashMap<>();
      switch (e) {
        case ProbeEvent.ProbeFinished f -> {
          m.put("probe", f.probe());
          m.put("subject", f.subject());
          m.put("outcome", f.outcome());
          m.put("millis", f.millis());
          m.put("failed", false);
        }
        case ProbeEvent.ProbeFailed f -> {
          m.put("probe", f.probe());
          m.put("subject", f.subject());
          m.put("outcome", f.reason());
          m.put("millis", f.millis());
          m.put("failed", true);
        }
        default -> {
          return;
        }
      }
      send("step", Json.write(m));
    }

    void send(String event, String data) {
      lock.lock();
      try {
        write(event, data);
      } finally {
        lock.unlock();
      }
    }

    private void write(String event, String data) {
      if (broken) {
        return;
      }
      try {
        if (out == null) {
          res.status(200);
          res.header("Content-Type", "text/event-stream; charset=utf-8");
          res.header("X-Accel-Buffering", "no");
          out = res.outputStream();
        }
        // JSON on one line never holds a newline, so one data: line is the whole event
        out.write(
            ("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException | UncheckedIOException e) {
        broken = true;
      }
    }

    void close() {
      lock.lock();
      try {
        if (out != null) {
          out.close();
        }
      } catch (IOException | UncheckedIOException e) {
        broken = true;
      } finally {
        lock.unlock();
      }
    }
  }
}

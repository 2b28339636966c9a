package dev.rdpdoctor.sources.eventlog;

import dev.rdpdoctor.codes.GatewayClientError;
import dev.rdpdoctor.codes.ProxyError;
import dev.rdpdoctor.evidence.LogEvent;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Best-effort reader for the text the Windows Remote Desktop client writes when its RD Gateway
 * client trace ("RDGClientTrace") is switched on.
 *
 * <p>The format is <b>undocumented</b>: Microsoft publishes no layout, and it differs between
 * client builds. So nothing here depends on a line layout. Each line is searched on its own for
 * things that carry meaning anywhere they appear: a timestamp, an HTTP status ({@code HTTP/1.1
 * 403}, {@code status: 403}), an HRESULT ({@code hr=0x800759DB}, an {@code E_PROXY_*} name, any
 * {@code 0x8007xxxx}) and error words. A line that matches none is counted and skipped; no line can
 * make the read fail. Lines are capped in length and number, and values that could hold secrets
 * (Authorization and Cookie headers, password fields) are blanked before a line is kept.
 */
public final class RdgClientTraceReader {
  /** The channel/provider name trace events carry, so rules can tell them apart. */
  public static final String CHANNEL = "RDGClientTrace";

  /** Longer lines are read only this far (a trace line is short; a huge one is junk). */
  public static final int MAX_LINE = 16 * 1024;

  /** Lines after this many are not read. */
  public static final int MAX_LINES = 2_000_000;

  /** Events kept per file; a trace of a retry loop repeats the same lines. */
  public static final int MAX_EVENTS = 5_000;

  /** How much of a line an event keeps, for the report. */
  static final int QUOTE = 240;

  private static final Pattern ISO =
      Pattern.compile(
          "(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2})(?:[.,](\\d{1,9}))?"
              + "(Z|[+-]\\d{2}:?\\d{2})?");
  private static final Pattern US =
      Pattern.compile(
          "\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})[ ,]+(\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?"
              + "(?:\\s*([AaPp][Mm]))?");
  private static final Pattern HTTP_LINE = Pattern.compile("\\bHTTP/\\d\\.\\d\\s+(\\d{3})\\b");
  private static final Pattern HTTP_FIELD =
      Pattern.compile(
          "(?i)\\b(?:http[ _-]?status(?:[ _-]?code)?|status[ _-]?code|http[ _-]?code"
              + "|http[ _-]?response)\\s*[:=]?\\s*(\\d{3})\\b");
  private static final Pattern HRESULT_FIELD =
      Pattern.compile(
          "(?i)\\b(?:hr|hresult|error|err|errorcode|error[ _]code|status|result|code)"
              + "\\s*[:=]?\\s*(?:0x)([0-9a-f]{8})\\b");

  /** FACILITY_WIN32 and FACILITY_SECURITY failures are HRESULTs wherever they appear. */
  private static final Pattern HRESULT_BARE = Pattern.compile("(?i)\\b0x(800[79][0-9a-f]{4})\\b");

  private static final Pattern PROXY_NAME = Pattern.compile("\\bE_PROXY_[A-Z_]+\\b");
  private static final Pattern ERROR_WORD =
      Pattern.compile("(?i)\\b(error|fail(?:ed|ure)?|denied|refused|unable|cannot|timed? ?out)\\b");
  private static final Pattern SECRET_HEADER =
      Pattern.compile(
          "(?i)\\b((?:proxy-)?authorization|(?:set-)?cookie|www-authenticate)\\s*:\\s*\\S.*");
  private static final Pattern SECRET_FIELD =
      Pattern.compile("(?i)\\b(password|passwd|pwd|secret|token)\\s*[:=]\\s*\\S+");
  private static final Pattern MARKERS =
      Pattern.compile(
          "(?i)RDGClient|RD ?Gateway|TSGateway|remoteDesktopGateway|RDG_(?:OUT|IN)_DATA"
              + "|E_PROXY_|\\bhr\\s*=\\s*0x|RpcProxy|TsProxy");

  private RdgClientTraceReader() {}

  /** Whether the start of a text file looks like a gateway client trace. */
  static boolean looksLike(String head) {
    return MARKERS.matcher(head).find();
  }

  /**
   * Reads the trace; every line that carries a status, an HRESULT or an error becomes one event.
   * Returns the number of lines read.
   */
  static long read(String name, String text, Consumer<LogEvent> sink, List<LogError> errors) {
    int pos = 0;
    long line = 0;
    int kept = 0;
    int binary = 0;
    while (pos < text.length()) {
      int nl = text.indexOf('\n', pos);
      int end = nl < 0 ? text.length() : nl;
      line++;
      if (line > MAX_LINES) {
        errors.add(
            new LogError(
                "line " + line,
                "more than " + MAX_LINES + " lines; the rest of the file is not read"));
        return line - 1;
      }
      int len = end - pos;
      String s = text.substring(pos, Math.min(end, pos + MAX_LINE));
      pos = nl < 0 ? text.length() : nl + 1;
      if (len > MAX_LINE) {
        errors.add(
            new LogError(
                "line " + line, len + " characters; only the first " + MAX_LINE + " were read"));
      }
      if (s.endsWith("\r")) {
        s = s.substring(0, s.length() - 1);
      }
      if (isBinary(s)) {
        binary++;
        continue;
      }
      LogEvent e = event(name, line, s);
      if (e == null) {
        continue;
      }
      if (kept++ == MAX_EVENTS) {
        errors.add(
            new LogError(
                "line " + line,
                "more than " + MAX_EVENTS + " status or error lines; later ones are not kept"));
      }
      if (kept <= MAX_EVENTS) {
        sink.accept(e);
      }
    }
    if (binary > 0) {
      errors.add(new LogError(binary + " line(s) of binary data skipped"));
    }
    return line;
  }

  /** What one line says, or null when it says nothing about the connection's fate. */
  static LogEvent event(String source, long lineNo, String line) {
    Integer status = httpStatus(line);
    Integer hr = hresult(line);
    boolean errorWord = ERROR_WORD.matcher(line).find();
    if (status == null && hr == null && !errorWord) {
      return null;
    }
    Map<String, String> data = new LinkedHashMap<>();
    String meaning;
    String cause = null;
    String side = null;
    if (hr != null) {
      ProxyError p = ProxyError.of(hr);
      String hrName;
      String what;
      if (p.known()) {
        hrName = p.name();
        what = p.description();
        cause = p.cause();
        side = p.side();
      } else {
        GatewayClientError c = GatewayClientError.of(hr);
        hrName = c.name();
        what = c.description();
        cause = c.cause();
      }
      data.put("HResult", OpenCodeHex.of(hr));
      data.put("HResultName", hrName);
      meaning = hrName + " (" + OpenCodeHex.of(hr) + "): " + what;
    } else if (status != null) {
      meaning = "HTTP " + status + " from the gateway";
    } else {
      String q = quote(line);
      meaning = "error line: " + (q.length() > 120 ? q.substring(0, 120) + "..." : q);
    }
    if (status != null) {
      data.put("HttpStatus", Integer.toString(status));
      if (hr != null) {
        meaning = meaning + " (HTTP " + status + ")";
      }
    }
    if (cause != null) {
      data.put("Cause", cause);
    }
    if (side != null) {
      data.put("Side", side);
    }
    data.put("Line", quote(line));
    Instant t = timestamp(line);
    boolean bad = cause != null || (status != null && status >= 400) || errorWord;
    return new LogEvent(
        source,
        lineNo,
        t,
        CHANNEL,
        CHANNEL,
        status == null ? 0 : status,
        bad ? "Error" : "Information",
        null,
        null,
        Map.copyOf(data),
        meaning);
  }

  static Integer httpStatus(String line) {
    for (Pattern p : List.of(HTTP_LINE, HTTP_FIELD)) {
      Matcher m = p.matcher(line);
      if (m.find()) {
        int v = Integer.parseInt(m.group(1));
        if (v >= 100 && v <= 599) {
          return v;
        }
      }
    }
    return null;
  }

  /** The first failure HRESULT on the line: a named E_PROXY code, a labelled or bare one. */
  static Integer hresult(String line) {
    Matcher n = PROXY_NAME.matcher(line);
    while (n.find()) {
      for (ProxyError p : ProxyError.all()) {
        if (p.name().equals(n.group())) {
          return p.code();
        }
      }
    }
    for (Pattern p : List.of(HRESULT_FIELD, HRESULT_BARE)) {
      Matcher m = p.matcher(line);
      while (m.find()) {
        int v = (int) Long.parseLong(m.group(1), 16);
        if (v < 0) { // only failures: S_OK and success codes say nothing went wrong
          return v;
        }
      }
    }
    return null;
  }

  /** The line's first timestamp; one without a zone is the client's local time, read as UTC. */
  static Instant timestamp(String line) {
    try {
      Matcher m = ISO.matcher(line);
      if (m.find()) {
        String frac = m.group(3) == null ? "" : "." + m.group(3);
        LocalDateTime ldt = LocalDateTime.parse(m.group(1) + "T" + m.group(2) + frac);
        String zone = m.group(4);
        if (zone == null || zone.equals("Z")) {
          return ldt.toInstant(ZoneOffset.UTC);
        }
        String z = zone.length() == 5 ? zone.substring(0, 3) + ":" + zone.substring(3) : zone;
        return OffsetDateTime.of(ldt, ZoneOffset.of(z)).toInstant();
      }
      Matcher u = US.matcher(line);
      if (u.find()) {
        int hour = Integer.parseInt(u.group(4));
        String ampm = u.group(8);
        if (ampm != null) {
          hour = hour % 12 + (ampm.equalsIgnoreCase("pm") ? 12 : 0);
        }
        long nanos = 0;
        if (u.group(7) != null) {
          nanos = Long.parseLong((u.group(7) + "000000000").substring(0, 9));
        }
        return LocalDateTime.of(
                Integer.parseInt(u.group(3)),
                Integer.parseInt(u.group(1)),
                Integer.parseInt(u.group(2)),
                hour,
                Integer.parseInt(u.group(5)),
                Integer.parseInt(u.group(6)),
                (int) nanos)
            .toInstant(ZoneOffset.UTC);
      }
    } catch (java.time.DateTimeException | NumberFormatException e) {
      return null; // a date-like string that is no date (month 13): the line has no time
    }
    return null;
  }

  /** The line as the report shows it: secrets blanked, control characters dropped, capped. */
  static String quote(String line) {
    String s = SECRET_HEADER.matcher(line).replaceAll("$1: [redacted]");
    s = SECRET_FIELD.matcher(s).replaceAll("$1=[redacted]");
    StringBuilder sb = new StringBuilder(Math.min(s.length(), QUOTE + 3));
    for (int i = 0; i < s.length() && sb.length() < QUOTE; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7F || c == '\uFFFD' ? ' ' : c);
    }
    if (s.length() > QUOTE) {
      sb.append("...");
    }
    return sb.toString().strip();
  }

  /** NULs, undecodable bytes or mostly control characters: not a text line. */
  private static boolean isBinary(String s) {
    int bad = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 || c == '\uFFFD' || (c < 0x20 && c != '\t')) {
        bad++;
      }
    }
    return bad > 0 && bad * 10 >= s.length();
  }

  /** Upper-case hex like every other code in the reports. */
  private static final class OpenCodeHex {
    static String of(int v) {
      return "0x" + Integer.toHexString(v).toUpperCase(Locale.ROOT);
    }
  }
}

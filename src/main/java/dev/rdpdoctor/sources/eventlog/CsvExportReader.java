package dev.rdpdoctor.sources.eventlog;

import dev.rdpdoctor.sources.eventlog.xml.XmlContent;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code Get-WinEvent | Export-Csv} output. Its {@code Properties} column is only a type
 * name, so the event's values are recovered from the rendered {@code Message}: "Name: value" lines
 * (Security events) and the few sentences that carry a code (RDPClient's "(Reason= 2308)",
 * Schannel's "alert code is 40"). Quoted fields may span lines.
 */
final class CsvExportReader {
  static final int MAX_FIELD = 1 << 20;
  static final int MAX_ROWS = 5_000_000;

  private static final Pattern REASON = Pattern.compile("Reason\\s*=\\s*(\\d+)");
  private static final Pattern ALERT =
      Pattern.compile("(?:alert|error) code is (\\d+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern FIELD =
      Pattern.compile("^\\s*([A-Za-z][A-Za-z ]{1,40}):\\s*(.+?)\\s*$");

  /** Security message labels to the EventData names of the same values. */
  private static final Map<String, String> ALIASES =
      Map.of(
          "LogonType",
          "LogonType",
          "SubStatus",
          "SubStatus",
          "Status",
          "Status",
          "SourceNetworkAddress",
          "IpAddress",
          "SourcePort",
          "IpPort",
          "FailureReason",
          "FailureReason",
          "WorkstationName",
          "WorkstationName");

  private static final List<DateTimeFormatter> TIMES =
      List.of(
          DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a", Locale.US),
          DateTimeFormatter.ofPattern("M/d/yyyy H:mm:ss", Locale.US),
          DateTimeFormatter.ofPattern("d.M.yyyy H:mm:ss", Locale.US),
          DateTimeFormatter.ofPattern("d/M/yyyy H:mm:ss", Locale.US),
          DateTimeFormatter.ofPattern("yyyy-MM-dd H:mm:ss", Locale.US));

  private CsvExportReader() {}

  static long read(String text, Consumer<XmlContent.Element> sink, List<LogError> errors) {
    List<List<String>> rows = rows(text, errors);
    int h = 0;
    while (h < rows.size() && !rows.get(h).isEmpty() && rows.get(h).get(0).startsWith("#")) {
      h++; // "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord"
    }
    if (h >= rows.size()) {
      errors.add(new LogError("no header row: not a Get-WinEvent | Export-Csv file"));
      return 0;
    }
    Map<String, Integer> col = new HashMap<>();
    List<String> header = rows.get(h);
    for (int i = 0; i < header.size(); i++) {
      col.put(header.get(i).trim().toLowerCase(Locale.ROOT), i);
    }
    if (!col.containsKey("id")
        || !(col.containsKey("providername") || col.containsKey("logname"))) {
      errors.add(
          new LogError(
              "line " + (h + 1),
              "header lacks Id and ProviderName/LogName:"
                  + " not a Get-WinEvent | Export-Csv file"));
      return 0;
    }
    long n = 0;
    for (int r = h + 1; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      if (row.size() == 1 && row.get(0).isBlank()) {
        continue;
      }
      String id = get(row, col, "id");
      if (id == null || !id.trim().matches("\\d{1,5}")) {
        errors.add(new LogError("row " + (r + 1), "no numeric Id; row skipped"));
        continue;
      }
      sink.accept(event(row, col, errors, r + 1));
      n++;
    }
    return n;
  }

  private static XmlContent.Element event(
      List<String> row, Map<String, Integer> col, List<LogError> errors, int rowNo) {
    List<XmlContent> sys = new ArrayList<>();
    sys.add(el("Provider", Map.of("Name", nz(get(row, col, "providername"))), null));
    sys.add(el("EventID", Map.of(), get(row, col, "id").trim()));
    sys.add(el("Level", Map.of(), nz(get(row, col, "level"))));
    String t = get(row, col, "timecreated");
    Instant when = time(t);
    if (t != null && !t.isBlank() && when == null) {
      errors.add(new LogError("row " + rowNo, "TimeCreated '" + t + "' not understood"));
    }
    sys.add(el("TimeCreated", Map.of("SystemTime", when == null ? "" : when.toString()), null));
    sys.add(el("EventRecordID", Map.of(), nz(get(row, col, "recordid"))));
    sys.add(el("Correlation", Map.of("ActivityID", nz(get(row, col, "activityid"))), null));
    sys.add(el("Channel", Map.of(), nz(get(row, col, "logname"))));
    sys.add(el("Computer", Map.of(), nz(get(row, col, "machinename"))));
    List<XmlContent> data = new ArrayList<>();
    messageFields(nz(get(row, col, "message")))
        .forEach((k, v) -> data.add(el("Data", Map.of("Name", k), v)));
    return new XmlContent.Element(
        "Event",
        List.of(),
        List.of(
            new XmlContent.Element("System", List.of(), List.copyOf(sys)),
            new XmlContent.Element("EventData", List.of(), List.copyOf(data))));
  }

  /** Values a rendered message carries; Security's "Account Name" keeps the last (the target). */
  static Map<String, String> messageFields(String message) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = REASON.matcher(message);
    if (m.find()) {
      out.put("Value", m.group(1));
    }
    m = ALERT.matcher(message);
    if (m.find()) {
      out.put("AlertDesc", m.group(1));
    }
    for (String line : message.split("\\R")) {
      Matcher f = FIELD.matcher(line);
      if (f.matches()) {
        String key = f.group(1).replace(" ", "");
        String name = ALIASES.get(key);
        if (name != null) {
          out.put(name, f.group(2));
        } else if (key.equals("AccountName")) {
          out.put("TargetUserName", f.group(2));
        }
      }
    }
    return out;
  }

  private static Instant time(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    String v = s.trim();
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException ignored) {
      // not ISO with offset; try local forms (the exporting machine's local time, taken as UTC)
    }
    for (DateTimeFormatter f : TIMES) {
      try {
        return LocalDateTime.parse(v, f).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException ignored) {
        // next form
      }
    }
    return null;
  }

  private static XmlContent.Element el(String name, Map<String, String> attrs, String text) {
    List<XmlContent.Attribute> a = new ArrayList<>();
    attrs.forEach((k, v) -> a.add(new XmlContent.Attribute(k, List.of(new XmlContent.Text(v)))));
    return new XmlContent.Element(
        name, List.copyOf(a), text == null ? List.of() : List.of(new XmlContent.Text(text)));
  }

  private static String get(List<String> row, Map<String, Integer> col, String name) {
    Integer i = col.get(name);
    return i == null || i >= row.size() ? null : row.get(i);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /** RFC 4180 rows: commas, double quotes with "" escapes, quoted line breaks. */
  static List<List<String>> rows(String text, List<LogError> errors) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    int line = 1;
    int startLine = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
      }
      if (quoted) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else if (field.length() < MAX_FIELD) {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
          line++;
        }
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        startLine = line;
        if (rows.size() >= MAX_ROWS) {
          errors.add(new LogError("line " + line, "more than " + MAX_ROWS + " rows; rest skipped"));
          return rows;
        }
      } else if (field.length() < MAX_FIELD) {
        field.append(c);
      }
    }
    if (quoted) {
      errors.add(new LogError("line " + startLine, "quoted field never closed; row kept as read"));
    }
    if (field.length() > 0 || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}

package dev.rdpdoctor.sources.eventlog;

import dev.rdpdoctor.evidence.LogEvent;
import dev.rdpdoctor.sources.eventlog.evtx.EvtxIssue;
import dev.rdpdoctor.sources.eventlog.evtx.EvtxReader;
import dev.rdpdoctor.sources.eventlog.xml.XmlContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads an event log file of any supported format; never throws for bad content. */
public final class LogFileReader {
  public static final int MAX_ERRORS = 200;

  private LogFileReader() {}

  /**
   * Reads {@code path}.
   *
   * @param xmlSink receives every record as an {@code <Event>} element (null: not wanted)
   */
  public static LogFile read(Path path, Consumer<XmlContent.Element> xmlSink) {
    return read(path, xmlSink, null);
  }

  /**
   * Reads {@code path} as {@code forced} (null: detect the format from the content), e.g. an
   * RD Gateway client trace named by {@code explain --trace}.
   */
  public static LogFile read(Path path, Consumer<XmlContent.Element> xmlSink,
      LogFormat forced) {
    String name = path.toString();
    byte[] bytes;
    try {
      long size = Files.size(path);
      if (size > EvtxReader.MAX_FILE) {
        return failed(name, "file is " + size + " bytes; larger than the "
            + EvtxReader.MAX_FILE + "-byte limit");
      }
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes((int) size + 1);
      }
    } catch (IOException | SecurityException e) {
      return failed(name, "cannot read: " + reason(e));
    }
    return read(name, bytes, xmlSink, forced);
  }

  public static LogFile read(String name, byte[] bytes, Consumer<XmlContent.Element> xmlSink) {
    return read(name, bytes, xmlSink, null);
  }

  public static LogFile read(String name, byte[] bytes, Consumer<XmlContent.Element> xmlSink,
      LogFormat forced) {
    LogFormat format = forced != null ? forced : LogFormat.sniff(java.util.Arrays.copyOf(bytes,
        Math.min(bytes.length, LogFormat.SNIFF)));
    List<LogEvent> events = new ArrayList<>();
    List<LogError> errors = new ArrayList<>();
    Consumer<XmlContent.Element> each = e -> {
      if (xmlSink != null) {
        xmlSink.accept(e);
      }
      LogEvent ev = EventNormalizer.normalise(name, e);
      if (ev != null && ev.meaning() != null) {
        events.add(ev);
      }
    };
    long records;
    int dropped = 0;
    switch (format) {
      case EVTX -> {
        EvtxReader.Summary s = EvtxReader.read(bytes, r -> each.accept(r.xml()));
        records = s.records();
        for (EvtxIssue i : s.issues()) {
          errors.add(new LogError("0x" + Long.toHexString(i.offset()), i.message()));
        }
        dropped = s.droppedIssues();
      }
      case RDG_CLIENT_TRACE -> records = RdgClientTraceReader.read(name, LogText.decode(bytes),
          events::add, errors);
      case XML -> records = XmlExportReader.read(LogText.decode(bytes), each, errors);
      default -> records = CsvExportReader.read(LogText.decode(bytes), each, errors);
    }
    if (errors.size() > MAX_ERRORS) {
      dropped += errors.size() - MAX_ERRORS;
      errors = errors.subList(0, MAX_ERRORS);
    }
    events.sort(java.util.Comparator.comparing(LogEvent::time,
        java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
    return new LogFile(name, format, records, List.copyOf(errors), dropped, List.copyOf(events));
  }

  private static LogFile failed(String name, String why) {
    return new LogFile(name, null, 0, List.of(new LogError(why)), 0, List.of());
  }

  private static String reason(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}

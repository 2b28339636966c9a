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

  /** Text exports (XML, CSV, traces) are read whole into memory; 1 GiB is more than any. */
  public static final long MAX_TEXT_FILE = 1L << 30;

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
   * Reads {@code path} as {@code forced} (null: detect the format from the content), e.g. an RD
   * Gateway client trace named by {@code explain --trace}.
   */
  public static LogFile read(Path path, Consumer<XmlContent.Element> xmlSink, LogFormat forced) {
    String name = path.toString();
    byte[] bytes;
    try {
      long size = Files.size(path);
      if (size > EvtxReader.MAX_FILE) {
        return failed(
            name,
            "file is " + size + " bytes; larger than the " + EvtxReader.MAX_FILE + "-byte limit");
      }
      try (InputStream in = Files.newInputStream(path)) {
        byte[] head = in.readNBytes(LogFormat.SNIFF);
        LogFormat format = forced != null ? forced : LogFormat.sniff(head);
        if (format == LogFormat.EVTX) {
          // binary logs run to gigabytes: mapped and decoded in parallel, never copied whole
          Collected c = new Collected(name, xmlSink);
          EvtxReader.Summary s = EvtxReader.read(path, r -> c.each.accept(r.xml()));
          return c.evtx(s);
        }
        if (size > MAX_TEXT_FILE) {
          return failed(
              name,
              "file is "
                  + size
                  + " bytes; larger than the "
                  + MAX_TEXT_FILE
                  + "-byte limit for text exports");
        }
        byte[] rest = in.readNBytes((int) size + 1 - head.length);
        bytes = new byte[head.length + rest.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(rest, 0, bytes, head.length, rest.length);
      }
    } catch (IOException | SecurityException e) {
      return failed(name, "cannot read: " + reason(e));
    }
    return read(name, bytes, xmlSink, forced);
  }

  public static LogFile read(String name, byte[] bytes, Consumer<XmlContent.Element> xmlSink) {
    return read(name, bytes, xmlSink, null);
  }

  public static LogFile read(
      String name, byte[] bytes, Consumer<XmlContent.Element> xmlSink, LogFormat forced) {
    LogFormat format =
        forced != null
            ? forced
            : LogFormat.sniff(
                java.util.Arrays.copyOf(bytes, Math.min(bytes.length, LogFormat.SNIFF)));
    Collected c = new Collected(name, xmlSink);
    return switch (format) {
      case EVTX -> c.evtx(EvtxReader.read(bytes, r -> c.each.accept(r.xml())));
      case RDG_CLIENT_TRACE ->
          c.done(
              format,
              RdgClientTraceReader.read(name, LogText.decode(bytes), c.events::add, c.errors),
              0);
      case XML -> c.done(format, XmlExportReader.read(LogText.decode(bytes), c.each, c.errors), 0);
      default -> c.done(format, CsvExportReader.read(LogText.decode(bytes), c.each, c.errors), 0);
    };
  }

  /** What one file's records produce: the events that mean something, and the errors. */
  private static final class Collected {
    final String name;
    final List<LogEvent> events = new ArrayList<>();
    final List<LogError> errors = new ArrayList<>();
    final Consumer<XmlContent.Element> each;

    Collected(String name, Consumer<XmlContent.Element> xmlSink) {
      this.name = name;
      this.each =
          e -> {
            if (xmlSink != null) {
              xmlSink.accept(e);
            }
            LogEvent ev = EventNormalizer.normalise(name, e);
            if (ev != null && ev.meaning() != null) {
              events.add(ev);
            }
          };
    }

    LogFile evtx(EvtxReader.Summary s) {
      for (EvtxIssue i : s.issues()) {
        errors.add(new LogError("0x" + Long.toHexString(i.offset()), i.message()));
      }
      return done(LogFormat.EVTX, s.records(), s.droppedIssues());
    }

    LogFile done(LogFormat format, long records, int dropped) {
      List<LogError> kept = errors;
      if (kept.size() > MAX_ERRORS) {
        dropped += kept.size() - MAX_ERRORS;
        kept = kept.subList(0, MAX_ERRORS);
      }
      events.sort(
          java.util.Comparator.comparing(
              LogEvent::time,
              java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
      return new LogFile(name, format, records, List.copyOf(kept), dropped, List.copyOf(events));
    }
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

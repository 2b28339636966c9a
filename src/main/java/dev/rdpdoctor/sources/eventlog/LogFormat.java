package dev.rdpdoctor.sources.eventlog;

/** The kinds of event log file {@code rdpdoctor logs} reads. */
public enum LogFormat {
  /** Binary Windows XML Event Log, as in {@code %SystemRoot%\System32\winevt\Logs}. */
  EVTX,
  /** {@code wevtutil qe LOG /f:xml} output, or Event Viewer's "Save as XML". */
  XML,
  /** {@code Get-WinEvent ... | Export-Csv}. */
  CSV,
  /**
   * The Remote Desktop client's RD Gateway trace (RDGClientTrace): undocumented free text, read
   * best-effort by {@link RdgClientTraceReader}.
   */
  RDG_CLIENT_TRACE;

  /** How many leading bytes {@link #sniff} looks at. */
  static final int SNIFF = 64 * 1024;

  /** The name in reports and JSON: evtx, xml, csv, rdg-client-trace. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Guesses the format from the first bytes (up to {@link #SNIFF}). */
  static LogFormat sniff(byte[] head) {
    if (head.length >= 8
        && new String(head, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1)
            .equals("ElfFile\0")) {
      return EVTX;
    }
    String s = LogText.decode(head).stripLeading();
    if (s.startsWith("<")) {
      return XML;
    }
    // An Export-Csv file starts with its #TYPE line or a quoted header row; anything else that
    // mentions the gateway client's own words is a trace. The rest stays CSV, whose reader
    // says clearly what is missing.
    if (!s.startsWith("#TYPE") && !s.startsWith("\"") && RdgClientTraceReader.looksLike(s)) {
      return RDG_CLIENT_TRACE;
    }
    return CSV;
  }
}

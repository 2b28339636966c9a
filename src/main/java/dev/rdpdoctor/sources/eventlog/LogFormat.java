package dev.rdpdoctor.sources.eventlog;

/** The kinds of event log file {@code rdpdoctor logs} reads. */
public enum LogFormat {
  /** Binary Windows XML Event Log, as in {@code %SystemRoot%\System32\winevt\Logs}. */
  EVTX,
  /** {@code wevtutil qe LOG /f:xml} output, or Event Viewer's "Save as XML". */
  XML,
  /** {@code Get-WinEvent ... | Export-Csv}. */
  CSV;

  /** Guesses the format from the first bytes. */
  static LogFormat sniff(byte[] head) {
    if (head.length >= 8 && new String(head, 0, 8, java.nio.charset.StandardCharsets.ISO_8859_1)
        .equals("ElfFile\0")) {
      return EVTX;
    }
    String s = LogText.decode(head).stripLeading();
    return s.startsWith("<") ? XML : CSV;
  }
}

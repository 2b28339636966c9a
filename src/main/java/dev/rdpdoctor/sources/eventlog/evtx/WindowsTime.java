package dev.rdpdoctor.sources.eventlog.evtx;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * FILETIME values as Windows writes them into event XML ({@code wevtutil qe /f:xml}, Event Viewer):
 * UTC, ISO 8601 with a {@code T}, all seven digits of the 100 ns ticks and a {@code Z}, e.g. {@code
 * 2021-06-29T14:13:52.2637463Z}. Exact integer arithmetic: no tick is rounded away.
 */
final class WindowsTime {
  static final long TICKS_PER_SECOND = 10_000_000L;

  /** Seconds from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
  static final long EPOCH_DELTA_SECONDS = 11_644_473_600L;

  private WindowsTime() {}

  /** The text of a FILETIME (an unsigned count of 100 ns ticks since 1601). */
  static String filetime(long q) {
    long secs = Long.divideUnsigned(q, TICKS_PER_SECOND) - EPOCH_DELTA_SECONDS;
    int ticks = (int) Long.remainderUnsigned(q, TICKS_PER_SECOND);
    LocalDateTime t = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(28);
    PyFormat.pad(sb, t.getYear(), 4).append('-');
    PyFormat.pad(sb, t.getMonthValue(), 2).append('-');
    PyFormat.pad(sb, t.getDayOfMonth(), 2).append('T');
    PyFormat.pad(sb, t.getHour(), 2).append(':');
    PyFormat.pad(sb, t.getMinute(), 2).append(':');
    PyFormat.pad(sb, t.getSecond(), 2).append('.');
    return PyFormat.pad(sb, ticks, 7).append('Z').toString();
  }

  /** FILETIME to epoch milliseconds, for timelines. */
  static long filetimeMillis(long q) {
    return Long.divideUnsigned(q, 10_000L) - EPOCH_DELTA_SECONDS * 1000;
  }
}

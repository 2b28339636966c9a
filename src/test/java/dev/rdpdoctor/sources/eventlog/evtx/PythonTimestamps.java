package dev.rdpdoctor.sources.eventlog.evtx;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * python-evtx's lossy FILETIME rendering, for comparing our exact (Windows-style) output with
 * {@code evtx_dump.py}: it goes through a float as {@code datetime.utcfromtimestamp(q * 1e-7 -
 * 11644473600)} does (rounded half-even to the microsecond, out of range = {@code datetime.min})
 * and prints {@code str(datetime)}.
 */
public final class PythonTimestamps {
  private static final double EPOCH_DELTA = 11644473600.0;

  /** What {@link WindowsTime#filetime} writes. */
  private static final Pattern WINDOWS =
      Pattern.compile("(\\d{4,})-(\\d\\d)-(\\d\\d)T(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{7})Z");

  private PythonTimestamps() {}

  /** {@code str(datetime)} of a FILETIME as python-evtx computes it. */
  static String filetime(long q) {
    double unsigned = q >= 0 ? (double) q : ((double) ((q >>> 1) | (q & 1))) * 2.0;
    double t = unsigned * 1e-7 - EPOCH_DELTA;
    double intpart = t >= 0 ? Math.floor(t) : Math.ceil(t);
    double frac = (t - intpart) * 1e6;
    frac = Math.rint(frac);
    if (frac >= 1e6) {
      frac -= 1e6;
      intpart += 1.0;
    } else if (frac < 0) {
      frac += 1e6;
      intpart -= 1.0;
    }
    long secs = (long) intpart;
    // datetime's range is years 1..9999; python-evtx turns the ValueError into datetime.min
    if (secs < -62135596800L || secs > 253402300799L) {
      return "0001-01-01 00:00:00";
    }
    LocalDateTime dt = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
    return PyFormat.iso(
        dt.getYear(),
        dt.getMonthValue(),
        dt.getDayOfMonth(),
        dt.getHour(),
        dt.getMinute(),
        dt.getSecond(),
        (int) frac);
  }

  /** The FILETIME a Windows-style timestamp stands for (exact: it keeps every tick). */
  static long ticks(MatchResult m) {
    LocalDateTime t =
        LocalDateTime.of(
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4)),
            Integer.parseInt(m.group(5)),
            Integer.parseInt(m.group(6)));
    long secs = t.toEpochSecond(ZoneOffset.UTC) + WindowsTime.EPOCH_DELTA_SECONDS;
    // wraps past 2^63 for the far future, as the unsigned FILETIME it came from did
    return secs * WindowsTime.TICKS_PER_SECOND + Long.parseLong(m.group(7));
  }

  /** Every Windows-style timestamp in {@code xml} rewritten as python-evtx prints it. */
  public static String normalise(String xml) {
    return WINDOWS.matcher(xml).replaceAll(m -> Matcher.quoteReplacement(filetime(ticks(m))));
  }
}

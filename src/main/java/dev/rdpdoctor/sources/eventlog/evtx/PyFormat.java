package dev.rdpdoctor.sources.eventlog.evtx;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Value formatting that matches python-evtx (CPython 3.11 semantics), so rendered records can be
 * compared with {@code evtx_dump.py}: FILETIMEs go through a float as
 * {@code datetime.utcfromtimestamp(q * 1e-7 - 11644473600)} does (rounded half-even to the
 * microsecond, out of range = {@code datetime.min}), floats print as Python's {@code repr}.
 */
final class PyFormat {
  private static final double EPOCH_DELTA = 11644473600.0;

  private PyFormat() {}

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
    return iso(dt.getYear(), dt.getMonthValue(), dt.getDayOfMonth(), dt.getHour(),
        dt.getMinute(), dt.getSecond(), (int) frac);
  }

  /** FILETIME to epoch milliseconds, for timelines (exact integer arithmetic). */
  static long filetimeMillis(long q) {
    return Long.divideUnsigned(q, 10_000L) - 11_644_473_600_000L;
  }

  /** {@code datetime.isoformat(' ')}. */
  static String iso(int y, int mo, int d, int h, int mi, int s, int micros) {
    StringBuilder sb = new StringBuilder(26);
    pad(sb, y, 4).append('-');
    pad(sb, mo, 2).append('-');
    pad(sb, d, 2).append(' ');
    pad(sb, h, 2).append(':');
    pad(sb, mi, 2).append(':');
    pad(sb, s, 2);
    if (micros != 0) {
      pad(sb.append('.'), micros, 6);
    }
    return sb.toString();
  }

  private static StringBuilder pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /** Python's {@code repr(float)}: shortest round-trip digits, exponent outside 1e-4..1e16. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    // Double.toString gives the shortest round-trip digits since JDK 19
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int decpt = digits.length() - bd.scale(); // value = 0.digits * 10^decpt
    StringBuilder sb = new StringBuilder();
    if (d < 0) {
      sb.append('-');
    }
    if (decpt <= -4 || decpt > 16) {
      sb.append(digits.charAt(0));
      if (digits.length() > 1) {
        sb.append('.').append(digits, 1, digits.length());
      }
      int exp = decpt - 1;
      sb.append('e').append(exp < 0 ? '-' : '+');
      int a = Math.abs(exp);
      if (a < 10) {
        sb.append('0');
      }
      sb.append(a);
    } else if (decpt <= 0) {
      sb.append("0.").append("0".repeat(-decpt)).append(digits);
    } else if (decpt >= digits.length()) {
      sb.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
    } else {
      sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
    }
    return sb.toString();
  }
}

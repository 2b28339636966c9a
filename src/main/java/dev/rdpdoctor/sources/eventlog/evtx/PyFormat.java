package dev.rdpdoctor.sources.eventlog.evtx;

import java.math.BigDecimal;

/**
 * Value formatting that matches python-evtx (CPython 3.11 semantics), so rendered records can be
 * compared with {@code evtx_dump.py}: floats print as Python's {@code repr}, SYSTEMTIMEs as {@code
 * datetime.isoformat(' ')}. FILETIMEs do not: they are rendered exactly, as Windows does ({@link
 * WindowsTime}), and the oracle test rounds ours the way python-evtx does instead.
 */
final class PyFormat {
  private PyFormat() {}

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

  static StringBuilder pad(StringBuilder sb, int v, int width) {
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

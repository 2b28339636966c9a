package dev.rdpdoctor.sources.eventlog.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Timestamps as Windows writes them (exact to the 100 ns tick), and python-evtx's rounding of them
 * for the oracle comparison; the python strings were printed by CPython 3.11.
 */
class PyFormatTest {
  @ParameterizedTest
  @CsvSource({
    "0, 1601-01-01T00:00:00.0000000Z",
    "116444736000000000, 1970-01-01T00:00:00.0000000Z",
    "131115314743459995, 2016-06-27T20:04:34.3459995Z",
    "130000000000000001, 2012-12-14T23:06:40.0000001Z",
    // the largest FILETIME FileTimeToSystemTime accepts: 30828-09-14 02:48:05.4775807
    "9223372036854775807, 30828-09-14T02:48:05.4775807Z"
  })
  void filetimeAsWindows(long q, String expected) {
    assertThat(WindowsTime.filetime(q)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "0, 1601-01-01 00:00:00",
    "131115314743459990, 2016-06-27 20:04:34.345997",
    "131115314743459995, 2016-06-27 20:04:34.345999",
    "-1, 0001-01-01 00:00:00",
    "116444736000000000, 1970-01-01 00:00:00",
    "130000000000000001, 2012-12-14 23:06:40"
  })
  void windowsTimestampNormalisedAsPythonEvtxRoundsIt(long q, String python) {
    assertThat(PythonTimestamps.filetime(q)).isEqualTo(python);
    String windows = WindowsTime.filetime(q);
    assertThat(PythonTimestamps.normalise("<T SystemTime=\"" + windows + "\"></T>"))
        .isEqualTo("<T SystemTime=\"" + python + "\"></T>");
  }

  @Test
  void filetimeMillisIsExact() {
    assertThat(WindowsTime.filetimeMillis(131115314743459995L)).isEqualTo(1467057874345L);
    assertThat(WindowsTime.filetimeMillis(116444736000000000L)).isZero();
  }

  @ParameterizedTest
  @CsvSource({
    "0.1, 0.1",
    "1e16, 1e+16",
    "1e15, 1000000000000000.0",
    "1e-5, 1e-05",
    "0.0001, 0.0001",
    "123.456, 123.456",
    "-2.5, -2.5",
    "1.5e300, 1.5e+300",
    "3.0, 3.0"
  })
  void floatReprAsPython(double v, String expected) {
    assertThat(PyFormat.floatRepr(v)).isEqualTo(expected);
  }

  @Test
  void float32WidenedLikePython() {
    assertThat(PyFormat.floatRepr(0.1f)).isEqualTo("0.10000000149011612");
    assertThat(PyFormat.floatRepr(Double.NaN)).isEqualTo("nan");
    assertThat(PyFormat.floatRepr(-0.0)).isEqualTo("-0.0");
  }
}

package dev.rdpdoctor.sources.eventlog.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected strings printed by CPython 3.11 (python-evtx's arithmetic and repr). */
class PyFormatTest {
  @ParameterizedTest
  @CsvSource({
    "0, 1601-01-01 00:00:00",
    "131115314743459990, 2016-06-27 20:04:34.345997",
    "131115314743459995, 2016-06-27 20:04:34.345999",
    "-1, 0001-01-01 00:00:00",
    "116444736000000000, 1970-01-01 00:00:00",
    "130000000000000001, 2012-12-14 23:06:40"
  })
  void filetimeAsPythonEvtx(long q, String expected) {
    assertThat(PyFormat.filetime(q)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "0.1, 0.1", "1e16, 1e+16", "1e15, 1000000000000000.0", "1e-5, 1e-05", "0.0001, 0.0001",
    "123.456, 123.456", "-2.5, -2.5", "1.5e300, 1.5e+300", "3.0, 3.0"
  })
  void floatReprAsPython(double v, String expected) {
    assertThat(PyFormat.floatRepr(v)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void float32WidenedLikePython() {
    assertThat(PyFormat.floatRepr(0.1f)).isEqualTo("0.10000000149011612");
    assertThat(PyFormat.floatRepr(Double.NaN)).isEqualTo("nan");
    assertThat(PyFormat.floatRepr(-0.0)).isEqualTo("-0.0");
  }
}

package dev.rdpdoctor.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetParserTest {
  @ParameterizedTest
  @CsvSource({
    "srv.lab.test, srv.lab.test, 3389, false",
    "srv.lab.test:3390, srv.lab.test, 3390, false",
    "192.0.2.7, 192.0.2.7, 3389, true",
    "192.0.2.7:443, 192.0.2.7, 443, true",
    "'[2001:db8::7]:3390', 2001:db8::7, 3390, true",
    "'[::1]', ::1, 3389, true",
    "::1, ::1, 3389, true",
    "fe80::1%eth0, fe80::1%eth0, 3389, true",
    "HOST-01, HOST-01, 3389, false",
    "host.example., host.example., 3389, false"
  })
  void parsesWhatUsersType(String in, String host, int port, boolean literal) throws Exception {
    Target t = TargetParser.parse(in, null, ClientProfile.WINDOWS);
    assertThat(t.host()).isEqualTo(host);
    assertThat(t.port()).isEqualTo(port);
    assertThat(t.literal()).isEqualTo(literal);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "srv:abc",
        "srv:0",
        "srv:70000",
        "[::1",
        "[::1]x",
        "[srv]:1",
        "300.1.1.1",
        "bad host",
        "a..b",
        "-lead.example",
        "srv:",
        "1.2.3",
        "x:y:z"
      })
  void rejectsWithAMessage(String in) {
    assertThatThrownBy(() -> TargetParser.parse(in, null, ClientProfile.WINDOWS))
        .isInstanceOf(TargetParser.BadTarget.class)
        .hasMessageNotContaining("Exception");
  }

  @org.junit.jupiter.api.Test
  void portOptionMustAgreeWithTheTypedPort() throws Exception {
    assertThat(TargetParser.parse("srv", 3390, ClientProfile.WINDOWS).port()).isEqualTo(3390);
    assertThatThrownBy(() -> TargetParser.parse("srv:3389", 3390, ClientProfile.WINDOWS))
        .hasMessageContaining("two different ports");
  }
}

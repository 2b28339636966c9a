package dev.rdpdoctor.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpLiteralTest {
  @Test
  void acceptsIpv4AndIpv6LiteralsOnly() {
    assertThat(IpLiteral.parse("198.19.1.2"))
        .get()
        .extracting(a -> a.getHostAddress())
        .isEqualTo("198.19.1.2");
    assertThat(IpLiteral.parse("[2001:db8::9]")).isPresent();
    assertThat(IpLiteral.parse("2001:db8::9")).isPresent();
    assertThat(IpLiteral.parse("srv.lab.test")).isEmpty();
    assertThat(IpLiteral.parse("300.1.1.1")).isEmpty();
    assertThat(IpLiteral.parse("")).isEmpty();
  }
}

package dev.rdpdoctor.codes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NegotiationFailureCodeTest {
  @Test
  void eachRefusalMapsToTheCauseAClientMeets() {
    assertThat(NegotiationFailureCode.valueOf(1).cause()).contains(CauseId.TLS_REQUIRED);
    assertThat(NegotiationFailureCode.valueOf(2).cause()).contains(CauseId.STANDARD_SECURITY_ONLY);
    assertThat(NegotiationFailureCode.valueOf(3).cause()).contains(CauseId.TLS_CERTIFICATE_MISSING);
    assertThat(NegotiationFailureCode.valueOf(5).cause()).contains(CauseId.NLA_REQUIRED);
    assertThat(NegotiationFailureCode.valueOf(6).cause()).contains(CauseId.TLS_REQUIRED);
  }

  @Test
  void inconsistentFlagsAndUndefinedCodesHaveNoCause() {
    assertThat(NegotiationFailureCode.valueOf(4).cause()).isEmpty();
    assertThat(NegotiationFailureCode.valueOf(0x7f).cause()).isEmpty();
    assertThat(NegotiationFailureCode.valueOf(-1).cause()).isEmpty();
  }
}

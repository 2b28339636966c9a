package dev.rdpdoctor.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** MsvAvTimestamp is an unsigned FILETIME; its placeholders must not read as 1600. */
class NtlmTimestampTest {
  @Test
  void zeroIsTheFiletimeEpoch() {
    assertThat(NtlmChallenge.fileTime(new byte[8]))
        .isEqualTo(Instant.parse("1601-01-01T00:00:00Z"));
  }

  @Test
  void allOnesIsTheFarFutureNotOneTickBefore1601() {
    byte[] ones = new byte[8];
    Arrays.fill(ones, (byte) 0xFF);
    Instant t = NtlmChallenge.fileTime(ones);
    assertThat(t).isAfter(Instant.parse("2200-01-01T00:00:00Z"));
    // 2^64 - 1 ticks of 100 ns: 1844674407370 s and 9551615 ticks after 1601
    assertThat(t.getEpochSecond()).isEqualTo(1_844_674_407_370L - 11_644_473_600L);
    assertThat(t.getNano()).isEqualTo(955_161_500);
  }
}

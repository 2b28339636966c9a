package dev.rdpdoctor.wire.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.testing.Bytes;
import dev.rdpdoctor.testing.XrdpLabKey;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsConnectResponse;
import dev.rdpdoctor.wire.session.McsSendData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded mutations of xrdp's captured encrypted PDUs (and of our Security Exchange) through {@link
 * RdpSecurity#unwrap} and {@link SecurityExchangePdu#decode}: a hostile server controls every byte
 * after the keys are set, so the only acceptable outcomes are a value or MalformedPduException,
 * never an index error, an allocation or a loop. Each mutation gets a fresh session, so a cipher
 * state spent by one cannot hide a defect in the next.
 */
class SecurityMutationTest {
  static final long SEED = 0x5EC_2026L;
  static final int MUTATIONS = 1500;

  @ParameterizedTest(name = "{0}")
  @CsvSource({"low-40bit, 1, 1", "high-128bit, 2, 3", "fips, 16, 4"})
  void mutatedServerPdusEndInAValueOrMalformedPduException(String tag, int method, int level)
      throws Exception {
    McsConnectResponse cr =
        McsConnectResponse.decode(XrdpCaptureTest.fixture("xrdp-" + tag + "-connect-response.hex"));
    byte[] exchange =
        McsSendData.decode(XrdpCaptureTest.fixture("rdpdoctor-" + tag + "-security-exchange.hex"))
            .data();
    byte[] random =
        Arrays.copyOf(
            XrdpLabKey.load().open(SecurityExchangePdu.decode(exchange).encryptedClientRandom()),
            RdpSecurity.RANDOM_LENGTH);
    byte[] demand =
        McsSendData.decode(XrdpCaptureTest.fixture("xrdp-" + tag + "-demand-active.hex")).data();
    RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED + method);
    List<String> defects = new ArrayList<>();
    int values = 0;
    int malformed = 0;
    for (int i = 0; i < MUTATIONS; i++) {
      byte[] seed = i % 3 == 0 ? exchange : demand;
      byte[] b = Bytes.mutate(seed, rnd);
      try {
        if (seed == exchange) {
          SecurityExchangePdu.decode(b);
        } else {
          RdpSecurity.establish(method, level, random, cr.security().serverRandom()).unwrap(b);
        }
        values++;
      } catch (MalformedPduException e) {
        malformed++;
      } catch (RuntimeException e) {
        defects.add("mutation " + i + ": " + e);
      }
    }
    assertThat(defects).isEmpty();
    assertThat(values).isPositive();
    assertThat(malformed).isPositive();
  }
}

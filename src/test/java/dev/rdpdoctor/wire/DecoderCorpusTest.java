package dev.rdpdoctor.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the regression corpus (src/test/resources/corpus/x224-confirm, one hex file per
 * input that once mattered) and a seeded batch of mutations of the captured PDUs through every
 * server-facing decoder. The only acceptable outcomes are a value or MalformedPduException:
 * anything else (an unchecked exception, an allocation blow-up) fails the test.
 */
class DecoderCorpusTest {
  static final long SEED = 0x5EED_2026L;
  static final int MUTATIONS = 400;

  static Stream<Arguments> corpus() throws IOException, URISyntaxException {
    List<Arguments> out = new ArrayList<>();
    Path dir = Path.of(DecoderCorpusTest.class.getResource("/corpus/x224-confirm").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      files.sorted().forEach(p -> {
        try {
          out.add(Arguments.of(p.getFileName().toString(),
              Hex.parse(Files.readString(p).replaceAll("#.*", ""))));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }
    RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED);
    String[] seeds = {X224Test.XRDP_CC_SSL, X224Test.XRDP_CC_RDP, X224Test.XRDP_DPUM,
        X224Test.LEGACY_CC, X224Test.FAILURE_5};
    for (int i = 0; i < MUTATIONS; i++) {
      byte[] b = Hex.parse(seeds[i % seeds.length]);
      int kind = rnd.nextInt(3);
      if (kind == 0) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      } else if (kind == 1) {
        b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 1));
      } else {
        b = java.util.Arrays.copyOf(b, b.length + 1 + rnd.nextInt(8));
      }
      out.add(Arguments.of("mutation " + i + " (seed " + Long.toHexString(SEED) + ")", b));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void decodersNeverThrowAnythingButMalformed(String name, byte[] input) {
    int decoded = 0;
    try {
      assertThat(X224ConnectionConfirm.decode(input)).isNotNull();
      decoded++;
    } catch (MalformedPduException expected) {
      assertThat(expected.offset()).isBetween(0, Math.max(0, input.length));
    }
    try {
      assertThat(McsDisconnectProviderUltimatum.decode(input)).isNotNull();
      decoded++;
    } catch (MalformedPduException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    try {
      assertThat(X224ConnectionRequest.decode(input)).isNotNull();
      decoded++;
    } catch (MalformedPduException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    assertThat(decoded).isBetween(0, 3);
    assertThat(PeerProtocol.identify(input, input.length)).isNotNull();
  }
}

package dev.rdpdoctor.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rdpdoctor.testing.Bytes;
import dev.rdpdoctor.testing.ServerInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the decoder corpus through every decoder that reads bytes from a server or a file ({@link
 * ServerInput}), each input as it is and in {@value #MUTATIONS} seeded mutations (a byte replaced,
 * a truncation, trailing junk). The seeds are the captured bytes and spec examples of the unit
 * tests (the fuzz targets' corpus); the regression inputs are the x224-confirm corpus and any crash
 * a fuzzing run left behind.
 *
 * <p>Each case holds the decoders to: a value or their documented error (MalformedPduException; the
 * file readers never throw), never any other exception, each call within a CPU budget ({@link
 * #PDU_BUDGET}, {@link #FILE_BUDGET}) and each case within a wall-clock limit. A captured seed must
 * decode to a value (a file: at least one record or setting), and for the decoders that throw, the
 * mutations must reach the checks at least once, so a decoder that accepted everything or rejected
 * everything fails here.
 */
class DecoderCorpusTest {
  static final long SEED = 0x5EED_2026L;
  static final int MUTATIONS = 200;

  /** CPU time for one decode of a wire PDU (at most 64 KiB), class loading included. */
  static final Duration PDU_BUDGET = Duration.ofMillis(1_000);

  /** CPU time for one read of a whole file (the EVTX seeds are 68 KiB, one chunk). */
  static final Duration FILE_BUDGET = Duration.ofMillis(5_000);

  /** Wall time for one case: the seed and its mutations. */
  static final Duration CASE_WALL_LIMIT = Duration.ofMinutes(2);

  static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /** The legacy hex regression corpus of the X.224 decoders (one file per input, commented). */
  static final String X224_HEX_CORPUS = "/corpus/x224-confirm";

  /** How a case's input must decode before it is mutated. */
  enum Expect {
    /** A capture or spec example: some decoder of its group returns a value. */
    VALUE,
    /** A regression input (malformed on purpose, or a fuzzing crash): value or error. */
    EITHER
  }

  static Stream<Arguments> corpus() throws IOException, URISyntaxException {
    List<Arguments> out = new ArrayList<>();
    for (ServerInput group : ServerInput.values()) {
      List<Path> seeds = group.seeds();
      assertThat(seeds).as("seed directory of %s", group.id()).isNotEmpty();
      for (Path p : seeds) {
        String name = p.getFileName().toString();
        Expect expect = name.startsWith("crash-") ? Expect.EITHER : Expect.VALUE;
        out.add(Arguments.of(group, name, Files.readAllBytes(p), expect));
      }
    }
    Path hex = Path.of(DecoderCorpusTest.class.getResource(X224_HEX_CORPUS).toURI());
    try (Stream<Path> files = Files.list(hex)) {
      files
          .sorted()
          .forEach(
              p -> {
                try {
                  byte[] b = Hex.parse(Files.readString(p).replaceAll("#.*", ""));
                  out.add(
                      Arguments.of(ServerInput.X224, p.getFileName().toString(), b, Expect.EITHER));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("corpus")
  void aValueOrTheDocumentedErrorWithinBudget(
      ServerInput group, String name, byte[] input, Expect expect) {
    // the whole case on a thread that is stopped past the wall limit, so a loop fails the case
    // instead of hanging the build; each call is held to its CPU budget, which a loaded machine
    // does not inflate the way it inflates wall time
    assertTimeoutPreemptively(CASE_WALL_LIMIT, () -> replay(group, name, input, expect));
  }

  static void replay(ServerInput group, String name, byte[] input, Expect expect) {
    Duration budget = group.neverThrows() ? FILE_BUDGET : PDU_BUDGET;
    boolean decoded = timed(group, input, budget, name);
    if (expect == Expect.VALUE) {
      assertThat(decoded).as("%s: the seed %s decodes to a value", group.id(), name).isTrue();
    }
    RandomGenerator rnd =
        RandomGeneratorFactory.of("L64X128MixRandom").create(SEED ^ name.hashCode());
    int rejected = 0;
    for (int i = 0; i < MUTATIONS; i++) {
      byte[] b = Bytes.mutate(input.length == 0 ? new byte[1] : input, rnd);
      if (!timed(group, b, budget, name + " mutation " + i)) {
        rejected++;
      }
    }
    if (!group.neverThrows()) {
      assertThat(rejected)
          .as(
              "%s: some of %d mutations of %s reach the decoders' checks",
              group.id(), MUTATIONS, name)
          .isPositive();
    }
  }

  /** One decode: any exception but the documented one fails, so does CPU time past budget. */
  static boolean timed(ServerInput group, byte[] b, Duration budget, String what) {
    long t0 = CPU.getCurrentThreadCpuTime();
    boolean value;
    try {
      value = group.decode(b);
    } catch (RuntimeException e) {
      throw new AssertionError(group.id() + ": " + what + " threw " + e, e);
    }
    long cpu = CPU.getCurrentThreadCpuTime() - t0;
    assertThat(Duration.ofNanos(cpu))
        .as("%s: CPU time of %s", group.id(), what)
        .isLessThanOrEqualTo(budget);
    return value;
  }
}

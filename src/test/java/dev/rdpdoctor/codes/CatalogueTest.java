package dev.rdpdoctor.codes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every catalogue must have: round-trips, open decoding, sane text, real cause ids. */
class CatalogueTest {
  /** The catalogue's ids, from the one type that holds them (checked against causes.json). */
  static final Set<String> CAUSE_IDS =
      Arrays.stream(CauseId.values()).map(CauseId::id).collect(Collectors.toUnmodifiableSet());

  record Catalogue(
      String name, Collection<? extends OpenCode> known, IntFunction<? extends OpenCode> valueOf) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> catalogues() {
    return Stream.of(
            new Catalogue("DisconnectReason", DisconnectReason.known(), DisconnectReason::valueOf),
            new Catalogue(
                "ExtendedDisconnectReason",
                ExtendedDisconnectReason.known(),
                ExtendedDisconnectReason::valueOf),
            new Catalogue("ErrorInfo", ErrorInfo.known(), ErrorInfo::valueOf),
            new Catalogue("NtStatus", NtStatus.known(), NtStatus::valueOf),
            new Catalogue("ErrConnect", ErrConnect.known(), ErrConnect::valueOf),
            new Catalogue("TlsAlert", TlsAlert.known(), TlsAlert::valueOf))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogues")
  void everyKnownValueRoundTripsToTheSameConstant(Catalogue c) {
    assertThat(c.known()).isNotEmpty();
    for (OpenCode code : c.known()) {
      OpenCode again = c.valueOf().apply(code.code());
      assertThat(again).isSameAs(code);
      assertThat(again.isKnown()).isTrue();
      assertThat(again.name()).isNotEqualTo(OpenCode.unknownName(code.code()));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogues")
  void namesAndSymbolsAreUnique(Catalogue c) {
    Set<String> names = new HashSet<>();
    Set<String> symbols = new HashSet<>();
    for (OpenCode code : c.known()) {
      assertThat(names.add(code.name())).as("duplicate name %s", code.name()).isTrue();
      assertThat(symbols.add(code.symbol())).as("duplicate symbol %s", code.symbol()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogues")
  void descriptionsAreOneReadableLine(Catalogue c) {
    for (OpenCode code : c.known()) {
      assertThat(code.description())
          .as(code.symbol())
          .isNotBlank()
          .doesNotContain("\n")
          .hasSizeLessThan(120);
      // Lower-case start (acronyms aside) so a description reads inside a sentence.
      assertThat(code.description()).as(code.symbol()).doesNotMatch("^[A-Z][a-z].*");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogues")
  void causesAreCatalogueIds(Catalogue c) {
    for (OpenCode code : c.known()) {
      assertThat(code.causes()).as(code.symbol()).doesNotHaveDuplicates();
      assertThat(CAUSE_IDS).as(code.symbol()).containsAll(code.causes());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogues")
  void unknownValuesDecodeWithoutThrowing(Catalogue c) {
    Set<Integer> known = new HashSet<>();
    c.known().forEach(k -> known.add(k.code()));
    int[] probes = {
      Integer.MIN_VALUE, -1, 0x7FFFFFFF, 0xDEADBEEF, 0x12345, 999, 0x0FFF, 0x13, 0x1127, 0xC0000001
    };
    for (int v : probes) {
      if (known.contains(v)) {
        continue;
      }
      OpenCode code = c.valueOf().apply(v);
      assertThat(code.code()).isEqualTo(v);
      if (!code.isKnown()) {
        assertThat(code.name()).isEqualTo("UNKNOWN(" + OpenCode.hex(v) + ")");
        assertThat(code.causes()).isEmpty();
        assertThat(code.description()).contains("no name for");
      }
      // Equality is by value, so a decoded unknown equals a second decode of the same value.
      assertThat(c.valueOf().apply(v)).isEqualTo(code).hasSameHashCodeAs(code);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogues")
  void catalogueTypesDoNotEqualEachOther(Catalogue c) {
    OpenCode seven = c.valueOf().apply(7);
    for (IntFunction<? extends OpenCode> other :
        List.<IntFunction<? extends OpenCode>>of(
            DisconnectReason::valueOf, ErrorInfo::valueOf, TlsAlert::valueOf)) {
      OpenCode o = other.apply(7);
      if (o.getClass() != seven.getClass()) {
        assertThat(seven).isNotEqualTo(o);
      }
    }
  }
}

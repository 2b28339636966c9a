package dev.rdpdoctor.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.kb.KnowledgeBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CauseIdTest {
  @Test
  void constantsAndTheCatalogueAreTheSameSet() {
    Set<String> constants =
        Arrays.stream(CauseId.values()).map(CauseId::id).collect(Collectors.toSet());
    Set<String> catalogue = KnowledgeBase.get().causes().keySet();
    assertThat(constants).as("constants missing from causes.json").isSubsetOf(catalogue);
    assertThat(catalogue).as("causes.json ids without a constant").isSubsetOf(constants);
  }

  @Test
  void eachConstantIsItsIdInUpperSnakeCase() {
    for (CauseId c : CauseId.values()) {
      assertThat(c.name()).isEqualTo(c.id().toUpperCase(Locale.ROOT).replace('-', '_'));
      assertThat(CauseId.of(c.id())).isSameAs(c);
      assertThat(c.is(c.id())).isTrue();
    }
  }

  @Test
  void anUnknownIdIsRefused() {
    assertThat(CauseId.find("port-clsoed")).isEmpty();
    assertThatThrownBy(() -> CauseId.of("port-clsoed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port-clsoed");
  }

  /**
   * A cause id typed as a string is the typo {@link CauseId} exists to catch. The one exception is
   * a probe that shares its name with the cause it measures.
   */
  @Test
  void noCauseIdIsWrittenAsAStringInTheCode() throws IOException {
    Set<String> probeNames =
        Set.of("dev/rdpdoctor/probe/ConnectionLimitProbe.java connection-limit");
    Path main = Path.of("src/main/java");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
        String rel = main.relativize(f).toString().replace('\\', '/');
        if (rel.equals("dev/rdpdoctor/codes/CauseId.java")) {
          continue;
        }
        String text = Files.readString(f);
        for (CauseId c : CauseId.values()) {
          if (text.contains('"' + c.id() + '"') && !probeNames.contains(rel + " " + c.id())) {
            found.add(rel + ": \"" + c.id() + "\"");
          }
        }
      }
    }
    assertThat(found).as("use CauseId constants").isEmpty();
  }
}

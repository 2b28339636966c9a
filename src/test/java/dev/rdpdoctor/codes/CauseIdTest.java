package dev.rdpdoctor.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.kb.KnowledgeBase;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
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
}

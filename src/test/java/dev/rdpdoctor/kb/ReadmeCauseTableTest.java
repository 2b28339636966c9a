package dev.rdpdoctor.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The README's cause table is a copy of the knowledge base for readers who never open causes.json,
 * so it must not drift: every row names a cause that exists, with its group and title, and every
 * cause has a row. On a mismatch the message carries the rows as they should read, to paste between
 * the markers.
 */
class ReadmeCauseTableTest {
  static final String BEGIN = "<!-- causes:begin -->";
  static final String END = "<!-- causes:end -->";

  @Test
  void readmeCauseTableIsTheKnowledgeBase() throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README.md has the %s marker", BEGIN).isNotNegative();
    assertThat(end).as("README.md has the %s marker after %s", END, BEGIN).isGreaterThan(begin);
    Map<String, String> rows = new TreeMap<>();
    for (String line : readme.substring(begin + BEGIN.length(), end).split("\n")) {
      if (line.startsWith("| `")) {
        String id = line.substring(3, line.indexOf('`', 3));
        assertThat(rows.put(id, line.strip())).as("README row for %s appears once", id).isNull();
      }
    }
    Map<String, String> expected = new TreeMap<>();
    KnowledgeBase.get().causes().values().forEach(c -> expected.put(c.id(), row(c)));
    String wanted = String.join("\n", expected.values());
    assertThat(rows.keySet())
        .as("cause ids in the README table vs kb/causes.json; the rows should read:%n%s", wanted)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertThat(rows.get(e.getKey())).as("README row for %s", e.getKey()).isEqualTo(e.getValue());
    }
  }

  static String row(Cause c) {
    return "| `" + c.id() + "` | " + c.group() + " | " + c.title() + " |";
  }
}

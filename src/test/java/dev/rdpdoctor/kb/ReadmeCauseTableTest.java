package dev.rdpdoctor.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    // two causes to a row: the first half of the ids, sorted, down the left, the rest the right
    Map<String, String> cells = new TreeMap<>();
    for (String line : readme.substring(begin + BEGIN.length(), end).split("\n")) {
      if (line.startsWith("| `")) {
        String[] c = line.strip().substring(2, line.strip().length() - 2).split(" \\| ", -1);
        for (int i = 0; i + 2 < c.length; i += 3) {
          if (!c[i].isBlank()) {
            String id = c[i].replace("`", "");
            String cell = c[i] + " | " + c[i + 1] + " | " + c[i + 2];
            assertThat(cells.put(id, cell)).as("README cell for %s appears once", id).isNull();
          }
        }
      }
    }
    Map<String, String> expected = new TreeMap<>();
    KnowledgeBase.get().causes().values().forEach(c -> expected.put(c.id(), cell(c)));
    String wanted = String.join("\n", rows(List.copyOf(expected.values())));
    assertThat(cells.keySet())
        .as("cause ids in the README table vs kb/causes.json; the rows should read:%n%s", wanted)
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(readme.substring(begin + BEGIN.length(), end).strip())
        .as("the README table, in two sorted columns, should read:%n%s", wanted)
        .isEqualTo(HEADER + "\n" + wanted);
  }

  static final String HEADER =
      "| cause | group | meaning | cause | group | meaning |\n|---|---|---|---|---|---|";

  static String cell(Cause c) {
    return "`" + c.id() + "` | " + c.group() + " | " + c.title();
  }

  /** The cells in two columns: the first half down the left, the rest down the right. */
  static List<String> rows(List<String> sorted) {
    int half = (sorted.size() + 1) / 2;
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < half; i++) {
      String right = i + half < sorted.size() ? sorted.get(i + half) : " |  | ";
      out.add("| " + sorted.get(i) + " | " + right + " |");
    }
    return out;
  }
}

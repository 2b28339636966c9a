package dev.rdpdoctor.remedy;

import dev.rdpdoctor.diagnosis.FindingFactory;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.kb.Fix;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a saved {@code diagnose --json} report for {@code rdpdoctor fix}. Only the target and the
 * finding/fix ids are taken from it; every step and command comes from this build's knowledge base,
 * so an edited or hostile report cannot put its own code into a script.
 */
public final class ReportReader {
  /** A diagnose report is tens of KB; anything this large is the wrong file. */
  public static final int MAX_REPORT_BYTES = 8 << 20;

  private static final int MAX_FINDINGS = 200;

  private ReportReader() {}

  /** Thrown with a message fit for the user. */
  public static final class BadReport extends Exception {
    private static final long serialVersionUID = 1L;

    public BadReport(String message) {
      super(message);
    }
  }

  /** What the report asks for: the host and port as written, and the fixes it selected. */
  public record Request(String host, int port, List<SelectedFix> fixes, List<String> skipped) {}

  /**
   * @param target turns the report's host and port into a checked target (the CLI's parser), or
   *     throws BadReport
   */
  public static Request read(Path path, TargetCheck target) throws BadReport {
    JsonNode doc;
    try (InputStream in = Files.newInputStream(path)) {
      byte[] b = in.readNBytes(MAX_REPORT_BYTES + 1);
      if (b.length > MAX_REPORT_BYTES) {
        throw new BadReport(path + ": larger than " + MAX_REPORT_BYTES + " bytes, not a report");
      }
      doc = JsonMapper.builder().build().readTree(b);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new BadReport(path + ": no such file");
    } catch (IOException | JacksonException e) {
      throw new BadReport(
          path
              + ": not a JSON report from 'rdpdoctor diagnose --json' ("
              + firstLine(e.getMessage())
              + ")");
    }
    JsonNode t = doc.path("target");
    if (!t.path("host").isString() || !t.path("port").isIntegralNumber()) {
      throw new BadReport(
          path
              + ": no target.host/target.port: not a report from"
              + " 'rdpdoctor diagnose --json'");
    }
    Target checked = target.check(t.path("host").asString(), t.path("port").asInt());
    JsonNode findings = doc.path("findings");
    if (!findings.isArray()) {
      throw new BadReport(path + ": no findings[] array");
    }
    KnowledgeBase kb = KnowledgeBase.get();
    Map<String, Fix> fixes = new LinkedHashMap<>();
    Map<String, Set<String>> causes = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    int n = 0;
    for (JsonNode f : findings) {
      if (++n > MAX_FINDINGS) {
        skipped.add("findings after the first " + MAX_FINDINGS);
        break;
      }
      String cause = f.path("cause").asString("");
      String sev = f.path("severity").asString("");
      if (!sev.equals("fail") && !sev.equals("warn")) {
        continue; // information notes and 'healthy' need no fix
      }
      if (kb.cause(cause).isEmpty()) {
        skipped.add("unknown cause '" + clip(cause) + "'");
        continue;
      }
      Set<String> known = new LinkedHashSet<>(kb.cause(cause).get().fixes());
      for (JsonNode x : f.path("fixes")) {
        String id = x.path("id").asString("");
        if (!known.contains(id)) {
          skipped.add("fix '" + clip(id) + "' is not a fix for " + cause);
          continue;
        }
        fixes.putIfAbsent(id, FindingFactory.forTarget(kb.fix(id).orElseThrow(), checked));
        causes.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(cause);
      }
    }
    List<SelectedFix> out = new ArrayList<>();
    fixes.forEach((id, x) -> out.add(new SelectedFix(x, new ArrayList<>(causes.get(id)))));
    return new Request(checked.host(), checked.port(), out, skipped);
  }

  /** Validates the report's host and port like a command-line target. */
  @FunctionalInterface
  public interface TargetCheck {
    Target check(String host, int port) throws BadReport;
  }

  private static String clip(String s) {
    String one = s.replaceAll("\\p{Cntrl}", " ");
    return one.length() <= 40 ? one : one.substring(0, 40) + "...";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

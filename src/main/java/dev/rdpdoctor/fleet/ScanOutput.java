package dev.rdpdoctor.fleet;

import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.report.JsonReport;
import dev.rdpdoctor.report.Report;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where each finished host goes, one host at a time and in one step: its NDJSON line, its CSV row,
 * its state line, and its summary for the end-of-scan reports. After {@link #close} (an interrupt)
 * nothing more is written, so every output names the same finished hosts.
 */
public final class ScanOutput implements AutoCloseable {
  private final String toolVersion;
  private final Policy policy;
  private final Instant now;
  private final PrintWriter ndjson;
  private final CsvReport csv;
  private final ScanState state;
  private final List<HostSummary> summaries = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private boolean closed;

  /**
   * @param ndjson stdout for --json, or null
   * @param csv the --csv writer, or null
   * @param state the --resume file, or null; its earlier hosts join the summaries
   * @param now the scan's start, for certificate days in the policy
   */
  public ScanOutput(
      String toolVersion,
      Policy policy,
      Instant now,
      PrintWriter ndjson,
      Writer csv,
      ScanState state)
      throws IOException {
    this.toolVersion = toolVersion;
    this.policy = policy;
    this.now = now;
    this.ndjson = ndjson;
    this.csv = csv == null ? null : new CsvReport(csv);
    this.state = state;
    if (state != null) {
      for (HostSummary h : state.previous()) {
        HostSummary s = policy == null ? h.withPolicy(null) : h.withPolicy(policy.evaluate(h, now));
        summaries.add(s);
        if (this.csv != null) {
          this.csv.row(s);
        }
      }
    }
  }

  /** One host's report and summary, written before the next host's. */
  public synchronized void accept(RunResult r) {
    if (closed) {
      return;
    }
    HostSummary s = HostSummary.of(r);
    if (policy != null) {
      s = s.withPolicy(policy.evaluate(s, now));
    }
    try {
      if (ndjson != null) {
        ndjson.println(line(new Report(toolVersion, r.evidence(), r.diagnosis()), s.policy()));
        ndjson.flush();
      }
      if (csv != null) {
        csv.row(s);
      }
      if (state != null) {
        state.record(s);
      }
    } catch (IOException | RuntimeException e) {
      if (errors.size() < 10) {
        errors.add(s.target() + ": " + e.getMessage());
      }
    }
    summaries.add(s);
  }

  /**
   * The diagnose --json document on one line, plus the policy result; the probe timings and this
   * machine's interface list (the same for every host) are left out.
   */
  static String line(Report report, PolicyResult policy) {
    Map<String, Object> doc = JsonReport.document(report);
    ObjectNode node = JsonReport.MAPPER.valueToTree(doc);
    if (node.get("probes") instanceof ObjectNode probes) {
      probes.remove("timings");
      if (probes.get("path") instanceof ObjectNode path) {
        path.remove("interfaces");
      }
    }
    if (policy != null) {
      node.set("policy", JsonReport.MAPPER.valueToTree(policy));
    }
    return JsonReport.MAPPER
        .writer()
        .without(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(node);
  }

  /** Every host finished so far (earlier runs included), in the order they finished. */
  public synchronized List<HostSummary> summaries() {
    return List.copyOf(summaries);
  }

  /** Write errors (a full disk ...), at most ten. */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  /**
   * The exit code: with a policy 0 when every host complies, else 2; without, the worst verdict,
   * failure ranked above unknown above warning.
   */
  public synchronized int exitCode(boolean inputProblems) {
    int rank = inputProblems ? 2 : 0;
    if (policy != null) {
      boolean bad = summaries.stream().anyMatch(s -> !s.policy().compliant());
      return bad ? Verdict.FAIL.exitCode() : rank == 0 ? 0 : Verdict.UNKNOWN.exitCode();
    }
    for (HostSummary s : summaries) {
      rank = Math.max(rank, rank(s.verdict()));
    }
    return switch (rank) {
      case 0 -> Verdict.OK.exitCode();
      case 1 -> Verdict.WARN.exitCode();
      case 2 -> Verdict.UNKNOWN.exitCode();
      default -> Verdict.FAIL.exitCode();
    };
  }

  private static int rank(Verdict v) {
    return switch (v) {
      case OK -> 0;
      case WARN -> 1;
      case UNKNOWN -> 2;
      case FAIL -> 3;
    };
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (ndjson != null) {
        ndjson.flush();
      }
      if (csv != null) {
        csv.close();
      }
    } finally {
      if (state != null) {
        state.close();
      }
    }
  }
}

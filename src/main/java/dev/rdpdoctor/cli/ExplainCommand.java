package dev.rdpdoctor.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rdpdoctor.codes.CodeLookup.DecodedCode;
import dev.rdpdoctor.codes.CodeLookup.Explanation;
import dev.rdpdoctor.codes.CodeLookup.Interpretation;
import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.diagnosis.EventLogDiagnoser;
import dev.rdpdoctor.kb.ClientCodeAdvice;
import dev.rdpdoctor.kb.ClientCodeAdvice.Explained;
import dev.rdpdoctor.kb.ClientCodeAdvice.RankedCause;
import dev.rdpdoctor.kb.ClientCodeAdvice.Step;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.report.JsonReport;
import dev.rdpdoctor.sources.eventlog.LogFile;
import dev.rdpdoctor.sources.eventlog.LogFileReader;
import dev.rdpdoctor.sources.eventlog.LogFormat;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code rdpdoctor explain CODE [EXTENDED]}: decodes client and server codes offline. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Decode an RDP error code offline: what it means, the causes people meet behind it in "
          + "practice (most likely first) and the check that confirms each.",
      "",
      "With two codes, reads them as mstsc shows them: \"Error code: 0x904, Extended error "
          + "code: 0x7\" is 'rdpdoctor explain 0x904 0x7'."
    },
    footer = {
      "",
      "Codes may be hex (0x904, 904h, C000006D) or decimal (2308, -1073741715).",
      "Exit status: 0 every code decoded, 3 unknown code or usage error.",
      "With --trace: 0 nothing wrong found, 1 warning, 2 a cause found, 3 nothing to conclude "
          + "or an unreadable file."
    })
final class ExplainCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "CODE",
      arity = "0..1",
      description =
          "the code (mstsc's \"Error code\", an event's Reason or Status, a FreeRDP "
              + "error, a TLS alert ...)")
  String code;

  @Parameters(
      index = "1",
      paramLabel = "EXTENDED",
      arity = "0..1",
      description = "mstsc's \"Extended error code\"; CODE is then read as the disconnect reason")
  String extended;

  @Option(names = "--json", description = "print one JSON document on stdout")
  boolean json;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "read an RD Gateway client "
              + "trace (RDGClientTrace) instead of a code: the HTTP statuses, HRESULTs and error lines "
              + "in it, and the causes they point to (best-effort: the format is undocumented)")
  java.nio.file.Path trace;

  @Spec CommandSpec spec;

  /**
   * What --json prints; property names become snake_case. {@code probableCauses} are what the code
   * itself says; {@code fieldCauses} what is met in practice behind it, ranked.
   */
  record Output(
      List<String> query,
      boolean decoded,
      String summary,
      String meaning,
      String source,
      List<DecodedCode> codes,
      List<String> probableCauses,
      List<RankedCause> fieldCauses,
      List<Step> nextSteps,
      String error) {}

  @Override
  public Integer call() {
    if (trace != null || code == null) {
      return traceOrUsage();
    }
    Explained x = ClientCodeAdvice.get().explain(code, extended);
    Explanation e = x.codes();
    String error =
        e.codes().stream().map(DecodedCode::error).filter(m -> m != null).findFirst().orElse(null);
    PrintWriter out = spec.commandLine().getOut();
    if (error != null) {
      spec.commandLine().getErr().println("rdpdoctor: " + error);
      spec.commandLine().getErr().println("Try 'rdpdoctor explain --help'.");
    }
    if (json) {
      List<String> query = extended == null ? List.of(code) : List.of(code, extended);
      out.println(
          mapper()
              .writeValueAsString(
                  new Output(
                      query,
                      x.decoded(),
                      x.summary(),
                      x.advice().meaning(),
                      x.advice().source(),
                      e.codes(),
                      e.probableCauses(),
                      x.advice().fieldCauses(),
                      x.advice().nextSteps(),
                      error)));
    } else if (error == null) {
      printText(out, x, spec.commandLine().getColorScheme().ansi());
    }
    out.flush();
    return x.decoded() ? Main.EXIT_OK : Main.EXIT_UNKNOWN;
  }

  /** explain --trace FILE: the trace read as {@code rdpdoctor logs} reads one. */
  private Integer traceOrUsage() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (trace == null || code != null) {
      err.println("rdpdoctor: give either a CODE or --trace FILE");
      err.println("Try 'rdpdoctor explain --help'.");
      err.flush();
      return Main.EXIT_UNKNOWN;
    }
    LogFile f = LogFileReader.read(trace, null, LogFormat.RDG_CLIENT_TRACE);
    if (f.format() == null) {
      err.println("rdpdoctor: " + trace + ": " + f.errors().get(0).message());
      err.flush();
      return Main.EXIT_UNKNOWN;
    }
    Diagnosis d =
        EventLogDiagnoser.diagnose(
            f.events(), List.of(f.path()), KnowledgeBase.get(), java.time.Clock.systemUTC());
    if (json) {
      out.println(
          JsonReport.MAPPER.writeValueAsString(LogsCommand.document(List.of(f), f.events(), d)));
    } else {
      LogsCommand.text(out, List.of(f), f.events(), d);
    }
    out.flush();
    return d.verdict().exitCode();
  }

  static JsonMapper mapper() {
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        .changeDefaultPropertyInclusion(
            incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build();
  }

  // Only fixed labels pass through the markup: codes come from the user and are printed as-is.
  private static void printText(PrintWriter out, Explained x, Ansi ansi) {
    Explanation e = x.codes();
    out.println(x.summary());
    for (DecodedCode c : e.codes()) {
      out.println();
      out.println(
          ansi.string("@|bold " + heading(c) + "|@")
              + " "
              + c.hex()
              + " ("
              + c.value()
              + (c.signed() != null ? ", signed " + c.signed() : "")
              + ")");
      if (c.interpretations().isEmpty()) {
        out.println(
            c == e.codes().get(0) && x.advice().meaning() != null
                ? "  " + x.advice().meaning()
                : "  not a code rdpdoctor knows");
        continue;
      }
      int n = 1;
      for (Interpretation i : c.interpretations()) {
        String prefix = c.interpretations().size() > 1 ? "  " + n++ + ". " : "  ";
        out.println(prefix + i.symbol() + "  [" + i.tableTitle() + "]");
        out.println(" ".repeat(prefix.length()) + i.description());
      }
    }
    if (!e.probableCauses().isEmpty()) {
      out.println();
      out.println(ansi.string("@|bold What the code says|@") + ":");
      for (String cause : e.probableCauses()) {
        out.println("  - " + cause);
      }
    }
    List<RankedCause> field = x.advice().fieldCauses();
    if (!field.isEmpty()) {
      out.println();
      out.println(ansi.string("@|bold Causes met in practice|@") + " (most likely first):");
      for (RankedCause r : field) {
        out.println(
            "  "
                + r.rank()
                + ". "
                + r.cause()
                + (r.literal() ? "  (what the code says)" : "")
                + ": "
                + r.title());
        out.println("     " + r.reason());
        if (!r.checks().isEmpty()) {
          out.println("     check: " + r.checks().get(0).command());
        }
      }
    }
    if (!x.advice().nextSteps().isEmpty()) {
      out.println();
      out.println(ansi.string("@|bold To confirm|@") + ", run:");
      for (Step s : x.advice().nextSteps()) {
        out.println("  " + s.command());
        out.println("      " + s.why());
      }
    }
  }

  private static String heading(DecodedCode c) {
    return switch (c.role()) {
      case "disconnect_reason" -> "Error code";
      case "extended_reason" -> "Extended error code";
      default -> "Code";
    };
  }
}

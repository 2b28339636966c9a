package dev.rdpdoctor.cli;

import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TargetParser;
import dev.rdpdoctor.remedy.ReportReader;
import dev.rdpdoctor.remedy.ScriptGenerator;
import dev.rdpdoctor.remedy.ScriptWriter;
import dev.rdpdoctor.remedy.SelectedFix;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rdpdoctor fix --from report.json --out DIR}: remediation scripts from a diagnosis. */
@Command(
    name = "fix",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Write remediation scripts for the fixes a saved diagnosis selected: "
          + "PowerShell for the client and the server (each with an undo script), .reg files "
          + "and the manual steps. Nothing is run and no machine is changed.",
      "Exit codes: 0 scripts written, 3 unreadable report, folder not empty, or usage error."
    })
final class FixCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "REPORT",
      description = "A report saved from 'rdpdoctor diagnose --json'.")
  Path from;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Folder for the scripts (created if needed; existing files are never " + "replaced).")
  Path out;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    ReportReader.Request req;
    try {
      req = ReportReader.read(from, FixCommand::checkTarget);
    } catch (ReportReader.BadReport e) {
      err.println("rdpdoctor: " + e.getMessage());
      return Main.EXIT_UNKNOWN;
    }
    req.skipped().forEach(s -> err.println("rdpdoctor: ignored " + s));
    Target t;
    try {
      t = checkTarget(req.host(), req.port());
    } catch (ReportReader.BadReport e) {
      err.println("rdpdoctor: " + e.getMessage());
      return Main.EXIT_UNKNOWN;
    }
    return write(spec.commandLine().getOut(), err, t, req.fixes(), out);
  }

  static Target checkTarget(String host, int port) throws ReportReader.BadReport {
    try {
      String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
      return TargetParser.parse(h, port, ClientProfile.WINDOWS);
    } catch (TargetParser.BadTarget e) {
      throw new ReportReader.BadReport("the report's target: " + e.getMessage());
    }
  }

  /** Shared with diagnose --fix-script. */
  static int write(PrintWriter out, PrintWriter err, Target t, List<SelectedFix> fixes, Path dir) {
    List<ScriptGenerator.GeneratedFile> files = ScriptGenerator.generate(t, fixes);
    try {
      List<Path> written = ScriptWriter.write(dir, files);
      out.println("rdpdoctor: " + fixes.size() + " fix(es) for " + t.display() + "; wrote:");
      written.forEach(p -> out.println("  " + p));
      out.println(
          "Review the scripts, run the *-fix.ps1 on the side it names; *-undo.ps1"
              + " reverts it.");
      out.flush();
      return Main.EXIT_OK;
    } catch (IOException e) {
      err.println("rdpdoctor: cannot write the scripts: " + e.getMessage());
      return Main.EXIT_UNKNOWN;
    }
  }
}

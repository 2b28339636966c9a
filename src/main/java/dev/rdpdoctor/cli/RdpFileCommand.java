package dev.rdpdoctor.cli;

import dev.rdpdoctor.evidence.RdpFileEvidence;
import dev.rdpdoctor.evidence.RdpFileIssue;
import dev.rdpdoctor.report.JsonReport;
import dev.rdpdoctor.sources.rdpfile.RdpFile;
import dev.rdpdoctor.sources.rdpfile.RdpFileLinter;
import dev.rdpdoctor.sources.rdpfile.RdpFileParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rdpdoctor rdpfile lint F}: what in an .rdp file breaks or weakens the connection. */
@Command(
    name = "rdpfile",
    mixinStandardHelpOptions = true,
    description = "Work with .rdp connection files.",
    subcommands = RdpFileCommand.Lint.class)
final class RdpFileCommand {

  @Command(
      name = "lint",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Check an .rdp file without touching the network: contradictions, values "
            + "that break or weaken the connection, unreadable lines, stale entries.",
        "Exit codes: 0 nothing found (or notes only), 1 warnings, 2 errors, 3 unreadable "
            + "file or usage error."
      })
  static final class Lint implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .rdp file.")
    Path file;

    @Option(names = "--json", description = "Print one JSON document on stdout.")
    boolean json;

    @Option(
        names = "--fix-out",
        paramLabel = "FILE",
        description = "Write a corrected copy here (a new file; the original is never changed).")
    Path fixOut;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      RdpFile parsed;
      try {
        parsed = RdpFileParser.read(file);
      } catch (RdpFileParser.Unreadable e) {
        err.println("rdpdoctor: " + e.getMessage());
        return Main.EXIT_UNKNOWN;
      }
      List<RdpFileLinter.Lint> lints = RdpFileLinter.lint(parsed);
      RdpFileEvidence ev = RdpFileLinter.evidence(file.toString(), parsed, lints);
      String written = null;
      if (fixOut != null) {
        try {
          written = writeCorrected(parsed, lints);
        } catch (IOException e) {
          err.println("rdpdoctor: " + e.getMessage());
          return Main.EXIT_UNKNOWN;
        }
      }
      int exit = exitCode(ev);
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", ev);
        doc.put("exit_code", exit);
        if (written != null) {
          doc.put("corrected_copy", written);
        }
        out.println(JsonReport.MAPPER.writeValueAsString(doc));
      } else {
        text(out, ev, written);
      }
      out.flush();
      return exit;
    }

    private String writeCorrected(RdpFile parsed, List<RdpFileLinter.Lint> lints)
        throws IOException {
      Path target = fixOut.toAbsolutePath().normalize();
      if (Files.exists(target) && Files.isSameFile(target, file)) {
        throw new IOException(
            fixOut
                + " is the file being checked; the original is never"
                + " overwritten: give a new file name");
      }
      byte[] bytes = RdpFileLinter.corrected(parsed, lints).toBytes();
      try {
        // CREATE_NEW: never replace an existing file, whatever it is
        Files.write(target, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        throw new IOException(fixOut + " already exists; the corrected copy goes to a new file");
      }
      return target.toString();
    }

    private static int exitCode(RdpFileEvidence ev) {
      boolean error = ev.issues().stream().anyMatch(i -> i.severity().equals("error"));
      boolean warn =
          !ev.problems().isEmpty()
              || ev.issues().stream().anyMatch(i -> i.severity().equals("warning"));
      return error ? Main.EXIT_FAIL : warn ? Main.EXIT_WARN : Main.EXIT_OK;
    }

    private static void text(PrintWriter out, RdpFileEvidence ev, String written) {
      out.println(ev.path() + " (" + ev.encoding() + ", " + ev.settings() + " settings)");
      out.println(
          "  connects to  " + (ev.host() == null ? "(nothing)" : ev.host() + ":" + ev.port()));
      if (ev.gateway().hostname() != null || ev.gateway().usageMethod() != null) {
        out.println(
            "  gateway      "
                + (ev.gateway().hostname() == null ? "(none)" : ev.gateway().hostname())
                + (ev.gateway().used() ? " (used)" : " (not used)"));
      }
      if (ev.avd() != null) {
        out.println(
            "  kind         Azure Virtual Desktop / Windows 365: the AVD gateway with a"
                + " token, not an RD Gateway login");
      }
      if (ev.issues().isEmpty() && ev.problems().isEmpty()) {
        out.println("No problems found.");
      }
      for (String p : ev.problems()) {
        out.println("  line " + p);
      }
      for (RdpFileIssue i : ev.issues()) {
        out.println(
            String.format(
                "  %-7s %s %s: %s",
                i.severity(), i.line() > 0 ? "line " + i.line() : "file", i.rule(), i.message()));
        if (i.fix() != null) {
          out.println("          fix: " + i.fix());
        }
      }
      if (written != null) {
        out.println(
            "Corrected copy written to "
                + written
                + " (same encoding; the original is"
                + " unchanged).");
      }
    }
  }
}

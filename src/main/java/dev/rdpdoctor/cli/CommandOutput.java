package dev.rdpdoctor.cli;

import dev.rdpdoctor.evidence.TerminalText;
import dev.rdpdoctor.report.JsonReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * What every command's streams go through, whatever the command: its messages on stderr made inert
 * for a terminal ({@link TerminalText}), and the rule of docs/json-errors.md: with {@code --json},
 * stdout carries exactly one JSON document, so a command that ends with exit 3 and printed nothing
 * on stdout (a usage error: a bad host, an unreadable file) gets an error document there, its
 * stderr message inside.
 */
final class CommandOutput {
  /** The error document's kinds. */
  static final String USAGE = "usage";

  static final String INTERNAL = "internal";

  private CommandOutput() {}

  /** --json among the raw arguments: the parse failed, so no option model to ask. */
  static boolean jsonAsked(String[] argv) {
    for (String a : argv) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("--json")) {
        return true;
      }
    }
    return false;
  }

  static boolean jsonAsked(ParseResult pr) {
    for (ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--json")) {
        return true;
      }
    }
    return false;
  }

  /** {"error": {"kind", "message"}, "exit_code": 3}, formatted as the reports are. */
  static void printError(PrintWriter out, String kind, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("kind", kind);
    error.put("message", message);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("error", error);
    doc.put("exit_code", Main.EXIT_UNKNOWN);
    out.println(JsonReport.MAPPER.writeValueAsString(doc));
    out.flush();
  }

  /** Runs the parsed command with its streams wrapped as described above. */
  static int execute(ParseResult pr) {
    ParseResult last = pr;
    while (last.subcommand() != null) {
      last = last.subcommand();
    }
    CommandLine leaf = last.commandSpec().commandLine();
    PrintWriter out = leaf.getOut();
    PrintWriter err = leaf.getErr();
    Watched stdout = new Watched(out, null);
    StringWriter said = new StringWriter();
    Watched stderr = new Watched(err, said);
    leaf.setOut(new PrintWriter(stdout, true));
    leaf.setErr(new PrintWriter(stderr, true));
    int rc;
    try {
      rc = new CommandLine.RunLast().execute(pr);
    } finally {
      leaf.getOut().flush();
      leaf.getErr().flush();
      leaf.setOut(out);
      leaf.setErr(err);
    }
    if (rc == Main.EXIT_UNKNOWN && !stdout.written && jsonAsked(pr)) {
      printError(out, USAGE, message(said.toString()));
    }
    return rc;
  }

  /** The command's stderr text without the program prefix and the "Try --help" hint. */
  static String message(String stderr) {
    List<String> lines = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || (l.startsWith("Try '") && l.endsWith("--help'."))) {
        continue;
      }
      lines.add(l.startsWith("rdpdoctor: ") ? l.substring("rdpdoctor: ".length()) : l);
    }
    return lines.isEmpty() ? "usage error" : String.join("\n", lines);
  }

  /**
   * Passes text on; notes whether any was written; with a copy, also keeps it and escapes controls
   * other than line breaks (stderr carries messages, never binary).
   */
  private static final class Watched extends Writer {
    private final Writer target;
    private final StringWriter copy;
    volatile boolean written;

    Watched(Writer target, StringWriter copy) {
      this.target = target;
      this.copy = copy;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      if (len <= 0) {
        return;
      }
      written = true;
      if (copy == null) {
        target.write(buf, off, len);
        return;
      }
      String s = TerminalText.safeKeepingLines(new String(buf, off, len));
      target.write(s);
      copy.write(s);
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}

package dev.rdpdoctor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code rdpdoctor diagnose HOST} and friends. */
@Command(
    name = "rdpdoctor",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Tells why a Remote Desktop connection fails, and how to fix it.",
    subcommands = {DiagnoseCommand.class, ExplainCommand.class, LogsCommand.class,
        RdpFileCommand.class, FixCommand.class, SelftestCommand.class})
public final class Main {
  /** Exit codes follow the monitoring-plugin convention (DESIGN.md §5). */
  public static final int EXIT_OK = 0;
  public static final int EXIT_WARN = 1;
  public static final int EXIT_FAIL = 2;
  public static final int EXIT_UNKNOWN = 3;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code; never lets an exception escape. */
  public static int run(String... args) {
    CommandLine cl = commandLine();
    return cl.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    cl.setExitCodeExceptionMapper(t -> EXIT_UNKNOWN);
    // Usage errors (typos, bad values) are "unknown" in the plugin convention, not "fail".
    cl.setParameterExceptionHandler((ex, argv) -> {
      CommandLine c = ex.getCommandLine();
      c.getErr().println("rdpdoctor: " + ex.getMessage());
      c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
      return EXIT_UNKNOWN;
    });
    cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
      c.getErr().println("rdpdoctor: internal error: " + ex
          + " (please report it; run with --debug for details)");
      if (Boolean.getBoolean("rdpdoctor.debug")) {
        ex.printStackTrace(c.getErr());
      }
      return EXIT_UNKNOWN;
    });
    return cl;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"rdpdoctor " + (v == null ? "dev" : v)};
    }
  }
}

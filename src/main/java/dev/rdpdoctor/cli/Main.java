package dev.rdpdoctor.cli;

import dev.rdpdoctor.evidence.TerminalText;
import dev.rdpdoctor.kb.ClientCodeAdvice;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code rdpdoctor diagnose HOST} and friends. */
@Command(
    name = "rdpdoctor",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Tells why a Remote Desktop connection fails, and how to fix it.")
public final class Main {
  /** Exit codes follow the monitoring-plugin convention (DESIGN.md §5). */
  public static final int EXIT_OK = 0;

  public static final int EXIT_WARN = 1;
  public static final int EXIT_FAIL = 2;
  public static final int EXIT_UNKNOWN = 3;

  /** The subcommands, in the order --help lists them. */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

  static {
    SUBCOMMANDS.put("diagnose", DiagnoseCommand::new);
    SUBCOMMANDS.put("scan", ScanCommand::new);
    SUBCOMMANDS.put("explain", ExplainCommand::new);
    SUBCOMMANDS.put("logs", LogsCommand::new);
    SUBCOMMANDS.put("rdpfile", RdpFileCommand::new);
    SUBCOMMANDS.put("fix", FixCommand::new);
    SUBCOMMANDS.put("selftest", SelftestCommand::new);
    SUBCOMMANDS.put("serve", ServeCommand::new);
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code; never lets an exception escape. */
  public static int run(String... args) {
    String first = args.length > 0 ? args[0] : null;
    if ("explain".equals(first)) {
      // explain's answer comes from the two knowledge-base files; on a cold JVM reading them
      // (about 90 ms) takes as long as building the command line, so the second core does it
      Thread.ofPlatform().daemon().name("rdpdoctor-kb").start(Main::preload);
    }
    CommandLine cl = commandLine(first);
    return cl.execute(args);
  }

  private static void preload() {
    try {
      ClientCodeAdvice.get();
    } catch (RuntimeException e) {
      // the command itself loads it again and reports what is wrong, as its own error
    }
  }

  /** The whole command line, every subcommand built. */
  static CommandLine commandLine() {
    return commandLine(null);
  }

  /**
   * Building a subcommand's model is reflection over its options, most of picocli's start-up on a
   * cold JVM; when the first argument names a subcommand, only that one is built.
   */
  static CommandLine commandLine(String first) {
    CommandLine cl = new CommandLine(new Main());
    if (first != null && SUBCOMMANDS.containsKey(first)) {
      cl.addSubcommand(first, SUBCOMMANDS.get(first).get());
    } else {
      SUBCOMMANDS.forEach((name, make) -> cl.addSubcommand(name, make.get()));
    }
    // scan reads @FILE itself (nmap XML, masscan lists, line numbers in messages)
    cl.setExpandAtFiles(!"scan".equals(first));
    cl.setExitCodeExceptionMapper(t -> EXIT_UNKNOWN);
    cl.setExecutionStrategy(CommandOutput::execute);
    // Usage errors (typos, bad values) are "unknown" in the plugin convention, not "fail".
    cl.setParameterExceptionHandler(
        (ex, argv) -> {
          CommandLine c = ex.getCommandLine();
          String message = TerminalText.safe(ex.getMessage());
          c.getErr().println("rdpdoctor: " + message);
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
          if (CommandOutput.jsonAsked(argv)) {
            CommandOutput.printError(c.getOut(), CommandOutput.USAGE, message);
          }
          return EXIT_UNKNOWN;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          String message = "internal error: " + TerminalText.safe(ex.toString());
          c.getErr()
              .println(
                  "rdpdoctor: "
                      + message
                      + " (please report it;"
                      + " RDPDOCTOR_OPTS=-Drdpdoctor.debug=true shows the stack trace)");
          if (Boolean.getBoolean("rdpdoctor.debug")) {
            ex.printStackTrace(c.getErr());
          }
          if (CommandOutput.jsonAsked(parseResult)) {
            CommandOutput.printError(c.getOut(), CommandOutput.INTERNAL, message);
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

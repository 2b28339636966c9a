package dev.rdpdoctor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Placeholder: decodes client and server codes offline (being written). */
@Command(name = "explain", description = "Decode an RDP error code offline.")
final class ExplainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CODE")
  String code;

  @Override
  public Integer call() {
    return Main.EXIT_UNKNOWN;
  }
}

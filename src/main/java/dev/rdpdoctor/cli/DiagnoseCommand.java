package dev.rdpdoctor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Placeholder: the main job (being written). */
@Command(name = "diagnose", description = "Probe an RDP server and say why connecting fails.")
final class DiagnoseCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "HOST[:PORT]")
  String target;

  @Override
  public Integer call() {
    return Main.EXIT_UNKNOWN;
  }
}

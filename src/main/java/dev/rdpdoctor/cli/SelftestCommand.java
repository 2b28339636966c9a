package dev.rdpdoctor.cli;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.diagnosis.Diagnoser;
import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.probe.ProbeEngine;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.TlsProbe;
import dev.rdpdoctor.probe.WireTrace;
import dev.rdpdoctor.report.JsonReport;
import dev.rdpdoctor.report.Report;
import dev.rdpdoctor.report.TextReport;
import dev.rdpdoctor.selftest.LoopbackRdpServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the whole diagnosis against a built-in RDP listener on the loopback address: proves the tool
 * works on this machine (JDK, TLS stack) without sending a packet off it. The launcher also uses it
 * to build the class cache that makes later runs start fast.
 */
@Command(
    name = "selftest",
    mixinStandardHelpOptions = true,
    description = "Check rdpdoctor itself: a full diagnose against a built-in loopback server.")
final class SelftestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--show", description = "Print the report of the loopback diagnosis.")
  boolean show;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (LoopbackRdpServer server = LoopbackRdpServer.start()) {
      Target target =
          new Target(server.address().getHostAddress(), server.port(), true, ClientProfile.WINDOWS);
      Evidence e =
          new ProbeEngine(ProbeEngine.ProbeOptions.defaults(), TlsProbe::run)
              .run(target, ProbeListener.NONE, WireTrace.NONE);
      Diagnosis d = Diagnoser.standard().diagnose(e);
      Report r = new Report("selftest", e, d);
      String text = new TextReport(false).render(r);
      String json = JsonReport.render(r);
      if (show) {
        out.print(text);
        out.println(json);
      }
      // The loopback server is healthy but reached by address, so the certificate's name
      // (localhost) does not cover it: the expected top finding is that warning.
      String top = d.findings().get(0).cause();
      boolean tlsOk = e.tls() != null && e.tls().ok();
      if (tlsOk && top.equals(CauseId.CERT_NAME_MISMATCH.id())) {
        out.printf(
            "selftest: ok (%s, %s, %d ms)%n", e.tls().version(), e.tls().cipherSuite(), e.millis());
        return Main.EXIT_OK;
      }
      out.printf(
          "selftest: FAILED: expected a TLS handshake and cert-name-mismatch, got %s"
              + " (TLS %s)%n",
          top, e.tls() == null ? "not run" : e.tls().status());
      return Main.EXIT_FAIL;
    }
  }
}

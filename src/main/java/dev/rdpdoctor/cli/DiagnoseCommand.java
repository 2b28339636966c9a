package dev.rdpdoctor.cli;

import dev.rdpdoctor.diagnosis.Diagnoser;
import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.probe.ProbeEngine;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.TlsProbe;
import dev.rdpdoctor.probe.WireTrace;
import dev.rdpdoctor.report.JsonReport;
import dev.rdpdoctor.report.Report;
import dev.rdpdoctor.report.TextReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import dev.rdpdoctor.probe.CredSspProbe;
import dev.rdpdoctor.probe.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The main job: probe a server as a client would and say why connecting fails. */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Probe an RDP server the way a client does and say why connecting fails.",
        "Exit codes: 0 ok, 1 warning, 2 failure found, 3 unknown or usage error."})
final class DiagnoseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "HOST[:PORT]",
      description = "Server name or address, as typed in the client; [v6addr]:port for IPv6.")
  String target;

  @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default 3389).")
  Integer port;

  @Option(names = "--client-profile", paramLabel = "NAME", defaultValue = "windows",
      description = "What the client offers: windows (TLS + CredSSP, default), no-nla (CredSSP "
          + "off), freerdp2, freerdp3.")
  String profile;

  @Mixin
  CredentialOptions credentials = new CredentialOptions();

  @Option(names = "--json", description = "Print one JSON document on stdout.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "8",
      description = "Deadline for each probe (default ${DEFAULT-VALUE} s).")
  double timeout;

  @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = "4",
      description = "Deadline for each TCP connect (default ${DEFAULT-VALUE} s).")
  double connectTimeout;

  @Option(names = "--quick",
      description = "Only the client's own offer: skip trying each security protocol and TLS "
          + "version alone.")
  boolean quick;

  @Option(names = "--trace", description = "Dump every byte sent and received to stderr.")
  boolean trace;

  @Option(names = {"-v", "--verbose"}, description = "Show progress even when not on a terminal.")
  boolean verbose;

  @Option(names = {"-q", "--quiet"}, description = "No progress output.")
  boolean quiet;

  @Option(names = "--no-color", description = "No colour (also: the NO_COLOR variable).")
  boolean noColor;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ClientProfile clientProfile = ClientProfile.byName(profile).orElse(null);
    if (clientProfile == null) {
      err.println("rdpdoctor: unknown client profile '" + profile + "'; choose one of "
          + ClientProfile.ALL.stream().map(ClientProfile::name).collect(Collectors.joining(", ")));
      return Main.EXIT_UNKNOWN;
    }
    if (!(timeout > 0 && timeout <= 120) || !(connectTimeout > 0 && connectTimeout <= 120)) {
      err.println("rdpdoctor: timeouts must be between 0 and 120 seconds");
      return Main.EXIT_UNKNOWN;
    }
    Target t;
    try {
      t = TargetParser.parse(target, port, clientProfile);
    } catch (TargetParser.BadTarget e) {
      err.println("rdpdoctor: " + e.getMessage());
      return Main.EXIT_UNKNOWN;
    }
    Credentials creds;
    try {
      creds = credentials.resolve(System.console());
    } catch (CredentialOptions.CredentialError e) {
      err.println("rdpdoctor: " + e.getMessage());
      return Main.EXIT_UNKNOWN;
    }
    try {
      return run(t, clientProfile, creds, out);
    } finally {
      if (creds != null) {
        creds.destroy();
      }
    }
  }

  private int run(Target t, ClientProfile clientProfile, Credentials creds, PrintWriter out) {
    // Loading the knowledge base and the JSON mapper costs a few hundred milliseconds of class
    // loading on a cold JVM; do it while the probes wait on the network.
    Thread warmUp = Thread.ofVirtual().start(() -> {
      KnowledgeBase.get();
      if (json) {
        JsonReport.MAPPER.getTypeFactory();
      }
    });
    ProbeEngine.ProbeOptions defaults = ProbeEngine.ProbeOptions.defaults();
    ProbeEngine.ProbeOptions options = new ProbeEngine.ProbeOptions(
        defaults.dnsTimeout(), millis(connectTimeout), millis(timeout),
        defaults.livenessTimeout(), !quick, !quick);
    boolean progress = !quiet && (verbose || Terminal.interactive());
    ProbeListener listener = progress ? new ProgressPrinter(System.err) : ProbeListener.NONE;
    WireTrace wire = trace ? WireTrace.to(System.err, 4096) : WireTrace.NONE;
    if (progress) {
      System.err.println("rdpdoctor: diagnosing " + t.display() + " as client '"
          + clientProfile.name() + "' ...");
    }
    Evidence evidence = new ProbeEngine(options, TlsProbe::run,
        java.util.List.of(CredSspProbe.step(creds))).run(t, listener, wire);
    try {
      warmUp.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Diagnosis diagnosis = Diagnoser.standard().diagnose(evidence);
    Report report = new Report(new Main.Version().getVersion()[0].replace("rdpdoctor ", ""),
        evidence, diagnosis);
    if (json) {
      out.println(JsonReport.render(report));
    } else {
      out.print(new TextReport(Terminal.colour(noColor)).render(report));
    }
    out.flush();
    return diagnosis.verdict().exitCode();
  }

  private static Duration millis(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}

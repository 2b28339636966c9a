package dev.rdpdoctor.cli;

import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.engine.Budget;
import dev.rdpdoctor.engine.Checks;
import dev.rdpdoctor.engine.DiagnoseRequest;
import dev.rdpdoctor.engine.Doctor;
import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.IpLiteral;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.evidence.TargetParser;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.probe.Credentials;
import dev.rdpdoctor.probe.GatewayProbe;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.WireTrace;
import dev.rdpdoctor.probe.event.RunClock;
import dev.rdpdoctor.remedy.SelectedFix;
import dev.rdpdoctor.report.JsonReport;
import dev.rdpdoctor.report.Report;
import dev.rdpdoctor.report.TextReport;
import dev.rdpdoctor.report.Waterfall;
import dev.rdpdoctor.sources.rdpfile.RdpFileParser;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The main job: probe a server as a client would and say why connecting fails. */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Probe an RDP server the way a client does and say why connecting fails.",
      "Exit codes: 0 ok, 1 warning, 2 failure found, 3 unknown or usage error."
    })
final class DiagnoseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "HOST[:PORT]",
      arity = "0..1",
      description =
          "Server name or address, as typed in the client; [v6addr]:port for IPv6. "
              + "Optional with --rdp-file (the file's full address is used).")
  String target;

  @Option(
      names = "--rdp-file",
      paramLabel = "FILE",
      description =
          "An .rdp file: its address, port and security settings drive the probes, "
              + "and what in it breaks the connection is reported.")
  Path rdpFile;

  @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default 3389).")
  Integer port;

  @Option(
      names = "--client-profile",
      paramLabel = "NAME",
      description =
          "What the client offers: windows (TLS + CredSSP, default), no-nla (CredSSP "
              + "off), freerdp2, freerdp3. An .rdp file implies its own unless this is given.")
  String profile;

  @Option(
      names = "--fix-script",
      paramLabel = "DIR",
      description =
          "Also write remediation scripts (PowerShell client/server fix and undo, "
              + ".reg, manual steps) for the fixes found into DIR; nothing is run.")
  Path fixScript;

  @Option(
      names = "--gateway",
      paramLabel = "GW[:PORT]",
      description =
          "Reach HOST through this RD Gateway (default port 443): probe the gateway "
              + "(TLS, HTTP transport, WebSocket, UDP 3391; with --user the logon, CAP and RAP) "
              + "instead of the direct path.")
  String gateway;

  @Option(
      names = "--expect-fingerprint",
      paramLabel = "SHA256",
      description =
          "The gateway certificate's SHA-256 as seen from a trusted network; a "
              + "different one here means TLS inspection.")
  String expectFingerprint;

  @Mixin CredentialOptions credentials = new CredentialOptions();

  @Option(names = "--json", description = "Print one JSON document on stdout.")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "8",
      description =
          "Deadline for the whole run: every probe ends by then, and the verdict "
              + "follows within 1.5 s (default ${DEFAULT-VALUE} s; --tls-ciphers adds 60 s, --path "
              + "and --connection-limit 20 s).")
  double timeout;

  @Option(
      names = "--connect-timeout",
      paramLabel = "SECONDS",
      defaultValue = "4",
      description = "Deadline for each TCP connect (default ${DEFAULT-VALUE} s).")
  double connectTimeout;

  @Option(
      names = "--quick",
      description =
          "Only the client's own offer: skip trying each security protocol and TLS "
              + "version alone.")
  boolean quick;

  @Option(
      names = "--path",
      description =
          "Also measure link quality (RTT, jitter, loss) and the path MTU, which "
              + "otherwise run only when the other checks point at the path.")
  boolean path;

  @Option(
      names = "--tls-ciphers",
      description =
          "Enumerate every TLS cipher suite and key exchange group the server accepts"
              + " per TLS version (up to 60 connections, 60 s); runs on its own when the handshake"
              + " fails for want of a shared cipher.")
  boolean tlsCiphers;

  @Option(
      names = "--connection-limit",
      description =
          "Test whether the server drops connections when several are pending "
              + "(opens 8 at once).")
  boolean connectionLimit;

  @Option(
      names = "--ip",
      paramLabel = "ADDR",
      description =
          "The address the server really has (IPv4 or IPv6): compared with where "
              + "the name leads, to spot stale DNS.")
  String ip;

  @Option(
      names = "--expect-udp",
      description =
          "The server offers RDP over UDP (Windows does by default): a path that "
              + "drops UDP is then a finding.")
  boolean expectUdp;

  @Option(
      names = "--timings",
      description =
          "After the report, print the run's probes as a waterfall on stderr, with "
              + "the critical path marked.")
  boolean timings;

  @Option(names = "--trace", description = "Dump every byte sent and received to stderr.")
  boolean trace;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show progress even when not on a terminal.")
  boolean verbose;

  @Option(
      names = {"-q", "--quiet"},
      description = "No progress output.")
  boolean quiet;

  @Option(names = "--no-color", description = "No colour (also: the NO_COLOR variable).")
  boolean noColor;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    RdpFileInput file = null;
    if (rdpFile != null) {
      try {
        file = RdpFileInput.read(rdpFile);
      } catch (RdpFileParser.Unreadable e) {
        err.println("rdpdoctor: " + e.getMessage());
        return Main.EXIT_UNKNOWN;
      }
      if (target == null && file.evidence().host() == null) {
        err.println(
            "rdpdoctor: "
                + rdpFile
                + " has no usable 'full address'; give the server"
                + " on the command line");
        return Main.EXIT_UNKNOWN;
      }
    } else if (target == null) {
      err.println("rdpdoctor: no server given (HOST[:PORT], or --rdp-file FILE)");
      return Main.EXIT_UNKNOWN;
    }
    ClientProfile clientProfile =
        profile != null
            ? ClientProfile.byName(profile).orElse(null)
            : file != null ? file.profile() : ClientProfile.WINDOWS;
    if (clientProfile == null) {
      err.println("rdpdoctor: " + ClientProfile.unknown(profile));
      return Main.EXIT_UNKNOWN;
    }
    if (!(timeout > 0 && timeout <= 120) || !(connectTimeout > 0 && connectTimeout <= 120)) {
      err.println(
          "rdpdoctor: --timeout and --connect-timeout take seconds above 0 and at most"
              + " 120 (got "
              + timeout
              + " and "
              + connectTimeout
              + ")");
      return Main.EXIT_UNKNOWN;
    }
    InetAddress given = null;
    if (ip != null) {
      given = IpLiteral.parse(ip).orElse(null);
      if (given == null) {
        err.println("rdpdoctor: --ip wants an IPv4 or IPv6 address, not '" + ip + "'");
        return Main.EXIT_UNKNOWN;
      }
    }
    Target t;
    try {
      t =
          target != null
              ? TargetParser.parse(target, port, clientProfile)
              : TargetParser.parse(file.targetText(port == null), port, clientProfile);
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
      return run(t, clientProfile, creds, file, given, out, err);
    } finally {
      if (creds != null) {
        creds.destroy();
      }
    }
  }

  private int run(
      Target t,
      ClientProfile clientProfile,
      Credentials creds,
      RdpFileInput file,
      InetAddress given,
      PrintWriter out,
      PrintWriter err) {
    // Loading the knowledge base and the JSON mapper costs a few hundred milliseconds of class
    // loading on a cold JVM; do it while the probes wait on the network.
    Thread warmUp =
        Thread.ofVirtual()
            .start(
                () -> {
                  KnowledgeBase.get();
                  if (json) {
                    JsonReport.MAPPER.getTypeFactory();
                  }
                });
    DiagnoseRequest request;
    try {
      request = request(t, creds, file, given);
    } catch (TargetParser.BadTarget e) {
      err.println("rdpdoctor: --gateway: " + e.getMessage());
      return Main.EXIT_UNKNOWN;
    }
    boolean progress = !quiet && (verbose || Terminal.interactive());
    long origin = RunClock.SYSTEM.nanos();
    ProbeListener listener =
        ProbeListener.compose(
            progress ? new ProgressPrinter(System.err, origin) : ProbeListener.NONE,
            trace ? WireTrace.to(System.err, 4096) : ProbeListener.NONE);
    if (progress) {
      System.err.println(
          "rdpdoctor: diagnosing " + t.display() + " as client '" + clientProfile.name() + "' ...");
    }
    RunResult result = Doctor.standard().diagnose(request, listener);
    try {
      warmUp.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Diagnosis diagnosis = result.diagnosis();
    Report report =
        new Report(
            new Main.Version().getVersion()[0].replace("rdpdoctor ", ""),
            result.evidence(),
            diagnosis);
    if (json) {
      out.println(JsonReport.render(report));
    } else {
      out.print(new TextReport(Terminal.colour(noColor)).render(report));
    }
    out.flush();
    if (timings) {
      err.print(Waterfall.render(result.evidence().timings(), result.evidence().millis()));
      err.flush();
    }
    if (fixScript != null) {
      // scripts report on stderr so stdout stays one report (one JSON document with --json)
      int rc = FixCommand.write(err, err, t, SelectedFix.from(diagnosis.findings()), fixScript);
      if (rc != Main.EXIT_OK) {
        return rc;
      }
    }
    return diagnosis.verdict().exitCode();
  }

  /** The options as one request for the engine. */
  private DiagnoseRequest request(Target t, Credentials creds, RdpFileInput file, InetAddress given)
      throws TargetParser.BadTarget {
    Checks checks =
        (quick ? Checks.quick() : Checks.full())
            .withTlsCiphers(tlsCiphers)
            .withPath(path)
            .withConnectionLimit(connectionLimit)
            .withExpectUdp(expectUdp)
            .withGivenIp(given);
    Budget defaults = Budget.defaults();
    DiagnoseRequest request =
        DiagnoseRequest.of(t)
            .withChecks(checks)
            .withBudget(new Budget(millis(timeout), millis(connectTimeout), defaults.dns()))
            .withCredentials(creds);
    if (gateway != null) {
      Target gw = TargetParser.parse(gateway, null, t.profile());
      if (gw.port() == Target.DEFAULT_PORT && !gateway.endsWith(":" + Target.DEFAULT_PORT)) {
        gw = new Target(gw.host(), GatewayProbe.DEFAULT_PORT, gw.literal(), gw.profile());
      }
      // Behind a gateway the client never uses the direct path, so neither do the probes.
      request = request.withGateway(gw, expectFingerprint);
    }
    if (file != null) {
      request = request.withOffline(file.evidence());
    }
    return request;
  }

  private static Duration millis(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}

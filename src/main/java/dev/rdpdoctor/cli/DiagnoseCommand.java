package dev.rdpdoctor.cli;

import dev.rdpdoctor.diagnosis.Diagnoser;
import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.kb.KnowledgeBase;
import dev.rdpdoctor.probe.PathProbes;
import dev.rdpdoctor.probe.ProbeContext;
import dev.rdpdoctor.probe.ProbeEngine;
import dev.rdpdoctor.probe.ProbeListener;
import dev.rdpdoctor.probe.TlsProbe;
import dev.rdpdoctor.probe.WireTrace;
import dev.rdpdoctor.report.JsonReport;
import dev.rdpdoctor.report.Report;
import dev.rdpdoctor.report.TextReport;
import dev.rdpdoctor.remedy.SelectedFix;
import dev.rdpdoctor.sources.rdpfile.RdpFileParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import dev.rdpdoctor.evidence.GatewayEvidence;
import dev.rdpdoctor.probe.Credentials;
import dev.rdpdoctor.probe.GatewayProbe;
import dev.rdpdoctor.probe.ProbeContext;
import java.time.Instant;
import java.util.List;
import dev.rdpdoctor.probe.CredSspProbe;
import dev.rdpdoctor.probe.RdpSecurityProbe;
import dev.rdpdoctor.probe.SessionProbe;
import dev.rdpdoctor.probe.TlsCipherProbe;
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

  @Parameters(index = "0", paramLabel = "HOST[:PORT]", arity = "0..1",
      description = "Server name or address, as typed in the client; [v6addr]:port for IPv6. "
          + "Optional with --rdp-file (the file's full address is used).")
  String target;

  @Option(names = "--rdp-file", paramLabel = "FILE",
      description = "An .rdp file: its address, port and security settings drive the probes, "
          + "and what in it breaks the connection is reported.")
  Path rdpFile;

  @Option(names = "--port", paramLabel = "PORT", description = "TCP port (default 3389).")
  Integer port;

  @Option(names = "--client-profile", paramLabel = "NAME",
      description = "What the client offers: windows (TLS + CredSSP, default), no-nla (CredSSP "
          + "off), freerdp2, freerdp3. An .rdp file implies its own unless this is given.")
  String profile;

  @Option(names = "--fix-script", paramLabel = "DIR",
      description = "Also write remediation scripts (PowerShell client/server fix and undo, "
          + ".reg, manual steps) for the fixes found into DIR; nothing is run.")
  Path fixScript;

  @Option(names = "--gateway", paramLabel = "GW[:PORT]",
      description = "Reach HOST through this RD Gateway (default port 443): probe the gateway "
          + "(TLS, HTTP transport, WebSocket, UDP 3391; with --user the logon, CAP and RAP) "
          + "instead of the direct path.")
  String gateway;

  @Option(names = "--expect-fingerprint", paramLabel = "SHA256",
      description = "The gateway certificate's SHA-256 as seen from a trusted network; a "
          + "different one here means TLS inspection.")
  String expectFingerprint;

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

  @Option(names = "--path",
      description = "Also measure link quality (RTT, jitter, loss) and the path MTU, which "
          + "otherwise run only when the other checks point at the path.")
  boolean path;

  @Option(names = "--tls-ciphers",
      description = "Enumerate every TLS cipher suite and key exchange group the server accepts"
          + " per TLS version (up to 60 connections, 60 s); runs on its own when the handshake"
          + " fails for want of a shared cipher.")
  boolean tlsCiphers;

  @Option(names = "--connection-limit",
      description = "Test whether the server drops connections when several are pending "
          + "(opens 8 at once).")
  boolean connectionLimit;

  @Option(names = "--ip", paramLabel = "ADDR",
      description = "The address the server really has (IPv4 or IPv6): compared with where "
          + "the name leads, to spot stale DNS.")
  String ip;

  @Option(names = "--expect-udp",
      description = "The server offers RDP over UDP (Windows does by default): a path that "
          + "drops UDP is then a finding.")
  boolean expectUdp;

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
    RdpFileInput file = null;
    if (rdpFile != null) {
      try {
        file = RdpFileInput.read(rdpFile);
      } catch (RdpFileParser.Unreadable e) {
        err.println("rdpdoctor: " + e.getMessage());
        return Main.EXIT_UNKNOWN;
      }
      if (target == null && file.evidence().host() == null) {
        err.println("rdpdoctor: " + rdpFile + " has no usable 'full address'; give the server"
            + " on the command line");
        return Main.EXIT_UNKNOWN;
      }
    } else if (target == null) {
      err.println("rdpdoctor: no server given (HOST[:PORT], or --rdp-file FILE)");
      return Main.EXIT_UNKNOWN;
    }
    ClientProfile clientProfile = profile != null ? ClientProfile.byName(profile).orElse(null)
        : file != null ? file.profile() : ClientProfile.WINDOWS;
    if (clientProfile == null) {
      err.println("rdpdoctor: unknown client profile '" + profile + "'; choose one of "
          + ClientProfile.ALL.stream().map(ClientProfile::name).collect(Collectors.joining(", ")));
      return Main.EXIT_UNKNOWN;
    }
    if (!(timeout > 0 && timeout <= 120) || !(connectTimeout > 0 && connectTimeout <= 120)) {
      err.println("rdpdoctor: timeouts must be between 0 and 120 seconds");
      return Main.EXIT_UNKNOWN;
    }
    java.net.InetAddress given = null;
    if (ip != null) {
      given = IpLiteral.parse(ip).orElse(null);
      if (given == null) {
        err.println("rdpdoctor: --ip wants an IPv4 or IPv6 address, not '" + ip + "'");
        return Main.EXIT_UNKNOWN;
      }
    }
    Target t;
    try {
      t = target != null ? TargetParser.parse(target, port, clientProfile)
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

  private int run(Target t, ClientProfile clientProfile, Credentials creds, RdpFileInput file,
      java.net.InetAddress given, PrintWriter out, PrintWriter err) {
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
    Evidence evidence;
    if (gateway != null) {
      Target gw;
      try {
        gw = TargetParser.parse(gateway, null, clientProfile);
      } catch (TargetParser.BadTarget e) {
        err.println("rdpdoctor: --gateway: " + e.getMessage());
        return Main.EXIT_UNKNOWN;
      }
      if (gw.port() == Target.DEFAULT_PORT && !gateway.endsWith(":" + Target.DEFAULT_PORT)) {
        gw = new Target(gw.host(), GatewayProbe.DEFAULT_PORT, gw.literal(), gw.profile());
      }
      // Behind a gateway the client never uses the direct path, so neither do the probes.
      evidence = viaGateway(t, gw, creds, expectFingerprint, options, listener, wire);
    } else {
      evidence = new ProbeEngine(options, TlsProbe::run,
          List.of(CredSspProbe.step(creds), RdpSecurityProbe.step(),
              TlsCipherProbe.step(tlsCiphers), SessionProbe.step(creds))).run(t, listener, wire);
      PathProbes.PathOptions pathOptions = new PathProbes.PathOptions(path, connectionLimit,
          given, expectUdp, PathProbes.PathOptions.defaults().udpWait());
      evidence = new PathProbes(pathOptions, TlsProbe::run).run(evidence, new ProbeContext(
          listener, wire, options.connectTimeout(), options.probeTimeout()));
    }
    if (file != null) {
      evidence = evidence.with(file.evidence());
    }
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
    if (fixScript != null) {
      // scripts report on stderr so stdout stays one report (one JSON document with --json)
      int rc = FixCommand.write(err, err, t, SelectedFix.from(diagnosis.findings()), fixScript);
      if (rc != Main.EXIT_OK) {
        return rc;
      }
    }
    return diagnosis.verdict().exitCode();
  }

  /**
   * Through a gateway the client never opens the direct path, so only the gateway is probed;
   * whether the gateway reaches the host is what its channel create (with --user) says.
   */
  private static Evidence viaGateway(Target t, Target gw, Credentials creds, String fingerprint,
      ProbeEngine.ProbeOptions options, ProbeListener listener, WireTrace wire) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    ProbeContext ctx = new ProbeContext(listener, wire, options.connectTimeout(),
        options.probeTimeout());
    GatewayEvidence g = GatewayProbe.run(new GatewayProbe.Options(gw.host(), gw.port(),
        gw.literal(), t.host(), t.port(), creds, fingerprint, GatewayProbe.UDP_PORT,
        options.dnsTimeout(), Duration.ofMillis(Math.min(3000,
            options.probeTimeout().toMillis()))), ctx);
    List<String> notChecked = new java.util.ArrayList<>();
    notChecked.add("direct path to " + t.display() + ": not probed, the client reaches it "
        + "through the RD Gateway " + g.display());
    notChecked.addAll(g.notChecked());
    return new Evidence(t, started, null, List.of(), null, null, null, null, List.of(),
        List.copyOf(notChecked), (System.nanoTime() - t0) / 1_000_000).with(g);
  }

  private static Duration millis(double seconds) {
    return Duration.ofMillis(Math.round(seconds * 1000));
  }
}

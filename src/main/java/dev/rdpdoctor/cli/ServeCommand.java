package dev.rdpdoctor.cli;

import dev.rdpdoctor.engine.Doctor;
import dev.rdpdoctor.serve.ServeConfig;
import dev.rdpdoctor.serve.ServeServer;
import dev.rdpdoctor.serve.TargetPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rdpdoctor serve}: the Prometheus exporter and the helpdesk page. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the Prometheus exporter (/probe?target=HOST&module=NAME, /metrics) and"
          + " the helpdesk page (/). Loopback only unless given a token and a target allowlist.",
      "Exit codes: 0 stopped, 3 bad settings (refused to start)."
    })
final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "[HOST:]PORT",
      description =
          "Where to listen (default 127.0.0.1:9389). Beyond loopback, --token-file and"
              + " --allow are required.")
  String listen;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML settings: listen, token_file, allow, modules, limits (docs/serve.md).")
  Path config;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "The access token (first line, at least 16 characters): 'Authorization:"
              + " Bearer TOKEN' for Prometheus, or the page's login.")
  Path tokenFile;

  @Option(
      names = "--allow",
      paramLabel = "ENTRY",
      description =
          "A target this server may probe (repeatable): a CIDR or address, a domain"
              + " suffix (.corp.example), or port=N[-M]. Link-local and cloud metadata addresses"
              + " are never probed.")
  List<String> allow = new ArrayList<>();

  @Option(
      names = "--max-concurrent",
      paramLabel = "N",
      description = "Diagnoses running at once, at most (default 16); more are refused (503).")
  Integer maxConcurrent;

  @Option(
      names = "--rate",
      paramLabel = "PER_MINUTE",
      description = "Diagnoses one client address may start per minute (default 120).")
  Integer rate;

  @Option(
      names = "--allow-logon-test",
      description =
          "Let the page take a user name and password for the CredSSP logon test. The"
              + " password is never logged or sent back.")
  boolean allowLogonTest;

  @Override
  public Integer call() throws InterruptedException {
    var err = spec.commandLine().getErr();
    ServeConfig c;
    String token = null;
    try {
      c = config != null ? ServeConfig.load(config) : ServeConfig.defaults();
      c = overrides(c);
      if (c.tokenFile() != null) {
        token = ServeServer.readToken(c.tokenFile());
      }
    } catch (ServeConfig.BadConfig e) {
      err.println("rdpdoctor: " + e.getMessage());
      return Main.EXIT_UNKNOWN;
    }
    String refusal = ServeServer.refusalToStart(c, token != null);
    if (refusal != null) {
      err.println("rdpdoctor: refusing to start: " + refusal);
      return Main.EXIT_UNKNOWN;
    }
    ServeServer server;
    int port;
    try {
      server =
          new ServeServer(
              c,
              token,
              TargetPolicy.Resolver.SYSTEM,
              Doctor.standard()::diagnose,
              line -> {
                synchronized (System.err) {
                  System.err.println(line);
                }
              });
      port = server.start();
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("rdpdoctor: cannot start: " + e.getMessage());
      return Main.EXIT_UNKNOWN;
    }
    String where = c.host().indexOf(':') >= 0 ? "[" + c.host() + "]" : c.host();
    err.println(
        "rdpdoctor: serving on http://"
            + where
            + ":"
            + port
            + "/ (exporter: /probe,"
            + " /metrics)"
            + (token == null ? "" : "; token required"));
    err.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop();
                  stop.countDown();
                }));
    stop.await();
    return Main.EXIT_OK;
  }

  private ServeConfig overrides(ServeConfig c) throws ServeConfig.BadConfig {
    String host = c.host();
    int port = c.port();
    if (listen != null) {
      String[] hp = ServeConfig.splitListen(listen);
      host = hp[0];
      port = Integer.parseInt(hp[1]);
    }
    if (maxConcurrent != null && (maxConcurrent < 1 || maxConcurrent > 1000)
        || rate != null && (rate < 1 || rate > 100_000)) {
      throw new ServeConfig.BadConfig("--max-concurrent is 1-1000 and --rate 1-100000");
    }
    List<String> allowed = new ArrayList<>(c.allow());
    allowed.addAll(allow);
    return new ServeConfig(
        host,
        port,
        tokenFile != null ? tokenFile : c.tokenFile(),
        allowed,
        maxConcurrent != null ? maxConcurrent : c.maxConcurrentProbes(),
        rate != null ? rate : c.ratePerMinute(),
        c.burst(),
        c.maxUploadBytes(),
        c.scrapeOffset(),
        allowLogonTest || c.allowLogonTest(),
        c.modules());
  }
}

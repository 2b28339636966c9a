package dev.rdpdoctor.serve;

import dev.rdpdoctor.engine.Budget;
import dev.rdpdoctor.engine.Checks;
import dev.rdpdoctor.evidence.ClientProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What {@code serve} runs with: where it listens, who may use it, which targets it may probe, its
 * limits and its probe modules. Read from a YAML file ({@code --config}); flags override.
 *
 * @param host the address to bind
 * @param tokenFile the bearer token's file; required when {@code host} is not loopback
 * @param allow the target allowlist entries (CIDR, address, domain suffix, {@code port=N})
 * @param maxConcurrentProbes the global cap on diagnoses running at once
 * @param ratePerMinute diagnoses one client address may start per minute
 * @param burst diagnoses one client address may start at once before the rate applies
 * @param maxUploadBytes the largest event log or .rdp upload accepted
 * @param scrapeOffset taken off Prometheus' scrape timeout, as blackbox_exporter's {@code
 *     timeout_offset}
 * @param allowLogonTest whether the web form may take a password for the CredSSP logon test
 */
public record ServeConfig(
    String host,
    int port,
    Path tokenFile,
    List<String> allow,
    int maxConcurrentProbes,
    int ratePerMinute,
    int burst,
    long maxUploadBytes,
    Duration scrapeOffset,
    boolean allowLogonTest,
    Map<String, Module> modules) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9389;

  /** The largest config file read: it is a handful of lines. */
  static final int MAX_CONFIG_BYTES = 256 * 1024;

  /** A module's run may last at most this long, whatever the file says. */
  static final Duration MAX_MODULE_TIMEOUT = Duration.ofSeconds(120);

  public ServeConfig {
    allow = List.copyOf(allow);
    modules = Map.copyOf(modules);
  }

  /**
   * A named probe profile, as blackbox_exporter's modules.
   *
   * @param timeout the run's deadline when Prometheus sends no scrape timeout, and its cap
   * @param checks {@code quick} (the client's own offer) or {@code full} (each protocol and TLS
   *     version alone)
   * @param gateway probe through this RD Gateway (HOST[:PORT]), or null for the direct path
   */
  public record Module(
      String name,
      Duration timeout,
      Duration connectTimeout,
      ClientProfile profile,
      String checks,
      String gateway) {

    Checks checkSet() {
      return checks.equals("quick") ? Checks.quick() : Checks.fleet();
    }

    Budget budget(Duration run) {
      return new Budget(
          run, connectTimeout.compareTo(run) < 0 ? connectTimeout : run, Budget.defaults().dns());
    }
  }

  /** Thrown with a message fit to print as it is. */
  public static final class BadConfig extends Exception {
    private static final long serialVersionUID = 1L;

    public BadConfig(String message) {
      super(message);
    }
  }

  /** The built-in modules: quick, full and gateway (the gateway comes with the request). */
  public static Map<String, Module> defaultModules() {
    Map<String, Module> m = new LinkedHashMap<>();
    m.put(
        "quick",
        new Module(
            "quick",
            Duration.ofSeconds(5),
            Duration.ofSeconds(3),
            ClientProfile.WINDOWS,
            "quick",
            null));
    m.put(
        "full",
        new Module(
            "full",
            Duration.ofSeconds(10),
            Duration.ofSeconds(4),
            ClientProfile.WINDOWS,
            "full",
            null));
    m.put(
        "gateway",
        new Module(
            "gateway",
            Duration.ofSeconds(10),
            Duration.ofSeconds(4),
            ClientProfile.WINDOWS,
            "quick",
            null));
    return m;
  }

  public static ServeConfig defaults() {
    return new ServeConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        null,
        List.of(),
        16,
        120,
        30,
        16L << 20,
        Duration.ofMillis(500),
        false,
        defaultModules());
  }

  /**
   * Reads a YAML file over the defaults. Unknown keys are errors (a typo must not silently leave a
   * limit at its default).
   */
  public static ServeConfig load(Path file) throws BadConfig {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_CONFIG_BYTES) {
        throw new BadConfig(file + ": larger than " + MAX_CONFIG_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadConfig(file + ": cannot read (" + e.getMessage() + ")");
    }
    JsonNode root;
    try {
      root = YAMLMapper.builder().build().readTree(bytes);
    } catch (JacksonException e) {
      throw new BadConfig(file + ": not valid YAML (" + firstLine(e.getOriginalMessage()) + ")");
    }
    return apply(defaults(), root, file.toString());
  }

  static ServeConfig apply(ServeConfig d, JsonNode root, String where) throws BadConfig {
    if (root == null || root.isMissingNode() || root.isNull()) {
      return d;
    }
    if (!root.isObject()) {
      throw new BadConfig(where + ": expected a mapping at the top");
    }
    String host = d.host;
    int port = d.port;
    Path token = d.tokenFile;
    List<String> allow = new ArrayList<>(d.allow);
    int cap = d.maxConcurrentProbes;
    int rate = d.ratePerMinute;
    int burst = d.burst;
    long upload = d.maxUploadBytes;
    Duration offset = d.scrapeOffset;
    boolean logon = d.allowLogonTest;
    Map<String, Module> modules = new LinkedHashMap<>(d.modules);
    for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      String key = e.getKey();
      switch (key) {
        case "listen" -> {
          String[] hp = splitListen(text(v, key, where));
          host = hp[0];
          port = Integer.parseInt(hp[1]);
        }
        case "token_file" -> token = Path.of(text(v, key, where));
        case "allow" -> {
          if (!v.isArray()) {
            throw new BadConfig(where + ": 'allow' is a list");
          }
          for (JsonNode a : v) {
            allow.add(text(a, key, where));
          }
        }
        case "max_concurrent_probes" -> cap = positive(v, key, where, 1000);
        case "rate_per_minute" -> rate = positive(v, key, where, 100_000);
        case "burst" -> burst = positive(v, key, where, 10_000);
        case "max_upload_bytes" -> upload = positive(v, key, where, 1 << 30);
        case "scrape_timeout_offset" -> offset = seconds(v, key, where);
        case "allow_logon_test" -> {
          if (!v.isBoolean()) {
            throw new BadConfig(where + ": 'allow_logon_test' is true or false");
          }
          logon = v.asBoolean();
        }
        case "modules" -> {
          if (!v.isObject()) {
            throw new BadConfig(where + ": 'modules' maps names to settings");
          }
          for (Map.Entry<String, JsonNode> m : v.properties()) {
            modules.put(
                m.getKey(),
                module(
                    m.getKey(),
                    m.getValue(),
                    modules.getOrDefault(m.getKey(), d.modules.get("full")),
                    where));
          }
        }
        default ->
            throw new BadConfig(
                where
                    + ": unknown setting '"
                    + key
                    + "' (known: listen,"
                    + " token_file, allow, max_concurrent_probes, rate_per_minute, burst,"
                    + " max_upload_bytes, scrape_timeout_offset, allow_logon_test, modules)");
      }
    }
    return new ServeConfig(
        host, port, token, allow, cap, rate, burst, upload, offset, logon, modules);
  }

  private static Module module(String name, JsonNode v, Module base, String where)
      throws BadConfig {
    if (!name.matches("[A-Za-z0-9_.-]{1,40}")) {
      throw new BadConfig(where + ": module name '" + name + "': letters, digits, _ . - only");
    }
    if (!v.isObject()) {
      throw new BadConfig(where + ": module '" + name + "' needs settings");
    }
    Duration timeout = base.timeout();
    Duration connect = base.connectTimeout();
    ClientProfile profile = base.profile();
    String checks = base.checks();
    String gateway = null;
    String w = where + ": module '" + name + "'";
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      JsonNode x = e.getValue();
      switch (e.getKey()) {
        case "timeout" -> timeout = seconds(x, "timeout", w);
        case "connect_timeout" -> connect = seconds(x, "connect_timeout", w);
        case "client_profile" -> {
          String p = text(x, "client_profile", w);
          profile =
              ClientProfile.byName(p)
                  .orElseThrow(() -> new BadConfig(w + ": unknown client_profile '" + p + "'"));
        }
        case "checks" -> {
          checks = text(x, "checks", w).toLowerCase(Locale.ROOT);
          if (!checks.equals("quick") && !checks.equals("full")) {
            throw new BadConfig(w + ": checks is quick or full");
          }
        }
        case "gateway" -> gateway = text(x, "gateway", w);
        default ->
            throw new BadConfig(
                w
                    + ": unknown setting '"
                    + e.getKey()
                    + "' (known:"
                    + " timeout, connect_timeout, client_profile, checks, gateway)");
      }
    }
    if (timeout.compareTo(MAX_MODULE_TIMEOUT) > 0) {
      throw new BadConfig(w + ": timeout above " + MAX_MODULE_TIMEOUT.toSeconds() + " s");
    }
    return new Module(name, timeout, connect, profile, checks, gateway);
  }

  /** host:port, [v6]:port or a bare port. */
  public static String[] splitListen(String s) throws BadConfig {
    String host = DEFAULT_HOST;
    String port = s;
    if (s.startsWith("[")) {
      int close = s.indexOf("]:");
      if (close < 0) {
        throw new BadConfig("--listen '" + s + "': expected [ADDRESS]:PORT");
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else if (s.lastIndexOf(':') >= 0) {
      host = s.substring(0, s.lastIndexOf(':'));
      port = s.substring(s.lastIndexOf(':') + 1);
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw new BadConfig("--listen '" + s + "': the port must be 0-65535");
    }
    return new String[] {host.isEmpty() ? "0.0.0.0" : host, port};
  }

  private static String text(JsonNode v, String key, String where) throws BadConfig {
    if (!v.isString() && !v.isNumber()) {
      throw new BadConfig(where + ": '" + key + "' wants a value");
    }
    return v.asString();
  }

  private static int positive(JsonNode v, String key, String where, int max) throws BadConfig {
    if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > max) {
      throw new BadConfig(where + ": '" + key + "' is a whole number from 1 to " + max);
    }
    return v.asInt();
  }

  /** 5, 2.5, "5s" or "500ms". */
  static Duration seconds(JsonNode v, String key, String where) throws BadConfig {
    String s = v.asString("").trim();
    try {
      double secs;
      if (v.isNumber()) {
        secs = v.asDouble();
      } else if (s.endsWith("ms")) {
        secs = Double.parseDouble(s.substring(0, s.length() - 2)) / 1000;
      } else if (s.endsWith("s")) {
        secs = Double.parseDouble(s.substring(0, s.length() - 1));
      } else {
        secs = Double.parseDouble(s);
      }
      if (!(secs >= 0 && secs <= MAX_MODULE_TIMEOUT.toSeconds())) {
        throw new NumberFormatException();
      }
      return Duration.ofMillis(Math.round(secs * 1000));
    } catch (NumberFormatException e) {
      throw new BadConfig(
          where
              + ": '"
              + key
              + "' is seconds (5, 2.5, \"5s\", \"500ms\") up to "
              + MAX_MODULE_TIMEOUT.toSeconds());
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}

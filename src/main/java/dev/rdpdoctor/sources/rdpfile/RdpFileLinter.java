package dev.rdpdoctor.sources.rdpfile;

import dev.rdpdoctor.evidence.RdpFileEvidence;
import dev.rdpdoctor.evidence.RdpFileIssue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an .rdp file on its own (no network): settings that contradict each other, values a client
 * rejects or that hide problems, and entries no current client reads. Each check that has a safe
 * correction carries it as an {@link Edit}, which {@link #corrected} applies.
 */
public final class RdpFileLinter {
  /** A correction: set a setting, or drop a line. */
  public sealed interface Edit {
    record Set(String name, char type, String value) implements Edit {}

    record Remove(int line) implements Edit {}
  }

  /** An issue and, when one is safe, its correction. */
  public record Lint(RdpFileIssue issue, Edit edit) {}

  static final String ERROR = "error";
  static final String WARNING = "warning";
  static final String INFO = "info";

  private RdpFileLinter() {}

  public static List<Lint> lint(RdpFile f) {
    List<Lint> out = new ArrayList<>();
    Map<String, RdpSetting> eff = f.effective();
    duplicates(f, out);
    types(f, eff, out);
    address(f, out);
    security(f, out);
    gateway(f, out);
    stale(f, eff, out);
    return out;
  }

  /** The file with every safe correction applied (in the same encoding and layout). */
  public static RdpFile corrected(RdpFile f, List<Lint> lints) {
    RdpFile out = f;
    Set<Integer> remove = new HashSet<>();
    for (Lint l : lints) {
      if (l.edit() instanceof Edit.Remove r) {
        remove.add(r.line());
      }
    }
    out = out.withoutLines(remove);
    for (Lint l : lints) {
      if (l.edit() instanceof Edit.Set s) {
        out = out.with(s.name(), s.type(), s.value());
      }
    }
    return out;
  }

  /** The evidence section for a parsed file: its settings as the probes use them, and lint. */
  public static RdpFileEvidence evidence(String path, RdpFile f, List<Lint> lints) {
    Optional<RdpAddress> full = f.string("full address").flatMap(RdpAddress::parse);
    Optional<RdpAddress> alt = f.string("alternate full address").flatMap(RdpAddress::parse);
    Integer serverPort = f.integer("server port").orElse(null);
    RdpAddress main = full.or(() -> alt).orElse(null);
    int port =
        main != null && main.port() != null
            ? main.port()
            : serverPort != null && serverPort >= 1 && serverPort <= 65535 ? serverPort : 3389;
    RdpFileEvidence.Gateway gw =
        new RdpFileEvidence.Gateway(
            f.string("gatewayhostname").orElse(null),
            f.integer("gatewayusagemethod").orElse(null),
            f.integer("gatewaycredentialssource").orElse(null),
            f.integer("gatewayprofileusagemethod").orElse(null),
            f.string("gatewayaccesstoken").isPresent());
    return new RdpFileEvidence(
        path,
        f.encoding().label(),
        f.settings().size(),
        f.string("full address").orElse(null),
        f.string("alternate full address").orElse(null),
        serverPort,
        main == null ? null : main.host(),
        port,
        f.string("username").orElse(null),
        gw,
        f.integer("authentication level").orElse(null),
        f.integer("enablecredsspsupport").orElse(null),
        f.integer("negotiate security layer").orElse(null),
        f.integer("use redirection server name").orElse(null),
        f.string("loadbalanceinfo").orElse(null),
        f.integer("enablerdsaadauth").orElse(null),
        f.get("password 51").isPresent(),
        lints.stream().map(Lint::issue).toList(),
        f.problems().stream().map(Object::toString).toList(),
        AvdFile.of(f).orElse(null));
  }

  // ------------------------------------------------------------------ rules

  private static void duplicates(RdpFile f, List<Lint> out) {
    Map<String, RdpSetting> last = new HashMap<>();
    List<RdpSetting> all = f.settings();
    for (int i = all.size() - 1; i >= 0; i--) {
      RdpSetting s = all.get(i);
      RdpSetting later = last.putIfAbsent(s.key(), s);
      if (later != null) {
        out.add(
            removal(
                "duplicate-setting",
                WARNING,
                s,
                "'"
                    + s.key()
                    + "' is set again on line "
                    + later.line()
                    + ", which wins; this line"
                    + " is ignored and misleads whoever reads the file"));
      }
    }
  }

  private static void types(RdpFile f, Map<String, RdpSetting> eff, List<Lint> out) {
    for (RdpSetting s : eff.values()) {
      Optional<Character> want = KnownSettings.type(s.key());
      if (want.isEmpty()) {
        Optional<String> near = KnownSettings.suggestion(s.key());
        if (near.isPresent() && f.get(near.get()).isEmpty()) {
          Character t = KnownSettings.type(near.get()).orElseThrow();
          out.add(
              new Lint(
                  issue(
                      "unknown-setting",
                      WARNING,
                      s,
                      "'"
                          + s.key()
                          + "' is not a setting any client reads; did you mean '"
                          + near.get()
                          + "'?",
                      near.get() + ":" + t + ":" + shown(near.get(), s.value())),
                  new Edit.Set(near.get(), t, s.value())));
          out.add(
              removal(
                  "unknown-setting",
                  INFO,
                  s,
                  "the misspelt line is dropped" + " in the corrected copy"));
        } else {
          out.add(
              new Lint(
                  issue(
                      "unknown-setting",
                      INFO,
                      s,
                      "'"
                          + s.key()
                          + "' is not a"
                          + " setting current clients read (stale entry, or from another client); it is"
                          + " ignored",
                      null),
                  null));
        }
        continue;
      }
      if (want.get() != s.type()) {
        out.add(
            new Lint(
                issue(
                    "wrong-type",
                    WARNING,
                    s,
                    "'"
                        + s.key()
                        + "' has type "
                        + s.type()
                        + " but clients read it as "
                        + want.get()
                        + ", so they ignore this line",
                    s.key() + ":" + want.get() + ":" + shown(s.key(), s.value().trim())),
                new Edit.Set(s.key(), want.get(), s.value().trim())));
      } else if (s.type() == 'i' && RdpFile.parseInt(s.value()).isEmpty()) {
        out.add(
            new Lint(
                issue(
                    "bad-integer",
                    ERROR,
                    s,
                    "'"
                        + s.key()
                        + "' must be a whole"
                        + " number, found '"
                        + RdpFileParser.clip(s.value())
                        + "'",
                    null),
                null));
      }
    }
  }

  private static void address(RdpFile f, List<Lint> out) {
    Optional<RdpSetting> full = f.get("full address");
    Optional<RdpSetting> alt = f.get("alternate full address");
    if (full.flatMap(s -> RdpAddress.parse(s.value())).isEmpty()
        && alt.flatMap(s -> RdpAddress.parse(s.value())).isEmpty()) {
      out.add(
          new Lint(
              full.map(
                      s ->
                          issue(
                              "missing-address",
                              ERROR,
                              s,
                              "'full address' is"
                                  + " empty or unreadable ('"
                                  + RdpFileParser.clip(s.value())
                                  + "'): the client has"
                                  + " nothing to connect to",
                              null))
                  .orElse(
                      new RdpFileIssue(
                          "missing-address",
                          ERROR,
                          0,
                          "full address",
                          "no 'full address' line: the client has nothing to connect to",
                          null)),
              null));
      return;
    }
    Optional<RdpAddress> fa = full.flatMap(s -> RdpAddress.parse(s.value()));
    Optional<RdpSetting> sp = f.get("server port");
    Optional<Integer> spv = f.integer("server port");
    if (spv.isPresent() && (spv.get() < 1 || spv.get() > 65535)) {
      out.add(
          removal(
              "bad-port",
              ERROR,
              sp.get(),
              "server port " + spv.get() + " is not a TCP port (1-65535)"));
    } else if (fa.isPresent()
        && fa.get().port() != null
        && spv.isPresent()
        && !fa.get().port().equals(spv.get())) {
      out.add(
          removal(
              "port-conflict",
              WARNING,
              sp.get(),
              "'full address' names port "
                  + fa.get().port()
                  + " but 'server port' says "
                  + spv.get()
                  + "; clients use "
                  + fa.get().port()
                  + " from the address, and whoever edits the file sees two answers"));
    }
    Optional<RdpAddress> aa = alt.flatMap(s -> RdpAddress.parse(s.value()));
    if (fa.isPresent() && aa.isPresent() && !fa.get().host().equalsIgnoreCase(aa.get().host())) {
      out.add(
          new Lint(
              issue(
                  "alternate-address-differs",
                  WARNING,
                  alt.get(),
                  "'alternate full address' ("
                      + aa.get().host()
                      + ") names a different machine than"
                      + " 'full address' ("
                      + fa.get().host()
                      + "); which one the client dials depends"
                      + " on the client, so the file can connect somewhere unexpected",
                  "alternate full address:s:" + full.get().value().trim()),
              new Edit.Set("alternate full address", 's', full.get().value().trim())));
    }
  }

  private static void security(RdpFile f, List<Lint> out) {
    f.get("enablecredsspsupport")
        .filter(s -> RdpFile.parseInt(s.value()).orElse(1) == 0)
        .ifPresent(
            s ->
                out.add(
                    setInteger(
                        "credssp-disabled",
                        WARNING,
                        s,
                        "CredSSP (Network Level Authentication) is switched off: servers that require NLA,"
                            + " the Windows default, refuse the connection",
                        1)));
    f.get("authentication level")
        .ifPresent(
            s -> {
              int v = RdpFile.parseInt(s.value()).orElse(3);
              if (v == 0) {
                out.add(
                    setInteger(
                        "auth-level-0",
                        WARNING,
                        s,
                        "authentication level 0 connects"
                            + " without any certificate warning: an expired, wrong-name or intercepted"
                            + " certificate goes unnoticed",
                        2));
              } else if (v < 0 || v > 3) {
                out.add(
                    setInteger(
                        "bad-value",
                        WARNING,
                        s,
                        "authentication level must be 0-3," + " found " + v,
                        2));
              }
            });
    f.get("negotiate security layer")
        .filter(s -> RdpFile.parseInt(s.value()).orElse(1) == 0)
        .ifPresent(
            s ->
                out.add(
                    setInteger(
                        "negotiation-off",
                        WARNING,
                        s,
                        "negotiate security layer 0 pins the client to one security protocol instead of"
                            + " negotiating TLS/NLA with the server; servers that need another refuse",
                        1)));
  }

  private static void gateway(RdpFile f, List<Lint> out) {
    Optional<String> host = f.string("gatewayhostname");
    Optional<RdpSetting> usage = f.get("gatewayusagemethod");
    int u = f.integer("gatewayusagemethod").orElse(-1);
    Optional<RdpSetting> profile = f.get("gatewayprofileusagemethod");
    int p = f.integer("gatewayprofileusagemethod").orElse(-1);
    if ((u == 1 || u == 2) && host.isEmpty()) {
      out.add(
          new Lint(
              issue(
                  "gateway-without-host",
                  ERROR,
                  usage.get(),
                  "gatewayusagemethod "
                      + u
                      + " says to use an RD Gateway, but 'gatewayhostname' is missing or empty",
                  null),
              null));
    }
    if ((u == 1 || u == 2) && host.isPresent() && p == 0) {
      out.add(
          new Lint(
              issue(
                  "gateway-profile-ignored",
                  WARNING,
                  profile.get(),
                  "the file names gateway "
                      + host.get()
                      + " but gatewayprofileusagemethod 0 tells the"
                      + " client to use the administrator's default gateway settings instead",
                  "gatewayprofileusagemethod:i:1"),
              new Edit.Set("gatewayprofileusagemethod", 'i', "1")));
    }
    if (host.isPresent() && (u == 0 || u == 4) && p == 1) {
      out.add(
          new Lint(
              issue(
                  "gateway-unused",
                  INFO,
                  usage.get(),
                  "gateway "
                      + host.get()
                      + " is named but gatewayusagemethod "
                      + u
                      + " means it is never used",
                  null),
              null));
    }
    if (u > 4 || (usage.isPresent() && u < -1)) {
      out.add(
          new Lint(
              issue(
                  "bad-value",
                  WARNING,
                  usage.get(),
                  "gatewayusagemethod must be" + " 0-4, found " + u,
                  null),
              null));
    }
    f.integer("gatewaycredentialssource")
        .filter(v -> v < 0 || v > 5)
        .ifPresent(
            v ->
                out.add(
                    new Lint(
                        issue(
                            "bad-value",
                            WARNING,
                            f.get("gatewaycredentialssource").get(),
                            "gatewaycredentialssource must be 0-5, found " + v,
                            null),
                        null)));
  }

  private static void stale(RdpFile f, Map<String, RdpSetting> eff, List<Lint> out) {
    RdpSetting pw = eff.get("password 51");
    if (pw != null) {
      out.add(
          removal(
              "saved-password-blob",
              WARNING,
              pw,
              "the file carries a saved"
                  + " password (encrypted for one Windows user on one machine): on any other machine"
                  + " it fails and the logon is refused; the value is not shown"));
    }
    RdpSetting plain = eff.get("password");
    if (plain != null && !plain.value().isEmpty()) {
      out.add(
          removal(
              "clear-text-password",
              WARNING,
              plain,
              "the file carries a"
                  + " password in clear text (FreeRDP reads it; anyone who gets the file can read it);"
                  + " the value is not shown"));
    }
    RdpSetting legacy = eff.get("targetisaadjoined");
    // Azure Virtual Desktop writes targetisaadjoined itself; only a hand-made file is old.
    if (legacy != null && !eff.containsKey("enablerdsaadauth") && AvdFile.of(f).isEmpty()) {
      out.add(
          new Lint(
              issue(
                  "legacy-setting",
                  INFO,
                  legacy,
                  "targetisaadjoined is the old way"
                      + " to reach Entra-joined hosts; current clients use enablerdsaadauth",
                  null),
              null));
    }
    RdpSetting redir = eff.get("use redirection server name");
    if (redir != null
        && RdpFile.parseInt(redir.value()).orElse(0) == 1
        && !eff.containsKey("loadbalanceinfo")) {
      out.add(
          new Lint(
              issue(
                  "redirection-without-broker",
                  INFO,
                  redir,
                  "use redirection"
                      + " server name is on but there is no loadbalanceinfo: only meaningful behind an RD"
                      + " Connection Broker",
                  null),
              null));
    }
  }

  /** Secrets (a password, a gateway token) never reach a message or a suggested line. */
  static final Set<String> SECRET_SETTINGS =
      Set.of("password", "password 51", "gatewayaccesstoken");

  static String shown(String key, String value) {
    return SECRET_SETTINGS.contains(key) ? "<value not shown>" : value;
  }

  /** A finding whose fix is to give the integer setting another value. */
  private static Lint setInteger(
      String rule, String severity, RdpSetting s, String message, int value) {
    return new Lint(
        issue(rule, severity, s, message, s.key() + ":i:" + value),
        new Edit.Set(s.key(), 'i', String.valueOf(value)));
  }

  /** A finding whose fix is to drop the setting's line. */
  private static Lint removal(String rule, String severity, RdpSetting s, String message) {
    return new Lint(
        issue(rule, severity, s, message, "remove line " + s.line()), new Edit.Remove(s.line()));
  }

  private static RdpFileIssue issue(
      String rule, String severity, RdpSetting s, String message, String fix) {
    return new RdpFileIssue(rule, severity, s.line(), s.key(), message, fix);
  }
}

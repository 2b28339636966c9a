package dev.rdpdoctor.evidence;

import dev.rdpdoctor.evidence.GatewayEvidence.HttpAttempt;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelStep;
import dev.rdpdoctor.evidence.GatewayEvidence.UdpResult;
import dev.rdpdoctor.evidence.RdpSecurityEvidence.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The facts table lines of every evidence section, one place for all of them. The switch over the
 * sealed {@link EvidenceSection} has no default, so a new section type does not compile until it
 * says what it found: no section is silently left out of the text report.
 */
public final class SectionFacts {
  /** Event lines per report: the findings carry the ones that matter. */
  static final int MAX_EVENT_LINES = 20;

  private SectionFacts() {}

  /**
   * One line of the facts table.
   *
   * @param label the short probe name in the table's first column
   */
  public record Line(String label, String text) {}

  public static List<Line> of(EvidenceSection s) {
    List<Line> out = new ArrayList<>();
    switch (s) {
      case NlaEvidence n -> nla(n, out);
      case SessionEvidence x -> session(x, out);
      case PathEvidence p -> path(p, out);
      case TlsCipherEvidence c -> ciphers(c, out);
      case GatewayEvidence g -> gateway(g, out);
      case RdpSecurityEvidence r -> out.add(new Line("rdp_sec", rdpSecurity(r)));
      case RdpFileEvidence f -> rdpFile(f, out);
      case EventLogEvidence l -> eventLog(l, out);
    }
    return out;
  }

  private static void nla(NlaEvidence n, List<Line> out) {
    out.add(new Line("nla", NlaFacts.summary(n)));
    if (n.logon() != null) {
      out.add(new Line("nla", NlaFacts.logon(n.logon())));
    }
  }

  private static void session(SessionEvidence s, List<Line> out) {
    out.add(new Line("session", s.summary() + (s.detail() == null ? "" : ": " + s.detail())));
    if (s.security() != null) {
      out.add(new Line("session", "protected by " + s.security()));
    }
    out.add(new Line("session", s.timeline()));
  }

  /** The path checks that ran, each with what it cost and its bound. */
  private static void path(PathEvidence p, List<Line> out) {
    if (p.udp() != null) {
      UdpCheck u = p.udp();
      out.add(
          new Line(
              "udp",
              PathFacts.udp(u)
                  + "; "
                  + PathFacts.udpOffer(u)
                  + " ["
                  + PathFacts.cost(u.millis(), u.bounds())
                  + "]"));
    }
    if (p.quality() != null) {
      QualityCheck q = p.quality();
      out.add(
          new Line(
              "quality",
              PathFacts.quality(q)
                  + "; ran because "
                  + q.trigger()
                  + " ["
                  + PathFacts.cost(q.millis(), q.bounds())
                  + "]"));
    }
    if (p.mtu() != null) {
      MtuCheck m = p.mtu();
      out.add(
          new Line("mtu", PathFacts.mtu(m) + " [" + PathFacts.cost(m.millis(), m.bounds()) + "]"));
    }
    if (p.connectionLimit() != null) {
      ConnectionLimitCheck c = p.connectionLimit();
      out.add(
          new Line(
              "connlimit",
              PathFacts.connectionLimit(c) + " [" + PathFacts.cost(c.millis(), c.bounds()) + "]"));
    }
    if (p.alternate() != null) {
      AlternateAddressCheck a = p.alternate();
      out.add(
          new Line(
              "given-ip",
              PathFacts.alternate(a) + " [" + PathFacts.cost(a.millis(), a.bounds()) + "]"));
    }
    if (p.interfaces() != null) {
      p.interfaces().forEach(i -> out.add(new Line("iface", PathFacts.iface(i))));
    }
  }

  private static void ciphers(TlsCipherEvidence c, List<Line> out) {
    for (TlsCipherEvidence.VersionSuites v : c.versions()) {
      out.add(
          new Line(
              "tls_ciphers",
              v.version()
                  + ": "
                  + (v.accepted().isEmpty()
                      ? "none (" + v.endedWith() + ")"
                      : v.accepted().size()
                          + " suites"
                          + (Boolean.TRUE.equals(v.serverPreference())
                              ? " in the server's order"
                              : "")
                          + ": "
                          + String.join(
                              ", ",
                              v.accepted().stream().map(TlsCipherEvidence.Suite::name).toList()))));
    }
    out.add(
        new Line(
            "tls_ciphers",
            "groups: "
                + (c.acceptedGroups().isEmpty()
                    ? "none found"
                    : String.join(", ", c.acceptedGroups()))
                + "; "
                + c.connections()
                + " of at most "
                + c.maxConnections()
                + " connections"
                + (c.complete() ? "" : ", cut short")));
  }

  private static void gateway(GatewayEvidence g, List<Line> out) {
    String label = "gateway";
    out.add(new Line(label, "RD Gateway " + g.display() + ": " + Facts.dns(g.dns())));
    g.tcp().forEach(t -> out.add(new Line(label, Facts.tcp(t))));
    if (g.tls() != null) {
      out.add(new Line(label, Facts.tls(g.tls())));
      if (!g.tls().chain().isEmpty()) {
        out.add(
            new Line(
                label,
                "certificate: "
                    + Facts.certificate(g.tls().chain().get(0))
                    + "; SHA-256 "
                    + g.tls().chain().get(0).sha256()));
      }
    }
    g.http().forEach(h -> out.add(new Line(label, "http: " + http(h))));
    if (g.tunnel() != null) {
      GatewayEvidence.TunnelResult t = g.tunnel();
      out.add(new Line(label, "logon: " + tunnelLogon(t)));
      t.steps().forEach(s -> out.add(new Line(label, "tunnel: " + tunnelStep(s))));
    }
    if (g.udp() != null) {
      out.add(new Line(label, gatewayUdp(g.udp())));
    }
    g.notChecked().forEach(n -> out.add(new Line(label, "not checked: " + n)));
  }

  /** One HTTP request to the gateway and its answer, with the time it took. */
  public static String http(HttpAttempt h) {
    return h.label()
        + " -> "
        + (h.answered()
            ? h.status()
                + " "
                + (h.reason() == null ? "" : h.reason())
                + (h.authSchemes().isEmpty() ? "" : " [" + String.join(", ", h.authSchemes()) + "]")
            : "no answer (" + h.error() + ")")
        + " ("
        + h.millis()
        + " ms)";
  }

  public static String tunnelLogon(GatewayEvidence.TunnelResult t) {
    return t.authScheme()
        + " -> HTTP "
        + t.authStatus()
        + (t.authError() == null ? "" : " (" + t.authError() + ")");
  }

  public static String tunnelStep(TunnelStep s) {
    return s.step()
        + " -> "
        + (s.hresult() == null ? "no answer" : s.hresultName() + " " + s.hresultHex())
        + (s.detail() == null ? "" : " (" + s.detail() + ")");
  }

  public static String gatewayUdp(UdpResult u) {
    return "udp "
        + u.port()
        + ": "
        + u.outcome().name().toLowerCase(Locale.ROOT)
        + " ("
        + u.detail()
        + ")";
  }

  /** Standard RDP Security as the server offers it, in one line. */
  public static String rdpSecurity(RdpSecurityEvidence s) {
    if (s.status() != RdpSecurityEvidence.Status.OK) {
      return s.status().name().toLowerCase(Locale.ROOT) + ": " + s.detail();
    }
    return "accepts "
        + s.methods().stream().filter(Method::accepted).map(Method::name).toList()
        + ", encryption level "
        + s.encryptionLevelName()
        + ", "
        + s.serverVersionName()
        + (s.certificate() == null
            ? ""
            : ", "
                + s.certificate().kind()
                + " certificate"
                + (s.certificate().modulusBits() == null
                    ? ""
                    : " RSA-" + s.certificate().modulusBits())
                + (s.certificate().signatureValid() == null
                    ? ""
                    : s.certificate().signatureValid() ? " (signed)" : " (signature INVALID)"))
        // RDP-UDP is secured by TLS/DTLS ([MS-RDPEMT] 1.5): a server that offers it over TLS
        // may stay silent about it under Standard RDP Security, so its absence here is no "no"
        + (Boolean.TRUE.equals(s.offersUdp())
            ? ", RDP-UDP offered"
            : ", no RDP-UDP offer under Standard RDP Security");
  }

  private static void rdpFile(RdpFileEvidence f, List<Line> out) {
    String label = "rdp_file";
    out.add(
        new Line(
            label,
            f.path()
                + " ("
                + f.settings()
                + " settings, "
                + f.encoding()
                + "): full address "
                + f.fullAddress()
                + ", port "
                + f.port()
                + (f.gateway() != null && f.gateway().used()
                    ? ", through RD Gateway " + f.gateway().hostname()
                    : "")
                + (f.savedPassword() ? ", a saved password" : "")));
    out.add(
        new Line(
            label,
            f.issues().size()
                + " linter issue(s), "
                + f.problems().size()
                + " unreadable line(s)"));
  }

  private static void eventLog(EventLogEvidence l, List<Line> out) {
    out.add(
        new Line(
            "event_log",
            l.events().size() + " RDP-relevant event(s) in " + String.join(", ", l.files())));
    l.events().stream()
        .limit(MAX_EVENT_LINES)
        .forEach(x -> out.add(new Line("event_log", event(x))));
    if (l.events().size() > MAX_EVENT_LINES) {
      out.add(
          new Line(
              "event_log",
              (l.events().size() - MAX_EVENT_LINES)
                  + " more event(s); the findings quote the ones that matter"));
    }
  }

  /** One event: time, provider, id, meaning and its first data fields (values capped). */
  public static String event(LogEvent x) {
    StringBuilder sb = new StringBuilder();
    sb.append(x.time() == null ? "(no time)" : x.time().toString())
        .append(' ')
        .append(x.provider() == null ? "?" : x.provider())
        .append(' ')
        .append(x.eventId())
        .append(": ")
        .append(x.meaning());
    if (!x.data().isEmpty()) {
      List<String> kv = new ArrayList<>();
      x.data()
          .forEach(
              (k, v) -> {
                if (kv.size() < 6 && v != null && !v.isBlank()) {
                  kv.add(k + "=" + (v.length() > 60 ? v.substring(0, 60) + "..." : v));
                }
              });
      sb.append(" (").append(String.join(", ", kv)).append(')');
    }
    return sb.toString();
  }
}

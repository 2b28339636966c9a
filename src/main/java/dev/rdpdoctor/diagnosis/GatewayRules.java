package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.FindingFactory.ref;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.ProxyError;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Facts;
import dev.rdpdoctor.evidence.GatewayEvidence;
import dev.rdpdoctor.evidence.GatewayEvidence.HttpAttempt;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelResult;
import dev.rdpdoctor.evidence.GatewayEvidence.TunnelStep;
import dev.rdpdoctor.evidence.GatewayEvidence.UdpResult;
import dev.rdpdoctor.evidence.SectionFacts;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.kb.InterceptionIssuers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Rules over the RD Gateway evidence, in the order the client meets the gateway: name, TCP, TLS and
 * certificate (with TLS inspection), the HTTP transport's answer, the credentialed tunnel (CAP,
 * then RAP), and UDP 3391. Every finding names the gateway, not the RDP host.
 */
public final class GatewayRules implements RuleSet {
  /** The schemes an RD Gateway offers for its HTTP transport ([MS-TSGU] 3.3.5.1). */
  static final List<String> GATEWAY_SCHEMES =
      List.of("Negotiate", "NTLM", "Basic", "Digest", "Bearer");

  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(
      Evidence e, FindingFactory f, List<Finding> out, List<String> checked) {
    Optional<GatewayEvidence> section = e.section(GatewayEvidence.class);
    if (section.isEmpty()) {
      return true;
    }
    return new Run(section.get(), f, out, checked).apply();
  }

  private static final class Run {
    private final GatewayEvidence g;
    private final FindingFactory f;
    private final List<Finding> out;
    private final List<String> checked;
    private final String gw;

    Run(GatewayEvidence g, FindingFactory f, List<Finding> out, List<String> checked) {
      this.g = g;
      this.f = f;
      this.out = out;
      this.checked = checked;
      this.gw = "RD Gateway " + g.display();
    }

    private void add(
        CauseId cause, Severity s, Confidence c, String summary, List<EvidenceRef> refs) {
      out.add(f.finding(cause, s, c, summary, refs));
    }

    /** A failure whose summary begins "The RD Gateway host:port", {@code rest} continuing it. */
    private void gatewayFails(CauseId cause, Confidence c, String rest, List<EvidenceRef> refs) {
      add(cause, Severity.FAIL, c, "The " + gw + rest, refs);
    }

    boolean apply() {
      if (!reachable()) {
        return true; // a finding says why; nothing else about the gateway can be known
      }
      if (!tls()) {
        return true;
      }
      boolean complete = http();
      complete &= tunnel();
      udp();
      return complete;
    }

    private boolean reachable() {
      DnsEvidence d = g.dns();
      if (!d.resolved()) {
        gatewayFails(
            CauseId.GATEWAY_UNREACHABLE,
            d.status() == DnsEvidence.Status.NOT_FOUND ? Confidence.HIGH : Confidence.MEDIUM,
            " name does not resolve ("
                + d.status().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + "): the client cannot even start the gateway connection.",
            List.of(ref("gateway", "dns: " + Facts.dns(d))));
        return false;
      }
      if (g.tcp().stream().anyMatch(TcpEvidence::open)) {
        checked.add("gateway " + g.display() + ": name and TCP port " + g.port());
        return true;
      }
      List<EvidenceRef> refs =
          g.tcp().stream().map(t -> ref("gateway", "tcp: " + Facts.tcp(t))).toList();
      String how =
          g.tcp().stream()
              .map(t -> t.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '))
              .distinct()
              .collect(Collectors.joining("/"));
      add(
          CauseId.GATEWAY_UNREACHABLE,
          Severity.FAIL,
          Confidence.HIGH,
          "Nothing accepts HTTPS on the "
              + gw
              + " (TCP "
              + g.port()
              + ": "
              + how
              + "). The gateway service is down, the "
              + "port is wrong, or a firewall blocks it.",
          refs);
      return false;
    }

    private boolean tls() {
      TlsEvidence t = g.tls();
      if (t == null) {
        return false;
      }
      List<EvidenceRef> tlsRef = List.of(ref("gateway", "tls: " + Facts.tls(t)));
      if (!t.ok()) {
        // A handshake that dies after the certificate, from an inspection CA, is the device.
        interception(t, true);
        add(
            CauseId.GATEWAY_TLS_FAILED,
            Severity.FAIL,
            Confidence.HIGH,
            "TLS with the "
                + gw
                + " fails ("
                + t.status().name().toLowerCase(Locale.ROOT)
                + (t.alert() != null ? ", alert " + t.alert() : "")
                + (t.error() != null ? ": " + t.error() : "")
                + "). The client reports a gateway"
                + " error before any logon.",
            tlsRef);
        return false;
      }
      checked.add("gateway TLS (" + t.version() + ") and certificate");
      interception(t, false);
      if (!t.chain().isEmpty()) {
        out.addAll(
            CertificateChecks.check(
                t.chain().get(0), CertificateChecks.Policy.gateway(g.display(), g.host()), f));
      }
      return true;
    }

    private void interception(TlsEvidence t, boolean broken) {
      InterceptionIssuers list = InterceptionIssuers.get();
      for (CertificateInfo c : t.chain()) {
        var hit = list.match(c.issuer()).or(() -> list.match(c.subject()));
        if (hit.isPresent()) {
          add(
              CauseId.TLS_INTERCEPTION,
              Severity.FAIL,
              Confidence.HIGH,
              "The certificate the "
                  + gw
                  + " presents was issued by '"
                  + c.issuer()
                  + "', the signing CA of "
                  + hit.get().product()
                  + ": a TLS-inspection device in the path re-signs the "
                  + "gateway's traffic"
                  + (broken ? " and the handshake breaks" : "")
                  + ". The RD Gateway tunnel does not survive inspection; exempt the gateway.",
              List.of(
                  ref("gateway", "certificate: " + Facts.certificate(c)),
                  ref(
                      "gateway",
                      "inspection product (by issuer name): "
                          + hit.get().product()
                          + " [source: "
                          + hit.get().source()
                          + "]")));
          return;
        }
      }
      String want = g.expectedFingerprint();
      if (want != null && !t.chain().isEmpty()) {
        String got = t.chain().get(0).sha256().replace(":", "").toUpperCase(Locale.ROOT);
        if (!got.equals(want)) {
          gatewayFails(
              CauseId.TLS_INTERCEPTION,
              Confidence.HIGH,
              " presents a "
                  + "certificate with SHA-256 "
                  + got
                  + ", not the expected "
                  + want
                  + ": something "
                  + "between this client and the gateway presents its own certificate (TLS "
                  + "inspection), or the gateway's certificate was replaced.",
              List.of(ref("gateway", "certificate: " + Facts.certificate(t.chain().get(0)))));
        } else {
          checked.add("gateway certificate fingerprint matches the expected one");
        }
      }
    }

    private boolean http() {
      List<HttpAttempt> http = g.http();
      if (http.isEmpty()) {
        return false;
      }
      HttpAttempt main = http.get(0);
      List<EvidenceRef> refs =
          http.stream().map(h -> ref("gateway", "http: " + SectionFacts.http(h))).toList();
      if (!main.answered()) {
        add(
            CauseId.GATEWAY_TLS_FAILED,
            Severity.FAIL,
            Confidence.MEDIUM,
            "TLS with the "
                + gw
                + " works, but the RDG_OUT_DATA request got no HTTP answer ("
                + main.error()
                + "): something after TLS (a proxy or inspection device) drops the gateway's "
                + "own method.",
            refs);
        return false;
      }
      int s = main.status();
      boolean gatewaySchemes =
          main.authSchemes().stream()
              .anyMatch(x -> GATEWAY_SCHEMES.stream().anyMatch(x::equalsIgnoreCase));
      if (s == 401 && gatewaySchemes) {
        checked.add(
            "gateway HTTP transport: "
                + s
                + " asking for "
                + String.join(", ", main.authSchemes())
                + " (a healthy RD Gateway before logon)");
        websocket(http, refs);
        return true;
      }
      if (s == 401) {
        gatewayFails(
            CauseId.GATEWAY_NOT_RD_GATEWAY,
            Confidence.MEDIUM,
            " asks for authentication but offers no scheme an RD Gateway uses ("
                + main.authSchemes()
                + ").",
            refs);
        return true;
      }
      if (s == 403) {
        gatewayFails(
            CauseId.GATEWAY_FORBIDDEN,
            Confidence.MEDIUM,
            " answers "
                + "403 Forbidden to the RD Gateway path before any logon: the site refuses the "
                + "HTTP transport (IIS request filtering, an IP restriction, or a WAF rule on "
                + "/remoteDesktopGateway/)."
                + hint(main),
            refs);
        return true;
      }
      if (s == 404 || s == 405 || s == 410 || s == 400 || s == 501 || s / 100 == 2) {
        gatewayFails(
            CauseId.GATEWAY_NOT_RD_GATEWAY,
            Confidence.HIGH,
            " is a web server but not an RD Gateway: /remoteDesktopGateway/ answers "
                + s
                + " "
                + (main.reason() == null ? "" : main.reason())
                + (main.server() != null ? " (Server: " + main.server() + ")" : "")
                + "."
                + hint(main),
            refs);
        return true;
      }
      if (s / 100 == 3) {
        gatewayFails(
            CauseId.GATEWAY_NOT_RD_GATEWAY,
            Confidence.MEDIUM,
            " redirects the RD Gateway path ("
                + s
                + " to "
                + main.location()
                + "); the "
                + "client does not follow redirects, so the gateway name or a proxy in front of "
                + "it is wrong.",
            refs);
        return true;
      }
      if (s / 100 == 5) {
        gatewayFails(
            CauseId.GATEWAY_ERROR,
            Confidence.HIGH,
            " answers "
                + s
                + " "
                + (main.reason() == null ? "" : main.reason())
                + ": the gateway (or the "
                + "proxy in front of it) fails internally"
                + (s == 502 || s == 504
                    ? ", a reverse proxy cannot reach the RD Gateway service behind it"
                    : "")
                + "."
                + hint(main),
            refs);
        return true;
      }
      add(
          CauseId.GATEWAY_NOT_RD_GATEWAY,
          Severity.WARN,
          Confidence.LOW,
          "The " + gw + " answers the RD Gateway path with an unexpected " + s + ".",
          refs);
      return true;
    }

    private static String hint(HttpAttempt h) {
      return h.bodyHint() == null || h.bodyHint().isBlank()
          ? ""
          : " The page says: \"" + h.bodyHint() + "\".";
    }

    private void websocket(List<HttpAttempt> http, List<EvidenceRef> refs) {
      http.stream()
          .filter(h -> h.label().equals("websocket"))
          .findFirst()
          .ifPresent(
              w -> {
                if (!w.answered()) {
                  add(
                      CauseId.TLS_INTERCEPTION,
                      Severity.WARN,
                      Confidence.LOW,
                      "The "
                          + gw
                          + " answers the "
                          + "plain request, but the WebSocket upgrade gets no HTTP answer ("
                          + w.error()
                          + "): a proxy or inspection device in the path may break the upgrade.",
                      refs);
                } else {
                  checked.add("gateway WebSocket upgrade request: " + w.status());
                }
              });
    }

    private boolean tunnel() {
      TunnelResult t = g.tunnel();
      if (t == null) {
        return true;
      }
      List<EvidenceRef> refs = new ArrayList<>();
      refs.add(ref("gateway", "logon: " + SectionFacts.tunnelLogon(t)));
      t.steps().forEach(s -> refs.add(ref("gateway", "tunnel: " + SectionFacts.tunnelStep(s))));
      if (t.authStatus() == 401) {
        gatewayFails(
            CauseId.GATEWAY_AUTH_FAILED,
            Confidence.HIGH,
            " rejects the " + "user name or password (HTTP 401 after the NTLM exchange).",
            refs);
        return true;
      }
      if (t.authError() != null && t.steps().isEmpty()) {
        // after a 101 the logon worked and the upgrade itself is broken: every client fails there
        boolean upgraded = t.authStatus() == 101;
        add(
            CauseId.GATEWAY_ERROR,
            upgraded ? Severity.FAIL : Severity.WARN,
            upgraded ? Confidence.HIGH : Confidence.LOW,
            "The logon to the " + gw + " could not be completed: " + t.authError() + ".",
            refs);
        return false;
      }
      for (TunnelStep s : t.steps()) {
        if (s.ok()) {
          continue;
        }
        ProxyError code = s.hresult() == null ? null : ProxyError.of(s.hresult());
        CauseId cause = code == null ? CauseId.GATEWAY_ERROR : CauseId.of(code.cause());
        String side = code == null ? null : code.side();
        String what =
            code == null
                ? "no answer to " + s.step()
                : s.hresultName() + " (" + s.hresultHex() + "): " + s.detail();
        String summary =
            switch (side == null ? "" : side) {
              case "CAP" ->
                  "The "
                      + gw
                      + " admits the logon but its connection authorization "
                      + "policy (RD CAP) denies this user at "
                      + s.step()
                      + ": "
                      + what
                      + ". Fix it in the gateway's RD CAP (user groups, device redirection, "
                      + "authentication method).";
              case "RAP" ->
                  "The "
                      + gw
                      + " denies the connection to the target at "
                      + s.step()
                      + ": "
                      + what
                      + ". Fix it in the gateway's resource authorization policy (RD RAP):"
                      + " add the target computer to an allowed group and check its port.";
              case "target" ->
                  "The "
                      + gw
                      + " admits the user but cannot reach the target at "
                      + s.step()
                      + ": "
                      + what
                      + ".";
              default -> "The " + gw + " fails at " + s.step() + ": " + what + ".";
            };
        add(cause, Severity.FAIL, Confidence.HIGH, summary, refs);
        return true;
      }
      if (t.completed()) {
        checked.add("gateway logon, CAP and RAP: the gateway opened a channel to the target");
      }
      return t.completed();
    }

    private void udp() {
      UdpResult u = g.udp();
      if (u == null) {
        return;
      }
      List<EvidenceRef> refs = List.of(ref("gateway", SectionFacts.gatewayUdp(u)));
      switch (u.outcome()) {
        case ANSWERED -> checked.add("gateway UDP " + u.port() + " (DTLS answered)");
        case SILENT ->
            add(
                CauseId.GATEWAY_UDP_BLOCKED,
                Severity.WARN,
                Confidence.MEDIUM,
                "UDP "
                    + u.port()
                    + " to the "
                    + gw
                    + " gets no answer: a firewall drops it, or "
                    + "the gateway has no UDP transport. The connection falls back to HTTPS only,"
                    + " slower and less smooth; clients may pause while UDP times out.",
                refs);
        case REFUSED ->
            add(
                CauseId.GATEWAY_UDP_BLOCKED,
                Severity.INFO,
                Confidence.HIGH,
                "The "
                    + gw
                    + " host answers that nothing listens on UDP "
                    + u.port()
                    + ": the UDP transport is off on the gateway, so sessions use HTTPS only.",
                refs);
        default -> {}
      }
    }
  }
}

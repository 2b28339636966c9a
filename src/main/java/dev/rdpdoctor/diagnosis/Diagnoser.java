package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.NegotiationFailureCode;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Facts;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationAttempt.Outcome;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsVersionResult;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.kb.Cause;
import dev.rdpdoctor.kb.CauseId;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pure rules from evidence to ranked findings. No I/O: everything here can be tested from
 * canned evidence. Rules run in path order (name, port, negotiation, TLS, certificate), and the
 * ranking keeps that order among findings of equal severity and confidence, because an earlier
 * failure on the path is the one the user hits first.
 */
public final class Diagnoser {
  static final Set<String> LEGACY_TLS = Set.of("TLSv1", "TLSv1.0", "TLSv1.1");

  private final KnowledgeBase kb;
  private final Clock clock;
  private final List<RuleSet> extraRules;

  public Diagnoser(KnowledgeBase kb, Clock clock) {
    this.kb = kb;
    this.clock = clock;
    this.extraRules = List.of(new NlaRules(), new RdpFileRules(), new PathRules(),
        new GatewayRules(), new EventLogRules(), new RdpSecurityRules(),
        new TlsCipherRules(), new SessionRules());
  }

  public static Diagnoser standard() {
    return new Diagnoser(KnowledgeBase.get(), Clock.systemUTC());
  }

  public Diagnosis diagnose(Evidence e) {
    return new Run(e.target()).diagnose(e);
  }

  /** One diagnosis; holds the target so every finding's fixes name the right host. */
  private final class Run {
    private final FindingFactory factory;

    Run(Target target) {
      this.factory = new FindingFactory(kb, target, clock);
    }

    Diagnosis diagnose(Evidence e) {
      List<Finding> out = new ArrayList<>();
      List<String> checked = new ArrayList<>();
      // No direct-path evidence (dns null): the client reaches the host only through an RD
      // Gateway, so the path rules have nothing to judge and the gateway rules decide.
      boolean complete = e.dns() == null
          || reachability(e, out, checked)
          && negotiation(e, out, checked)
          && tls(e, out, checked);
      for (RuleSet rules : extraRules) {
        complete &= rules.apply(e, factory, out, checked);
      }
      List<Finding> ranked = rank(out);
      boolean problem = ranked.stream().anyMatch(
          f -> f.severity() == Severity.FAIL || f.severity() == Severity.WARN);
      if (!problem) {
        if (complete) {
          ranked.add(0, healthy(e, checked));
        } else {
          ranked.add(0, finding(CauseId.INCONCLUSIVE, Severity.WARN, Confidence.LOW,
              "Nothing conclusive: some checks could not be completed ("
                  + String.join("; ", e.notChecked()) + ").", List.of()));
        }
      }
      Verdict verdict = verdict(ranked);
      return new Diagnosis(verdict, List.copyOf(ranked), List.copyOf(checked), e.notChecked());
    }

    // ---------------------------------------------------------------- name and port

    private boolean reachability(Evidence e, List<Finding> out, List<String> checked) {
      DnsEvidence dns = e.dns();
      String host = e.target().host();
      if (dns.status() == DnsEvidence.Status.NOT_FOUND) {
        out.add(finding(CauseId.DNS_UNRESOLVABLE, Severity.FAIL, Confidence.HIGH,
            "The name " + host + " does not resolve: the DNS server says no such name exists.",
            List.of(ref("dns", Facts.dns(dns)))));
        return false;
      }
      if (dns.status() == DnsEvidence.Status.TIMEOUT) {
        out.add(finding(CauseId.DNS_UNRESOLVABLE, Severity.FAIL, Confidence.MEDIUM,
            "The name " + host + " could not be resolved: the DNS server did not answer in time.",
            List.of(ref("dns", Facts.dns(dns)))));
        return false;
      }
      checked.add(dns.status() == DnsEvidence.Status.RESOLVED
          ? "name resolution (" + dns.addresses().size() + " address(es))"
          : "address given directly (no name resolution needed)");
      List<TcpEvidence> tcp = e.tcp();
      checked.add("TCP port " + e.target().port() + " on " + tcp.size() + " address(es)");
      if (tcp.stream().anyMatch(TcpEvidence::open)) {
        return true;
      }
      List<EvidenceRef> refs = new ArrayList<>();
      tcp.forEach(t -> refs.add(ref("tcp", Facts.tcp(t))));
      int port = e.target().port();
      String addrs = tcp.stream().map(TcpEvidence::address).collect(Collectors.joining(", "));
      if (tcp.stream().anyMatch(t -> t.outcome() == TcpEvidence.Outcome.REFUSED)) {
        out.add(finding(CauseId.PORT_CLOSED, Severity.FAIL, Confidence.HIGH,
            "Nothing accepts connections on port " + port + " at " + addrs + ": the connection"
                + " is actively refused. Remote Desktop is off, listens on another port, or a"
                + " firewall rejects it.", refs));
        return false;
      }
      if (tcp.stream().anyMatch(t -> t.outcome() == TcpEvidence.Outcome.HOST_UNREACHABLE
          || t.outcome() == TcpEvidence.Outcome.NETWORK_UNREACHABLE)) {
        out.add(finding(CauseId.HOST_UNREACHABLE, Severity.FAIL, Confidence.HIGH,
            "The network reports " + addrs + " as unreachable: no route to it from here"
                + " (VPN not connected, wrong address, or the machine is off).", refs));
        return false;
      }
      if (tcp.stream().allMatch(t -> t.outcome() == TcpEvidence.Outcome.TIMEOUT)) {
        var live = e.liveness();
        if (live != null) {
          live.otherPorts().stream().filter(TcpEvidence::answered)
              .forEach(t -> refs.add(ref("liveness", Facts.tcp(t))));
          if (live.icmpEcho() != null) {
            refs.add(ref("liveness", "ping " + live.address() + ": "
                + (live.icmpEcho() ? "answered" : "no reply")));
          }
        }
        if (live != null && live.hostAlive()) {
          out.add(finding(CauseId.PORT_FILTERED, Severity.FAIL, Confidence.HIGH,
              "The machine at " + live.address() + " is up (it answers on other ports or to"
                  + " ping), but port " + port + " gets no answer at all: a firewall silently"
                  + " drops Remote Desktop traffic.", refs));
        } else {
          out.add(finding(CauseId.HOST_UNREACHABLE, Severity.FAIL, Confidence.MEDIUM,
              "Nothing answers at " + addrs + ": not port " + port + ", not other common ports,"
                  + " not ping. The machine is off or unplugged, the address is wrong (stale"
                  + " DNS?), or a firewall drops everything for it.", refs));
        }
        return false;
      }
      out.add(finding(CauseId.INCONCLUSIVE, Severity.WARN, Confidence.LOW,
          "Connecting to port " + port + " failed in an unexpected way; see the evidence.", refs));
      return false;
    }

    // ---------------------------------------------------------------- X.224 negotiation

    private boolean negotiation(Evidence e, List<Finding> out, List<String> checked) {
      if (e.negotiation() == null) {
        return false;
      }
      NegotiationAttempt client = e.negotiation().client().orElse(null);
      if (client == null) {
        out.add(finding(CauseId.INCONCLUSIVE, Severity.WARN, Confidence.LOW,
            "The RDP negotiation probe did not finish.", List.of()));
        return false;
      }
      checked.add("RDP security negotiation (" + e.negotiation().attempts().size()
          + " requests: the client's offer and each protocol alone)");
      ClientProfile profile = e.target().profile();
      List<EvidenceRef> refs = new ArrayList<>();
      refs.add(ref("negotiation", Facts.negotiation(client)));
      int port = e.target().port();
      switch (client.outcome()) {
        case NOT_RDP -> {
          out.add(finding(CauseId.NOT_RDP_SERVICE, Severity.FAIL, Confidence.HIGH,
              "Port " + port + " answers, but not with Remote Desktop: it looks like "
                  + client.peerProtocol() + ". Check the port number, or a port forward that"
                  + " points at the wrong machine.", refs));
          return false;
        }
        case MALFORMED -> {
          out.add(finding(CauseId.NOT_RDP_SERVICE, Severity.FAIL, Confidence.MEDIUM,
              "Port " + port + " answers with something RDP-like that does not follow the"
                  + " protocol: a proxy, a honeypot or a broken server.", refs));
          return false;
        }
        case CLOSED, RESET, DISCONNECTED -> {
          otherDrops(e, client, refs);
          out.add(finding(CauseId.SERVER_CLOSED_CONNECTION, Severity.FAIL, Confidence.HIGH,
              "The server accepts the TCP connection, then "
                  + (switch (client.outcome()) {
                    case RESET -> "resets";
                    case DISCONNECTED -> "sends a disconnect for";
                    default -> "closes";
                  })
                  + " it without answering the Remote Desktop request (what mstsc reports as"
                  + " 0x904). Remote Desktop Services on the host is failing or refusing"
                  + " connections, or a device in the path cuts RDP.", refs));
          return false;
        }
        case TIMEOUT -> {
          out.add(finding(CauseId.SERVER_UNRESPONSIVE, Severity.FAIL, Confidence.MEDIUM,
              "The server accepts the TCP connection but never answers the Remote Desktop"
                  + " request: the Remote Desktop service is hung or overloaded, or something"
                  + " else holds the port.", refs));
          return false;
        }
        case CONNECT_FAILED -> {
          out.add(finding(CauseId.INCONCLUSIVE, Severity.WARN, Confidence.LOW,
              "Port " + port + " accepted a first connection but not the next one; the server"
                  + " may limit connections. Run again to see if it repeats.", refs));
          return false;
        }
        case FAILURE -> {
          return negotiationFailure(e, client, profile, refs, out);
        }
        case NO_NEGOTIATION_DATA -> {
          standardOnly(profile, refs, out, "The server is a legacy one that only speaks"
              + " Standard RDP Security (it ignores the security negotiation).");
          return false;
        }
        case RESPONSE -> {
          if (client.selectedProtocol() == SecurityProtocol.PROTOCOL_RDP) {
            standardOnly(profile, refs, out, "The server picks Standard RDP Security although"
                + " the client offers " + SecurityProtocol.friendly(profile.requestedProtocols())
                + ".");
            return false;
          }
          return true;
        }
      }
      return false;
    }

    private boolean negotiationFailure(Evidence e, NegotiationAttempt client,
        ClientProfile profile, List<EvidenceRef> refs, List<Finding> out) {
      NegotiationFailureCode code = NegotiationFailureCode.valueOf(client.failureCode());
      CauseId cause = code.cause().orElse(CauseId.INCONCLUSIVE);
      switch (cause) {
        case NLA_REQUIRED -> {
          e.negotiation().forProtocol(SecurityProtocol.PROTOCOL_HYBRID)
              .ifPresent(a -> refs.add(ref("negotiation", Facts.negotiation(a))));
          out.add(finding(cause, Severity.FAIL, Confidence.HIGH,
              "The server requires Network Level Authentication (CredSSP), and this client ("
                  + profile.description() + ") does not offer it. Turn CredSSP/NLA back on in"
                  + " the client, or relax the server.", refs));
        }
        case TLS_REQUIRED -> out.add(finding(cause, Severity.FAIL, Confidence.HIGH,
            "The server requires TLS"
                + (code.equals(NegotiationFailureCode.SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER)
                    ? " with user authentication" : "")
                + " (or CredSSP), which this client (" + profile.description()
                + ") does not offer.", refs));
        case STANDARD_SECURITY_ONLY -> standardOnly(profile, refs, out, "The server refuses TLS"
            + " and CredSSP: its security layer is set to RDP (Standard RDP Security only).");
        case TLS_CERTIFICATE_MISSING -> out.add(finding(cause, Severity.FAIL, Confidence.HIGH,
            "The server wants TLS but has no usable certificate for it (SSL_CERT_NOT_ON_SERVER):"
                + " its Remote Desktop certificate is missing or its private key unreadable.",
            refs));
        case INCONCLUSIVE -> out.add(finding(cause, Severity.WARN, Confidence.LOW,
            "The server refused the security negotiation with " + client.failureName()
                + ", a reason rdpdoctor cannot interpret further.", refs));
        default -> out.add(finding(cause, Severity.FAIL, Confidence.HIGH, "The server refused"
            + " the security negotiation with " + code.name() + ": " + code.description()
            + ".", refs));
      }
      // The certificate is still worth checking when the server speaks TLS to other offers.
      return e.tls() != null && e.tls().status() != TlsEvidence.Status.NOT_NEGOTIATED;
    }

    private void standardOnly(ClientProfile profile, List<EvidenceRef> refs, List<Finding> out,
        String why) {
      boolean fails = !profile.acceptsStandardRdp();
      out.add(finding(CauseId.STANDARD_SECURITY_ONLY, fails ? Severity.FAIL : Severity.WARN,
          Confidence.HIGH, why + (fails ? " This client refuses that, so the connection fails."
              : " Clients that insist on TLS or NLA (by policy or setting) cannot connect, and"
                  + " the server's identity cannot be verified (man-in-the-middle risk)."),
          refs));
    }

    private static void otherDrops(Evidence e, NegotiationAttempt client, List<EvidenceRef> refs) {
      long dropped = e.negotiation().attempts().stream().filter(a -> a != client)
          .filter(NegotiationAttempt::dropped).count();
      long total = e.negotiation().attempts().size() - 1;
      if (total > 0) {
        refs.add(ref("negotiation", dropped + " of " + total
            + " single-protocol requests were dropped the same way"));
      }
    }

    // ---------------------------------------------------------------- TLS and certificate

    private boolean tls(Evidence e, List<Finding> out, List<String> checked) {
      TlsEvidence t = e.tls();
      if (t == null || t.status() == TlsEvidence.Status.NOT_NEGOTIATED) {
        return t != null || e.negotiation() == null;
      }
      List<EvidenceRef> refs = new ArrayList<>();
      refs.add(ref("tls", Facts.tls(t)));
      if (!t.ok()) {
        String why = switch (t.status()) {
          case ALERT -> "The server aborts the TLS handshake with the alert " + t.alert()
              + ": it shares no TLS version or cipher suite with the client, or its TLS"
              + " configuration is broken.";
          case CLOSED -> "The server closes the connection in the middle of the TLS handshake"
              + " (mstsc reports 0x904): its TLS settings reject this client, or its certificate"
              + " or private key is unusable.";
          case TIMEOUT -> "The TLS handshake starts but the server's reply never completes ("
              + t.bytesReceived() + " bytes arrived). Small packets pass and large ones do not:"
              + " typical of an MTU problem on a VPN or tunnel, or a badly overloaded server.";
          default -> "The TLS handshake with the server fails: " + t.error() + ".";
        };
        out.add(finding(CauseId.TLS_HANDSHAKE_FAILED, Severity.FAIL,
            t.status() == TlsEvidence.Status.TIMEOUT || t.status() == TlsEvidence.Status.ERROR
                ? Confidence.MEDIUM : Confidence.HIGH, why, refs));
        return false;
      }
      checked.add("TLS handshake (" + t.version() + ", " + t.cipherSuite() + ")"
          + (t.versions().isEmpty() ? "" : " and each TLS version 1.0 to 1.3 alone"));
      legacyTls(e, t, out);
      if (t.chain().isEmpty()) {
        out.add(finding(CauseId.TLS_CERTIFICATE_MISSING, Severity.FAIL, Confidence.MEDIUM,
            "The TLS handshake completed without a server certificate.", refs));
        return false;
      }
      checked.add("server certificate (validity, name, key, signature)");
      out.addAll(CertificateChecks.check(t.chain().get(0), CertificateChecks.Policy.rdpServer(
          e.target().host(), e.target().literal()), factory));
      return true;
    }

    private void legacyTls(Evidence e, TlsEvidence t, List<Finding> out) {
      List<String> accepted = t.versions().stream().filter(TlsVersionResult::accepted)
          .map(TlsVersionResult::version).toList();
      boolean legacyOnly = accepted.isEmpty()
          ? LEGACY_TLS.contains(t.version())
          : accepted.stream().allMatch(LEGACY_TLS::contains);
      if (!legacyOnly) {
        return;
      }
      List<EvidenceRef> refs = new ArrayList<>();
      t.versions().forEach(v -> refs.add(ref("tls", Facts.tlsVersion(v))));
      if (refs.isEmpty()) {
        refs.add(ref("tls", Facts.tls(t)));
      }
      out.add(finding(CauseId.TLS_LEGACY_ONLY, Severity.FAIL,
          accepted.isEmpty() ? Confidence.MEDIUM : Confidence.HIGH,
          "The server only speaks " + String.join(" and ", accepted.isEmpty()
              ? List.of(t.version()) : accepted) + ", which current clients ("
              + e.target().profile().name() + " offers " + e.target().profile().oldestTls()
              + " or newer) refuse by default. Enable TLS 1.2 on the server.", refs));
    }

    // ---------------------------------------------------------------- helpers

    private Finding healthy(Evidence e, List<String> checked) {
      if (e.negotiation() == null) {
        return finding(CauseId.HEALTHY, Severity.OK, Confidence.HIGH,
            "Nothing wrong found on the way"
            + " to " + e.target().display() + ": " + String.join("; ", checked) + ".",
            checked.stream().map(c -> ref("checked", c)).toList());
      }
      StringBuilder sb = new StringBuilder("Nothing wrong found: ")
          .append(e.target().display()).append(" accepts the connection");
      e.negotiation().client().filter(a -> a.outcome() == Outcome.RESPONSE)
          .ifPresent(a -> sb.append(", negotiates ")
              .append(SecurityProtocol.friendly(a.selectedProtocol())));
      TlsEvidence t = e.tls();
      if (t != null && t.ok()) {
        sb.append(", completes a ").append(t.version()).append(" handshake");
        if (!t.chain().isEmpty() && t.chain().get(0).notAfter() != null) {
          sb.append(", and its certificate is valid until ")
              .append(CertificateChecks.day(t.chain().get(0).notAfter()));
        }
      }
      sb.append('.');
      List<EvidenceRef> refs = checked.stream().map(c -> ref("checked", c)).toList();
      return finding(CauseId.HEALTHY, Severity.OK, Confidence.HIGH, sb.toString(), refs);
    }

    private Finding finding(CauseId cause, Severity sev, Confidence conf, String summary,
        List<EvidenceRef> refs) {
      return factory.finding(cause, sev, conf, summary, refs);
    }
  }

  private static Verdict verdict(List<Finding> ranked) {
    Finding top = ranked.get(0);
    if (CauseId.INCONCLUSIVE.is(top.cause())) {
      return Verdict.UNKNOWN;
    }
    return switch (top.severity()) {
      case FAIL -> Verdict.FAIL;
      case WARN -> Verdict.WARN;
      case INFO, OK -> Verdict.OK;
    };
  }

  private static List<Finding> rank(List<Finding> in) {
    List<Finding> sorted = new ArrayList<>(in);
    // stable sort: equal severity and confidence keep path order
    sorted.sort(Comparator.comparing(Finding::severity).thenComparing(Finding::confidence));
    return sorted;
  }

  private static EvidenceRef ref(String probe, String fact) {
    return new EvidenceRef(probe, fact);
  }
}

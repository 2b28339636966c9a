package dev.rdpdoctor.fleet;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.diagnosis.Finding;
import dev.rdpdoctor.diagnosis.Verdict;
import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.RdpSecurityEvidence;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsCipherEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsVersionResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a fleet scan keeps of one host once its report is written: the verdict, the causes and the
 * security profile the consistency grouping and the policy compare. A few hundred bytes, so a
 * scan's memory does not grow with its reports.
 *
 * @param target host:port as scanned
 * @param address the address the RDP probes used, or null when none answered
 * @param reachable an RDP service answered the negotiation
 * @param causes every finding's cause id, most likely first
 * @param summary the first finding's sentence
 * @param layers the security protocols the server accepts alone: rdp, tls, nla, nla-ex; null when
 *     not measured
 * @param nla required | offered | not-offered; null when not measured
 * @param tlsVersions the TLS versions the server accepts; null when TLS was not measured
 * @param cipherSuites the suites seen (the handshake's, or all with --tls-ciphers)
 * @param rdpVersion the server's RDP version from its MCS Connect Response
 * @param credsspVersion the TSRequest version of the server's CredSSP
 * @param offersUdp whether the server offers RDP-UDP (multitransport), when it said
 */
public record HostSummary(
    String target,
    String host,
    int port,
    String address,
    boolean reachable,
    Verdict verdict,
    List<String> causes,
    String summary,
    List<String> layers,
    String nla,
    List<String> tlsVersions,
    List<String> cipherSuites,
    String certIssuer,
    String certSubject,
    Instant certNotAfter,
    Integer certKeyBits,
    String rdpVersion,
    Integer credsspVersion,
    Boolean offersUdp,
    long millis,
    PolicyResult policy) {

  /** Longest first-finding sentence kept per host. */
  static final int MAX_SUMMARY = 300;

  private static final Pattern CN = Pattern.compile("(?:^|,\\s*)CN=((?:\\\\.|[^,\\\\])*)");

  public HostSummary {
    causes = List.copyOf(causes);
    layers = layers == null ? null : List.copyOf(layers);
    tlsVersions = tlsVersions == null ? null : List.copyOf(tlsVersions);
    cipherSuites = List.copyOf(cipherSuites);
  }

  public HostSummary withPolicy(PolicyResult p) {
    return new HostSummary(
        target,
        host,
        port,
        address,
        reachable,
        verdict,
        causes,
        summary,
        layers,
        nla,
        tlsVersions,
        cipherSuites,
        certIssuer,
        certSubject,
        certNotAfter,
        certKeyBits,
        rdpVersion,
        credsspVersion,
        offersUdp,
        millis,
        p);
  }

  public String topCause() {
    return causes.isEmpty() ? CauseId.INCONCLUSIVE.id() : causes.get(0);
  }

  /** The issuer's CN, else the whole DN. */
  public String certIssuerName() {
    return commonName(certIssuer);
  }

  static String commonName(String dn) {
    if (dn == null) {
      return null;
    }
    Matcher m = CN.matcher(dn);
    return m.find() ? m.group(1).replace("\\", "") : dn;
  }

  public static HostSummary of(RunResult r) {
    Evidence e = r.evidence();
    List<Finding> findings = r.diagnosis().findings();
    List<String> causes = findings.stream().map(Finding::cause).toList();
    String summary = findings.isEmpty() ? "" : findings.get(0).summary();
    if (summary != null && summary.length() > MAX_SUMMARY) {
      summary = summary.substring(0, MAX_SUMMARY - 1) + "…";
    }
    NegotiationEvidence neg = e.negotiation();
    boolean reachable =
        neg != null && neg.attempts().stream().anyMatch(NegotiationAttempt::answered);
    String address = e.rdpAddress();
    if (address == null && e.tcp() != null) {
      address =
          e.tcp().stream()
              .filter(TcpEvidence::open)
              .map(TcpEvidence::address)
              .findFirst()
              .orElse(e.tcp().isEmpty() ? null : e.tcp().get(0).address());
    }
    List<String> layers = layers(neg);
    TlsEvidence tls = e.tls();
    List<String> versions = null;
    List<String> suites = new ArrayList<>();
    CertificateInfo leaf = null;
    if (tls != null && tls.status() != TlsEvidence.Status.NOT_NEGOTIATED) {
      Set<String> v = new LinkedHashSet<>();
      for (TlsVersionResult t : tls.versions()) {
        if (t.accepted()) {
          v.add(t.version());
        }
      }
      if (tls.ok() && tls.version() != null && tls.versions().isEmpty()) {
        v.add(tls.version());
      }
      versions = v.stream().sorted().toList();
      if (tls.cipherSuite() != null) {
        suites.add(tls.cipherSuite());
      }
      if (tls.chain() != null && !tls.chain().isEmpty()) {
        leaf = tls.chain().get(0);
      }
    }
    Optional<TlsCipherEvidence> ciphers = e.section(TlsCipherEvidence.class);
    ciphers.ifPresent(
        c -> c.allSuiteNames().stream().filter(s -> !suites.contains(s)).forEach(suites::add));
    Optional<RdpSecurityEvidence> rdp = e.section(RdpSecurityEvidence.class);
    Integer credssp = e.section(NlaEvidence.class).map(NlaEvidence::credsspVersion).orElse(null);
    return new HostSummary(
        e.target().display(),
        e.target().host(),
        e.target().port(),
        address,
        reachable,
        r.diagnosis().verdict(),
        causes,
        summary,
        layers,
        nla(layers),
        versions,
        suites,
        leaf == null ? null : leaf.issuer(),
        leaf == null ? null : leaf.subject(),
        leaf == null ? null : leaf.notAfter(),
        leaf == null ? null : leaf.keyBits(),
        rdp.map(RdpSecurityEvidence::serverVersionName).orElse(null),
        credssp,
        rdp.map(RdpSecurityEvidence::offersUdp).orElse(null),
        e.millis(),
        null);
  }

  /** Which protocols the server accepts when offered alone; null when not tried one by one. */
  private static List<String> layers(NegotiationEvidence neg) {
    if (neg == null) {
      return null;
    }
    int[] protocols = {
      SecurityProtocol.PROTOCOL_RDP,
      SecurityProtocol.PROTOCOL_SSL,
      SecurityProtocol.PROTOCOL_HYBRID,
      SecurityProtocol.PROTOCOL_HYBRID_EX
    };
    String[] names = {"rdp", "tls", "nla", "nla-ex"};
    List<String> out = new ArrayList<>();
    boolean tried = false;
    for (int i = 0; i < protocols.length; i++) {
      Optional<NegotiationAttempt> a = neg.forProtocol(protocols[i]);
      if (a.isEmpty() || !a.get().answered()) {
        continue;
      }
      tried = true;
      NegotiationAttempt x = a.get();
      boolean accepted =
          x.outcome() == NegotiationAttempt.Outcome.RESPONSE
              ? x.selectedProtocol() != null && x.selectedProtocol() == protocols[i]
              : x.outcome() == NegotiationAttempt.Outcome.NO_NEGOTIATION_DATA
                  && protocols[i] == SecurityProtocol.PROTOCOL_RDP;
      if (accepted) {
        out.add(names[i]);
      }
    }
    return tried ? out : null;
  }

  private static String nla(List<String> layers) {
    if (layers == null) {
      return null;
    }
    boolean nla = layers.contains("nla") || layers.contains("nla-ex");
    if (!nla) {
      return "not-offered";
    }
    return layers.contains("rdp") || layers.contains("tls") ? "offered" : "required";
  }
}

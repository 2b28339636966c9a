package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.NegotiationFailureCode;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Facts;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.RdpFileEvidence;
import dev.rdpdoctor.evidence.RdpFileIssue;
import dev.rdpdoctor.evidence.TcpEvidence;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rules for an .rdp file given with {@code --rdp-file}: the linter's issues become {@code
 * rdp-file-misconfigured} findings, and the ones the probes can confirm (CredSSP off against an NLA
 * server, authentication level 0 over a bad certificate, a port that does not answer) are raised to
 * what the evidence shows.
 */
public final class RdpFileRules implements RuleSet {
  static final CauseId CAUSE = CauseId.RDP_FILE_MISCONFIGURED;
  static final CauseId AVD_CAUSE = CauseId.AVD_BROKER_UNCHECKED;

  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(
      Evidence e, FindingFactory f, List<Finding> out, List<String> checked) {
    Optional<RdpFileEvidence> section = e.section(RdpFileEvidence.class);
    if (section.isEmpty()) {
      return true;
    }
    RdpFileEvidence file = section.get();
    checked.add(
        ".rdp file "
            + file.path()
            + " ("
            + file.settings()
            + " settings, "
            + file.encoding()
            + ")");
    avd(file, f, out, checked);
    Set<String> confirmed = new HashSet<>();
    credSsp(e, file, f, out, confirmed);
    authLevel(e, file, f, out, confirmed);
    // An AVD session host is reached only through the AVD gateway, never at its own address:
    // comparing that address with what this run probed says nothing.
    if (file.avd() == null) {
      address(e, file, f, out);
    }
    List<RdpFileIssue> notes = new ArrayList<>();
    for (RdpFileIssue i : file.issues()) {
      if (confirmed.contains(i.rule())) {
        continue;
      }
      if (i.severity().equals("info")) {
        notes.add(i);
        continue;
      }
      Severity sev = i.severity().equals("error") ? Severity.FAIL : Severity.WARN;
      out.add(
          f.finding(
              CAUSE,
              sev,
              Confidence.MEDIUM,
              "The .rdp file: "
                  + i.message()
                  + (i.fix() == null ? "." : " (fix: " + i.fix() + ")."),
              List.of(ref(file, i))));
    }
    if (!notes.isEmpty()) {
      out.add(
          f.finding(
              CAUSE,
              Severity.INFO,
              Confidence.HIGH,
              "The .rdp file has "
                  + notes.size()
                  + " note(s): entries no current client reads, or settings that only"
                  + " matter in other set-ups.",
              notes.stream().map(i -> ref(file, i)).toList()));
    }
    if (!file.problems().isEmpty()) {
      out.add(
          f.finding(
              CAUSE,
              Severity.WARN,
              Confidence.HIGH,
              "The .rdp file has "
                  + file.problems().size()
                  + " line(s) no client can read; clients skip them, so the"
                  + " settings they meant are not applied.",
              file.problems().stream().map(p -> FindingFactory.ref("rdp_file", p)).toList()));
    }
    return true;
  }

  /**
   * An Azure Virtual Desktop / Windows 365 file: say which parts of its path can be checked (the
   * endpoints' DNS, TCP, TLS and certificate) and which cannot (the token-based broker).
   */
  private static void avd(
      RdpFileEvidence file, FindingFactory f, List<Finding> out, List<String> checked) {
    RdpFileEvidence.Avd avd = file.avd();
    if (avd == null) {
      return;
    }
    checked.add(avd.checks());
    List<EvidenceRef> refs = new ArrayList<>();
    avd.signals().forEach(s -> refs.add(FindingFactory.ref("rdp_file", s)));
    out.add(
        f.finding(
            AVD_CAUSE,
            Severity.INFO,
            Confidence.HIGH,
            avd.checks() + " " + avd.notChecked(),
            refs));
  }

  private static void credSsp(
      Evidence e,
      RdpFileEvidence file,
      FindingFactory f,
      List<Finding> out,
      Set<String> confirmed) {
    if (!file.credSspOff() || e.negotiation() == null) {
      return;
    }
    Optional<NegotiationAttempt> client = e.negotiation().client();
    if (client.isEmpty()
        || client.get().outcome() != NegotiationAttempt.Outcome.FAILURE
        || client.get().failureCode() == null
        || NegotiationFailureCode.valueOf(client.get().failureCode())
            .cause()
            .filter(c -> c == CauseId.NLA_REQUIRED)
            .isEmpty()) {
      return;
    }
    confirmed.add("credssp-disabled");
    List<EvidenceRef> refs = new ArrayList<>();
    issue(file, "credssp-disabled").ifPresent(i -> refs.add(ref(file, i)));
    refs.add(FindingFactory.ref("negotiation", Facts.negotiation(client.get())));
    out.add(
        f.finding(
            CAUSE,
            Severity.FAIL,
            Confidence.HIGH,
            "The .rdp file switches CredSSP"
                + " off (enablecredsspsupport:i:0) and this server requires Network Level"
                + " Authentication, so the connection is refused. Set enablecredsspsupport:i:1 (or"
                + " remove the line).",
            refs));
  }

  private static void authLevel(
      Evidence e,
      RdpFileEvidence file,
      FindingFactory f,
      List<Finding> out,
      Set<String> confirmed) {
    if (file.authenticationLevel() == null
        || file.authenticationLevel() != 0
        || e.tls() == null
        || e.tls().chain() == null
        || e.tls().chain().isEmpty()) {
      return;
    }
    CertificateInfo leaf = e.tls().chain().get(0);
    List<String> hidden = new ArrayList<>();
    switch (CertificateChecks.validity(leaf, f.now())) {
      case EXPIRED -> hidden.add("it has expired");
      case NOT_YET_VALID -> hidden.add("it is not valid yet");
      default -> {}
    }
    if (Boolean.FALSE.equals(leaf.nameMatches())) {
      hidden.add("it does not name " + e.target().host());
    }
    if (hidden.isEmpty()) {
      return;
    }
    confirmed.add("auth-level-0");
    List<EvidenceRef> refs = new ArrayList<>();
    issue(file, "auth-level-0").ifPresent(i -> refs.add(ref(file, i)));
    refs.add(FindingFactory.ref("certificate", Facts.certificate(leaf)));
    out.add(
        f.finding(
            CAUSE,
            Severity.WARN,
            Confidence.HIGH,
            "The .rdp file sets"
                + " authentication level 0, so the client connects without warning although the"
                + " server's certificate is bad ("
                + String.join(", ", hidden)
                + "): a man in the"
                + " middle would go unnoticed. Use authentication level:i:2 and fix the certificate.",
            refs));
  }

  private static void address(
      Evidence e, RdpFileEvidence file, FindingFactory f, List<Finding> out) {
    String host = e.target().host();
    if (file.host() != null && !file.host().equalsIgnoreCase(host)) {
      out.add(
          f.finding(
              CAUSE,
              Severity.WARN,
              Confidence.HIGH,
              "The .rdp file connects to "
                  + file.host()
                  + ", but this run probed "
                  + host
                  + ": what answers here says nothing"
                  + " about the machine the file reaches.",
              List.of(FindingFactory.ref("rdp_file", "full address: " + file.fullAddress()))));
      return;
    }
    if (file.host() == null || e.tcp() == null || e.tcp().isEmpty()) {
      return;
    }
    boolean open = e.tcp().stream().anyMatch(TcpEvidence::open);
    boolean conflict = file.serverPort() != null && file.serverPort() != file.port();
    if (!open && conflict) {
      List<EvidenceRef> refs = new ArrayList<>();
      refs.add(
          FindingFactory.ref(
              "rdp_file",
              "full address: " + file.fullAddress() + "; server port: " + file.serverPort()));
      e.tcp().forEach(t -> refs.add(FindingFactory.ref("tcp", Facts.tcp(t))));
      out.add(
          f.finding(
              CAUSE,
              Severity.FAIL,
              Confidence.MEDIUM,
              "The .rdp file gives two"
                  + " ports: 'full address' says "
                  + file.port()
                  + ", which does not answer, and"
                  + " 'server port' says "
                  + file.serverPort()
                  + ". Clients use the first; check which"
                  + " port the server listens on and keep only that one.",
              refs));
      return;
    }
    Optional<NegotiationAttempt> client =
        e.negotiation() == null ? Optional.empty() : e.negotiation().client();
    if (client.isPresent() && client.get().outcome() == NegotiationAttempt.Outcome.NOT_RDP) {
      out.add(
          f.finding(
              CAUSE,
              Severity.WARN,
              Confidence.MEDIUM,
              "The port the .rdp file names ("
                  + file.port()
                  + ") answers, but not with Remote Desktop: the file's address or port"
                  + " is likely wrong.",
              List.of(
                  FindingFactory.ref("rdp_file", "full address: " + file.fullAddress()),
                  FindingFactory.ref("negotiation", Facts.negotiation(client.get())))));
    }
  }

  private static Optional<RdpFileIssue> issue(RdpFileEvidence file, String rule) {
    return file.issues().stream().filter(i -> i.rule().equals(rule)).findFirst();
  }

  private static EvidenceRef ref(RdpFileEvidence file, RdpFileIssue i) {
    return FindingFactory.ref(
        "rdp_file",
        (i.line() > 0 ? "line " + i.line() + ": " : "") + i.setting() + ": " + i.message());
  }
}

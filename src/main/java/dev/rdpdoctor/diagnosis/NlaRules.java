package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.NtStatus;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.NlaEvidence.Logon;
import dev.rdpdoctor.evidence.NlaEvidence.NtlmInfo;
import dev.rdpdoctor.evidence.NlaFacts;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rules over the CredSSP evidence: the server's clock, whether the machine that answered is the one
 * the name was meant for, its CredSSP version, and the logon test's answer.
 */
final class NlaRules implements RuleSet {
  /** Kerberos' default tolerance (MaxClockSkew): beyond it, domain logons fail. */
  static final long MAX_SKEW_SECONDS = 5 * 60;

  /** Causes about the account or its password: none can follow from a step without them. */
  static final Set<CauseId> NEEDS_CREDENTIALS =
      EnumSet.of(
          CauseId.LOGON_FAILED,
          CauseId.ACCOUNT_LOCKED,
          CauseId.ACCOUNT_DISABLED,
          CauseId.ACCOUNT_EXPIRED,
          CauseId.PASSWORD_EXPIRED,
          CauseId.PASSWORD_MUST_CHANGE,
          CauseId.LOGON_RIGHT_MISSING,
          CauseId.ACCOUNT_RESTRICTION,
          CauseId.STALE_SAVED_CREDENTIALS);

  /** The first CredSSP version with the CVE-2018-0886 fix (nonce-bound public key hash). */
  static final int FIRST_PATCHED_VERSION = 5;

  static boolean clientUsesCredSsp(Evidence e) {
    return e.negotiation() != null
        && e.negotiation()
            .client()
            .filter(
                a ->
                    a.outcome() == NegotiationAttempt.Outcome.RESPONSE
                        && a.selectedProtocol() != null)
            .map(
                a ->
                    (a.selectedProtocol()
                            & (SecurityProtocol.PROTOCOL_HYBRID
                                | SecurityProtocol.PROTOCOL_HYBRID_EX))
                        != 0)
            .orElse(false);
  }

  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(
      Evidence e, FindingFactory f, List<Finding> out, List<String> checked) {
    NlaEvidence n = e.section(NlaEvidence.class).orElse(null);
    if (n == null) {
      return true;
    }
    EvidenceRef nla = FindingFactory.ref("nla", NlaFacts.summary(n));
    switch (n.status()) {
      case OK -> {}
      case NOT_NEGOTIATED -> {
        // the core rules explain what the server offers; nothing more to conclude here
        checked.add("CredSSP: " + n.detail());
        return true;
      }
      case REFUSED -> {
        refused(n, f, out, nla);
        return true;
      }
      default -> {
        checked.add(
            "CredSSP could not be completed ("
                + n.status().name().toLowerCase(Locale.ROOT)
                + "): "
                + n.detail());
        broken(e, n, f, out, nla);
        if (n.logon() != null) {
          return logon(n, f, out, checked, nla);
        }
        // Only a client that does CredSSP depends on it: when the server gives this client
        // plain TLS, a CredSSP exchange that breaks off is a side note, not an unknown.
        return !clientUsesCredSsp(e);
      }
    }
    checked.add("CredSSP v" + n.credsspVersion() + " and the server's NTLM identity and clock");
    NtlmInfo id = n.ntlm();
    clock(id, f, out, nla);
    identity(e, id, f, out, nla);
    version(n, f, out, nla);
    return logon(n, f, out, checked, nla);
  }

  /**
   * The server answered the NTLM NEGOTIATE with an error. No credentials were sent, so a status
   * about an account or password cannot be about this client's: it is the server refusing CredSSP
   * itself, said as such with the code it gave.
   */
  private static void refused(NlaEvidence n, FindingFactory f, List<Finding> out, EvidenceRef nla) {
    NtStatus st = NtStatus.valueOf(n.errorCode());
    CauseId named = st.causes().isEmpty() ? null : CauseId.of(st.causes().get(0));
    String said = " with " + st.hex() + " " + st.name() + " (" + st.description() + ")";
    if (named != null && !NEEDS_CREDENTIALS.contains(named)) {
      out.add(
          f.finding(
              named,
              Severity.FAIL,
              Confidence.MEDIUM,
              "The server refused CredSSP" + " before any credentials were sent," + said + ".",
              List.of(nla)));
      return;
    }
    out.add(
        f.finding(
            CauseId.CREDSSP_REFUSED,
            Severity.FAIL,
            Confidence.MEDIUM,
            "The server"
                + " refused CredSSP at its first step, before any credentials were sent,"
                + said
                + (named == null
                    ? ""
                    : ". That code names an account problem, but no account was"
                        + " offered yet, so it says nothing about a user name or password")
                + ": every NLA client is turned away. The server's CredSSP/NTLM set-up (or its link to"
                + " a domain controller) is broken, or a device in the path answers for it.",
            List.of(nla)));
  }

  /**
   * CredSSP broke off after TLS: garbage, silence or a close where the server's NTLM CHALLENGE
   * belongs. A client that uses NLA fails right there; one that does not would only if it turned
   * NLA on, so then it is a warning.
   */
  private static void broken(
      Evidence e, NlaEvidence n, FindingFactory f, List<Finding> out, EvidenceRef nla) {
    CauseId cause =
        switch (n.status()) {
          case MALFORMED, ERROR -> CauseId.SERVER_PROTOCOL_ERROR;
          case TIMEOUT -> CauseId.SERVER_UNRESPONSIVE;
          case CLOSED -> CauseId.SERVER_CLOSED_CONNECTION;
          // TLS itself is judged by the TLS rules; NOT_NEGOTIATED and the rest are no break
          default -> null;
        };
    if (cause == null || n.logon() != null) {
      return;
    }
    boolean uses = clientUsesCredSsp(e);
    String what =
        switch (n.status()) {
          case MALFORMED, ERROR ->
              "answers CredSSP with something that is not a valid TSRequest" + " or NTLM CHALLENGE";
          case TIMEOUT -> "stops answering in the middle of CredSSP";
          default -> "closes the connection in the middle of CredSSP";
        };
    out.add(
        f.finding(
            cause,
            uses ? Severity.FAIL : Severity.WARN,
            n.status() == NlaEvidence.Status.ERROR ? Confidence.LOW : Confidence.MEDIUM,
            "TLS completes, but the server "
                + what
                + " ("
                + n.detail()
                + "). "
                + (uses
                    ? "This client uses NLA, so it fails here (mstsc: 'An authentication error"
                        + " has occurred' or 0x904)."
                    : "This client does not use NLA; any client that does fails here."),
            List.of(nla)));
  }

  private static void clock(NtlmInfo id, FindingFactory f, List<Finding> out, EvidenceRef nla) {
    // a zero or all-ones MsvAvTimestamp is a placeholder, not a clock: no skew from it
    if (id.skewSeconds() == null
        || !NlaFacts.clockReadable(id)
        || Math.abs(id.skewSeconds()) <= MAX_SKEW_SECONDS) {
      return;
    }
    out.add(
        f.finding(
            CauseId.CLOCK_SKEW,
            Severity.WARN,
            Confidence.HIGH,
            "The server's clock ("
                + id.systemTime()
                + ", from its NTLM challenge) is "
                + NlaFacts.skew(id.skewSeconds())
                + ", measured when the challenge arrived. Beyond 5 minutes Kerberos refuses domain"
                + " logons; either clock may be the wrong one.",
            List.of(nla)));
  }

  /** Both the server's own names and its certificate disagree with the typed name. */
  private static void identity(
      Evidence e, NtlmInfo id, FindingFactory f, List<Finding> out, EvidenceRef nla) {
    String typed = e.target().host();
    if (e.target().literal() || e.tls() == null || e.tls().chain().isEmpty()) {
      return;
    }
    CertificateInfo leaf = e.tls().chain().get(0);
    if (!Boolean.FALSE.equals(leaf.nameMatches())) {
      return;
    }
    if (id.netbiosComputerName() == null && id.dnsComputerName() == null) {
      return;
    }
    if (namesMatch(typed, id.netbiosComputerName(), id.dnsComputerName())) {
      return;
    }
    List<EvidenceRef> refs = new ArrayList<>();
    refs.add(nla);
    refs.add(
        FindingFactory.ref(
            "certificate",
            "issued to "
                + leaf.subject()
                + (leaf.subjectAltNames().isEmpty()
                    ? ""
                    : ", SAN " + String.join(", ", leaf.subjectAltNames()))
                + "; does not cover "
                + typed));
    out.add(
        f.finding(
            CauseId.DNS_WRONG_ADDRESS,
            Severity.WARN,
            Confidence.MEDIUM,
            "The machine at "
                + e.rdpAddress()
                + " calls itself "
                + name(id)
                + " and its certificate names "
                + (leaf.commonName() == null ? leaf.subject() : leaf.commonName())
                + ": neither is "
                + typed
                + ". The name most likely leads to a different machine than the one meant"
                + " (a stale DNS record, a hosts-file entry or a reused address).",
            refs));
  }

  static boolean namesMatch(String typed, String netbios, String dns) {
    String t = strip(typed);
    String first = t.contains(".") ? t.substring(0, t.indexOf('.')) : t;
    if (dns != null) {
      String d = strip(dns);
      if (d.equals(t) || d.startsWith(first + ".") || d.equals(first)) {
        return true;
      }
    }
    // NetBIOS names are at most 15 characters of the host name
    return netbios != null
        && !first.isEmpty()
        && strip(netbios).equals(first.length() > 15 ? first.substring(0, 15) : first);
  }

  private static String strip(String s) {
    String x = s.trim().toLowerCase(Locale.ROOT);
    return x.endsWith(".") ? x.substring(0, x.length() - 1) : x;
  }

  private static String name(NtlmInfo id) {
    return id.dnsComputerName() != null && id.netbiosComputerName() != null
        ? id.netbiosComputerName() + " (" + id.dnsComputerName() + ")"
        : id.dnsComputerName() != null ? id.dnsComputerName() : id.netbiosComputerName();
  }

  private static void version(NlaEvidence n, FindingFactory f, List<Finding> out, EvidenceRef nla) {
    Integer v = n.credsspVersion();
    if (v == null || v >= FIRST_PATCHED_VERSION) {
      return;
    }
    boolean windowsLike = n.ntlm().productVersion() != null;
    out.add(
        f.finding(
            CauseId.CREDSSP_UNPATCHED_SERVER,
            Severity.WARN,
            windowsLike ? Confidence.MEDIUM : Confidence.LOW,
            "The server speaks CredSSP version "
                + v
                + "; the CVE-2018-0886 fix (May 2018) brought versions 5 and 6. A Windows server"
                + " announcing "
                + v
                + " lacks that update, and current Windows clients refuse it"
                + " under the default 'Mitigated' policy ('CredSSP encryption oracle remediation')."
                + " The version alone does not prove a missing update on other RDP servers.",
            List.of(nla)));
  }

  private static boolean logon(
      NlaEvidence n, FindingFactory f, List<Finding> out, List<String> checked, EvidenceRef nla) {
    Logon l = n.logon();
    if (l == null) {
      return true;
    }
    EvidenceRef ref = FindingFactory.ref("nla", NlaFacts.logon(l));
    switch (l.outcome()) {
      case ACCEPTED -> {
        checked.add("logon as " + l.account() + " at NLA");
        out.add(
            f.finding(
                CauseId.NLA_LOGON_ACCEPTED,
                Severity.INFO,
                Confidence.HIGH,
                "The credentials of " + l.account() + " are accepted at NLA: " + l.detail() + ".",
                List.of(ref)));
        return true;
      }
      case REJECTED -> {
        checked.add("logon as " + l.account() + " at NLA");
        if (l.ntStatus() != null) {
          NtStatus st = NtStatus.valueOf(l.ntStatus());
          CauseId cause =
              st.causes().isEmpty() ? CauseId.LOGON_FAILED : CauseId.of(st.causes().get(0));
          out.add(
              f.finding(
                  cause,
                  Severity.FAIL,
                  st.isKnown() ? Confidence.HIGH : Confidence.MEDIUM,
                  "The server refused the logon of "
                      + l.account()
                      + " with "
                      + st.hex()
                      + " "
                      + st.name()
                      + ": "
                      + st.description()
                      + ".",
                  List.of(ref)));
        } else {
          out.add(
              f.finding(
                  CauseId.LOGON_RIGHT_MISSING,
                  Severity.FAIL,
                  Confidence.HIGH,
                  "The password of "
                      + l.account()
                      + " is right, but the server's Early User"
                      + " Authorization says this user may not log on through Remote Desktop.",
                  List.of(ref)));
        }
        return true;
      }
      case CLOSED -> {
        checked.add("logon as " + l.account() + " at NLA");
        out.add(
            f.finding(
                CauseId.LOGON_FAILED,
                Severity.FAIL,
                Confidence.MEDIUM,
                "The server ended"
                    + " the connection right after the NTLM AUTHENTICATE for "
                    + l.account()
                    + ", without an error code (CredSSP v"
                    + n.credsspVersion()
                    + "). A server that"
                    + " accepts the password answers with its key proof instead, so the logon was"
                    + " refused; a wrong user name or password is the usual reason, but a locked or"
                    + " disabled account looks the same from here.",
                List.of(ref)));
        return true;
      }
      case KEY_MISMATCH -> {
        checked.add("logon as " + l.account() + " at NLA");
        out.add(
            f.finding(
                CauseId.TLS_INTERCEPTION,
                Severity.FAIL,
                Confidence.MEDIUM,
                "NTLM accepted "
                    + l.account()
                    + ", but the server's CredSSP proof is for a different TLS key than"
                    + " the certificate this client received: something between here and the server"
                    + " re-terminates TLS, and a real client refuses to send its credentials.",
                List.of(ref)));
        return true;
      }
      default -> {
        checked.add("logon as " + l.account() + ": " + l.detail());
        return false;
      }
    }
  }
}

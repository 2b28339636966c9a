package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.RdpSecurityEvidence;
import dev.rdpdoctor.evidence.RdpSecurityEvidence.Method;
import dev.rdpdoctor.evidence.SectionFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * Security hardening notes in the spirit of rdp-sec-check, from the negotiation and the Standard
 * RDP Security probe: NLA not supported / not mandated, TLS not mandated, weak or null RC4, FIPS
 * not mandated, an unsigned proprietary certificate. They are INFO, or WARN for encryption an
 * eavesdropper can break or a key a machine in the middle may have replaced, so they rank below any
 * failure and never turn a working server into a failing one.
 */
final class RdpSecurityRules implements RuleSet {
  private static final int WEAK = 0x01 | 0x08;

  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(
      Evidence e, FindingFactory f, List<Finding> out, List<String> checked) {
    RdpSecurityEvidence s = e.section(RdpSecurityEvidence.class).orElse(null);
    if (s == null) {
      return true;
    }
    EvidenceRef ref = FindingFactory.ref(RdpSecurityEvidence.KEY, SectionFacts.rdpSecurity(s));
    boolean credssp =
        selected(e, SecurityProtocol.PROTOCOL_HYBRID)
            || selected(e, SecurityProtocol.PROTOCOL_HYBRID_EX);
    boolean tls = selected(e, SecurityProtocol.PROTOCOL_SSL);
    // the probe only runs when the server let a client choose PROTOCOL_RDP
    out.add(
        f.finding(
            CauseId.NLA_NOT_MANDATED,
            Severity.INFO,
            Confidence.HIGH,
            credssp
                ? "The server supports NLA (CredSSP) but does not require it: it also accepts "
                    + (tls ? "TLS and " : "")
                    + "Standard RDP Security without authenticating first."
                : "The server does not support NLA (CredSSP) at all: anyone reaches its logon screen"
                    + " before authenticating.",
            List.of(ref)));
    if (tls) {
      out.add(
          f.finding(
              CauseId.TLS_NOT_MANDATED,
              Severity.INFO,
              Confidence.HIGH,
              "The server speaks"
                  + " TLS but still accepts Standard RDP Security, whose server identity a man in the"
                  + " middle can fake.",
              List.of(ref)));
    }
    if (s.status() != RdpSecurityEvidence.Status.OK) {
      checked.add("Standard RDP Security encryption: " + s.detail());
      return true;
    }
    List<String> weak =
        s.methods().stream()
            .filter(Method::accepted)
            .filter(m -> (m.value() & WEAK) != 0)
            .map(Method::name)
            .toList();
    if (!weak.isEmpty()) {
      out.add(
          f.finding(
              CauseId.RDP_WEAK_ENCRYPTION,
              Severity.WARN,
              Confidence.HIGH,
              "The server"
                  + " accepts "
                  + String.join(" and ", weak)
                  + " (encryption level "
                  + s.encryptionLevelName()
                  + "): an eavesdropper can break it.",
              List.of(ref)));
    }
    if (s.accepted(0) || Integer.valueOf(0).equals(s.encryptionLevel())) {
      out.add(
          f.finding(
              CauseId.RDP_NO_ENCRYPTION,
              Severity.WARN,
              Confidence.HIGH,
              "The server"
                  + " accepts Standard RDP Security with no encryption at all (encryption level "
                  + s.encryptionLevelName()
                  + ").",
              List.of(ref)));
    }
    boolean fips = s.accepted(0x10);
    boolean others = s.methods().stream().anyMatch(m -> m.accepted() && m.value() != 0x10);
    if (fips && others) {
      out.add(
          f.finding(
              CauseId.FIPS_NOT_MANDATED,
              Severity.INFO,
              Confidence.HIGH,
              "The server" + " supports FIPS 140-1 encryption but also accepts RC4.",
              List.of(ref)));
    }
    signature(s.certificate(), f, ref, out, checked);
    checked.add("Standard RDP Security: " + SectionFacts.rdpSecurity(s));
    return true;
  }

  /**
   * The proprietary certificate's Terminal Services signature ([MS-RDPBCGR] 5.3.3.1). It is the
   * only server authentication Standard RDP Security has, and a weak one (the signing key is
   * public), so a bad signature is a warning to look for a machine in the middle, not proof.
   */
  private static void signature(
      RdpSecurityEvidence.Certificate c,
      FindingFactory f,
      EvidenceRef ref,
      List<Finding> out,
      List<String> checked) {
    if (c == null || c.signatureValid() == null) {
      return;
    }
    if (c.signatureValid()) {
      checked.add(
          "Standard RDP Security key: the proprietary certificate carries a valid"
              + " Terminal Services signature");
      return;
    }
    out.add(
        f.finding(
            CauseId.RDP_CERT_SIGNATURE_INVALID,
            Severity.WARN,
            Confidence.MEDIUM,
            "The"
                + " server's Standard RDP Security key is not signed with the Terminal Services key ("
                + c.signatureDetail()
                + "): Windows and xrdp always sign it, so something in the path"
                + " may have replaced the server's key with its own, and a client that falls back to"
                + " Standard RDP Security has no other way to tell.",
            List.of(ref)));
  }

  private static boolean selected(Evidence e, int protocol) {
    return e.negotiation() != null
        && e.negotiation().attempts().stream()
            .anyMatch(
                a ->
                    a.outcome() == NegotiationAttempt.Outcome.RESPONSE
                        && a.selectedProtocol() != null
                        && a.selectedProtocol() == protocol);
  }
}

package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.FindingFactory.ref;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.codes.NegotiationFailureCode;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Facts;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NegotiationEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import java.util.ArrayList;
import java.util.List;

/**
 * The X.224 security negotiation: how the server answers the client profile's offer (refuses it
 * with a code, drops it, picks a protocol, or is not RDP at all). Complete when the server selected
 * a protocol the client can go on with, or TLS is still worth judging.
 */
final class NegotiationRules implements RuleSet {
  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(
      Evidence e, FindingFactory f, List<Finding> out, List<String> checked) {
    if (e.negotiation() == null) {
      return false;
    }
    NegotiationAttempt client = e.negotiation().client().orElse(null);
    if (client == null) {
      out.add(
          f.finding(
              CauseId.INCONCLUSIVE,
              Severity.WARN,
              Confidence.LOW,
              "The RDP negotiation probe did not finish.",
              List.of()));
      return false;
    }
    checked.add(
        "RDP security negotiation ("
            + e.negotiation().attempts().size()
            + " requests: the client's offer and each protocol alone)");
    ClientProfile profile = e.target().profile();
    List<EvidenceRef> refs = new ArrayList<>();
    refs.add(ref("negotiation", Facts.negotiation(client)));
    int port = e.target().port();
    switch (client.outcome()) {
      case NOT_RDP -> {
        out.add(
            f.finding(
                CauseId.NOT_RDP_SERVICE,
                Severity.FAIL,
                Confidence.HIGH,
                "Port "
                    + port
                    + " answers, but not with Remote Desktop: it looks like "
                    + client.peerProtocol()
                    + ". Check the port number, or a port forward that"
                    + " points at the wrong machine.",
                refs));
        return false;
      }
      case MALFORMED -> {
        out.add(
            f.finding(
                CauseId.NOT_RDP_SERVICE,
                Severity.FAIL,
                Confidence.MEDIUM,
                "Port "
                    + port
                    + " answers with something RDP-like that does not follow the"
                    + " protocol: a proxy, a honeypot or a broken server.",
                refs));
        return false;
      }
      case CLOSED, RESET, DISCONNECTED -> {
        otherDrops(e, client, refs);
        out.add(
            f.finding(
                CauseId.SERVER_CLOSED_CONNECTION,
                Severity.FAIL,
                Confidence.HIGH,
                "The server accepts the TCP connection, then "
                    + (switch (client.outcome()) {
                      case RESET -> "resets";
                      case DISCONNECTED -> "sends a disconnect for";
                      default -> "closes";
                    })
                    + " it without answering the Remote Desktop request (what mstsc reports as"
                    + " 0x904). Remote Desktop Services on the host is failing or refusing"
                    + " connections, or a device in the path cuts RDP.",
                refs));
        return false;
      }
      case TIMEOUT -> {
        out.add(
            f.finding(
                CauseId.SERVER_UNRESPONSIVE,
                Severity.FAIL,
                Confidence.MEDIUM,
                "The server accepts the TCP connection but never answers the Remote Desktop"
                    + " request: the Remote Desktop service is hung or overloaded, or something"
                    + " else holds the port.",
                refs));
        return false;
      }
      case CONNECT_FAILED -> {
        // the TCP check got in moments before: a server that then refuses or ignores the
        // next connection fails the next client too, so it is a finding, not an unknown
        out.add(
            f.finding(
                CauseId.SERVER_CLOSED_CONNECTION,
                Severity.FAIL,
                Confidence.MEDIUM,
                "Port "
                    + port
                    + " accepted the first connection, then did not accept the Remote"
                    + " Desktop request's own: the server works once and then stops, or admits"
                    + " only a few connections at a time. The next client to connect meets the"
                    + " same (mstsc 0x904 or 0x204).",
                refs));
        return false;
      }
      case FAILURE -> {
        return negotiationFailure(f, e, client, profile, refs, out);
      }
      case NO_NEGOTIATION_DATA -> {
        standardOnly(
            f,
            profile,
            refs,
            out,
            "The server is a legacy one that only speaks"
                + " Standard RDP Security (it ignores the security negotiation).");
        return false;
      }
      case RESPONSE -> {
        if (!offered(client)) {
          out.add(
              f.finding(
                  CauseId.UNREQUESTED_PROTOCOL,
                  Severity.FAIL,
                  Confidence.HIGH,
                  "The server selects "
                      + selection(client)
                      + ", which this client did not offer"
                      + " (it offered "
                      + client.requested()
                      + "). A server may pick only from the"
                      + " offer, so a real client drops the connection here: the"
                      + " server is broken, or something in the path rewrites the negotiation.",
                  refs));
          return false;
        }
        unofferedAlone(e, f, out);
        if (client.selectedProtocol() == SecurityProtocol.PROTOCOL_RDP) {
          standardOnly(
              f,
              profile,
              refs,
              out,
              "The server picks Standard RDP Security although"
                  + " the client offers "
                  + SecurityProtocol.friendly(profile.requestedProtocols())
                  + ".");
          return false;
        }
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the server picked from the offer: one protocol flag the request carried, or
   * PROTOCOL_RDP (0), Standard RDP Security, which every client allows. A server answers with
   * RDP_NEG_RSP only for "one of the client-requested security protocols" ([MS-RDPBCGR] 3.3.5.3.2);
   * for anything else it sends RDP_NEG_FAILURE.
   */
  static boolean offered(NegotiationAttempt a) {
    Integer selected = a.selectedProtocol();
    if (selected == null || selected == SecurityProtocol.PROTOCOL_RDP) {
      return true;
    }
    return Integer.bitCount(selected) == 1 && (selected & a.requestedProtocols()) == selected;
  }

  private static String selection(NegotiationAttempt a) {
    return SecurityProtocol.names(a.selectedProtocol())
        + " ("
        + String.format("0x%08X", a.selectedProtocol())
        + ")";
  }

  /** A single-protocol request answered with another protocol: clients offering it drop. */
  private static void unofferedAlone(Evidence e, FindingFactory f, List<Finding> out) {
    List<EvidenceRef> refs =
        e.negotiation().attempts().stream()
            .filter(a -> !a.label().equals(NegotiationEvidence.CLIENT_LABEL))
            .filter(a -> a.outcome() == NegotiationAttempt.Outcome.RESPONSE && !offered(a))
            .map(a -> ref("negotiation", Facts.negotiation(a)))
            .toList();
    if (refs.isEmpty()) {
      return;
    }
    out.add(
        f.finding(
            CauseId.UNREQUESTED_PROTOCOL,
            Severity.WARN,
            Confidence.MEDIUM,
            "Offered one protocol alone, the server answered "
                + refs.size()
                + " time(s) with a"
                + " protocol that was not offered: clients whose offer looks like that drop the"
                + " connection. The server's negotiation is broken, or something in the path"
                + " rewrites it.",
            refs));
  }

  private static boolean negotiationFailure(
      FindingFactory f,
      Evidence e,
      NegotiationAttempt client,
      ClientProfile profile,
      List<EvidenceRef> refs,
      List<Finding> out) {
    NegotiationFailureCode code = NegotiationFailureCode.valueOf(client.failureCode());
    if (!code.isKnown()) {
      // the refusal is final for every client, and none can tell what to change
      out.add(
          f.finding(
              CauseId.SERVER_PROTOCOL_ERROR,
              Severity.FAIL,
              Confidence.MEDIUM,
              "The server refuses the security negotiation with "
                  + code.name()
                  + ", a failure code [MS-RDPBCGR] 2.2.1.2.2 does not define: every client stops"
                  + " here without knowing what to change. The RDP service is broken, something"
                  + " in the path rewrites the answer, or a newer server gives a reason this"
                  + " client does not know.",
              refs));
      return e.tls() != null && e.tls().status() != TlsEvidence.Status.NOT_NEGOTIATED;
    }
    CauseId cause = code.cause().orElse(CauseId.INCONCLUSIVE);
    switch (cause) {
      case NLA_REQUIRED -> {
        e.negotiation()
            .forProtocol(SecurityProtocol.PROTOCOL_HYBRID)
            .ifPresent(a -> refs.add(ref("negotiation", Facts.negotiation(a))));
        out.add(
            f.finding(
                cause,
                Severity.FAIL,
                Confidence.HIGH,
                "The server requires Network Level Authentication (CredSSP), and this client ("
                    + profile.description()
                    + ") does not offer it. Turn CredSSP/NLA back on in"
                    + " the client, or relax the server.",
                refs));
      }
      case TLS_REQUIRED ->
          out.add(
              f.finding(
                  cause,
                  Severity.FAIL,
                  Confidence.HIGH,
                  "The server requires TLS"
                      + (code.equals(NegotiationFailureCode.SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER)
                          ? " with user authentication"
                          : "")
                      + " (or CredSSP), which this client ("
                      + profile.description()
                      + ") does not offer.",
                  refs));
      case STANDARD_SECURITY_ONLY ->
          standardOnly(
              f,
              profile,
              refs,
              out,
              "The server refuses TLS"
                  + " and CredSSP: its security layer is set to RDP (Standard RDP Security only).");
      case TLS_CERTIFICATE_MISSING ->
          out.add(
              f.finding(
                  cause,
                  Severity.FAIL,
                  Confidence.HIGH,
                  "The server wants TLS but has no usable certificate for it (SSL_CERT_NOT_ON_SERVER):"
                      + " its Remote Desktop certificate is missing or its private key unreadable.",
                  refs));
      case INCONCLUSIVE ->
          out.add(
              f.finding(
                  cause,
                  Severity.WARN,
                  Confidence.LOW,
                  "The server refused the security negotiation with "
                      + client.failureName()
                      + ", a reason rdpdoctor cannot interpret further.",
                  refs));
      default ->
          out.add(
              f.finding(
                  cause,
                  Severity.FAIL,
                  Confidence.HIGH,
                  "The server refused"
                      + " the security negotiation with "
                      + code.name()
                      + ": "
                      + code.description()
                      + ".",
                  refs));
    }
    // The certificate is still worth checking when the server speaks TLS to other offers.
    return e.tls() != null && e.tls().status() != TlsEvidence.Status.NOT_NEGOTIATED;
  }

  private static void standardOnly(
      FindingFactory f,
      ClientProfile profile,
      List<EvidenceRef> refs,
      List<Finding> out,
      String why) {
    boolean fails = !profile.acceptsStandardRdp();
    out.add(
        f.finding(
            CauseId.STANDARD_SECURITY_ONLY,
            fails ? Severity.FAIL : Severity.WARN,
            Confidence.HIGH,
            why
                + (fails
                    ? " This client refuses that, so the connection fails."
                    : " Clients that insist on TLS or NLA (by policy or setting) cannot connect, and"
                        + " the server's identity cannot be verified (man-in-the-middle risk)."),
            refs));
  }

  private static void otherDrops(Evidence e, NegotiationAttempt client, List<EvidenceRef> refs) {
    long dropped =
        e.negotiation().attempts().stream()
            .filter(a -> a != client)
            .filter(NegotiationAttempt::dropped)
            .count();
    long total = e.negotiation().attempts().size() - 1;
    if (total > 0) {
      refs.add(
          ref(
              "negotiation",
              dropped + " of " + total + " single-protocol requests were dropped the same way"));
    }
  }
}

package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.FindingFactory.ref;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.evidence.AlternateAddressCheck;
import dev.rdpdoctor.evidence.ConnectionLimitCheck;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Facts;
import dev.rdpdoctor.evidence.MtuCheck;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.PathFacts;
import dev.rdpdoctor.evidence.QualityCheck;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.UdpCheck;
import dev.rdpdoctor.kb.Fix;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Rules over the network-path evidence ({@code probes.path}): MTU black holes, RDP over UDP, loss
 * and latency, connection limits, and DNS that leads to the wrong machine. Thresholds and their
 * sources are in the README ("Network path").
 */
public final class PathRules implements RuleSet {
  static final double HIGH_LATENCY_MS = QualityCheck.HIGH_LATENCY_MS;

  /**
   * Twelve handshakes cannot resolve small loss: two unclean ones (about 8 % estimated packet loss)
   * is the least that is not one unlucky packet.
   */
  static final double LOSS_WARN = 0.08;

  /** Four or more unclean handshakes of twelve (about 18 %): sessions stall and drop. */
  static final double LOSS_FAIL = 0.15;

  /** The IP packet size of a full Ethernet frame, what a server's own link nearly always has. */
  static final int FULL_SIZE_PACKET = 1500;

  /** Fewer clean samples than this and the statistics say nothing. */
  static final int MIN_SAMPLES = 6;

  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(
      Evidence e, FindingFactory f, List<Finding> out, List<String> checked) {
    PathEvidence p = e.section(PathEvidence.class).orElse(null);
    if (p == null) {
      return true;
    }
    if (p.alternate() != null) {
      alternate(e, p.alternate(), f, out, checked);
    }
    mtu(e, p, f, out, checked);
    if (p.quality() != null) {
      quality(p.quality(), f, out, checked);
    }
    if (p.udp() != null) {
      udp(p.udp(), f, out, checked);
    }
    if (p.connectionLimit() != null) {
      limit(e, p.connectionLimit(), f, out, checked);
    }
    return true;
  }

  // ------------------------------------------------------------------ DNS --

  private static void alternate(
      Evidence e,
      AlternateAddressCheck a,
      FindingFactory f,
      List<Finding> out,
      List<String> checked) {
    String host = e.target().host();
    List<EvidenceRef> refs = new ArrayList<>();
    refs.add(ref("dns", Facts.dns(e.dns())));
    e.tcp().forEach(t -> refs.add(ref("tcp", Facts.tcp(t))));
    refs.add(
        ref(
            "path",
            "given address "
                + a.address()
                + ": TCP "
                + a.tcpOutcome()
                + (a.negotiation() == null ? "" : ", RDP " + a.negotiation())
                + (a.certSha256() == null ? "" : ", certificate " + a.certSubject())));
    checked.add(
        "the address given with --ip ("
            + a.address()
            + "): "
            + (a.rdpWorks() ? "speaks RDP" : "TCP " + a.tcpOutcome()));
    if (e.target().literal() || a.inResolved()) {
      return;
    }
    boolean nameWorks = e.tcp().stream().anyMatch(TcpEvidence::open);
    // the fix names the address the user gave: {ip} in the catalogue's commands
    Consumer<String> wrongAddress =
        summary ->
            out.add(
                fill(
                    f.finding(
                        CauseId.DNS_WRONG_ADDRESS, Severity.FAIL, Confidence.HIGH, summary, refs),
                    "{ip}",
                    a.address()));
    if (!nameWorks && a.rdpWorks()) {
      wrongAddress.accept(
          host
              + " resolves to "
              + String.join(", ", a.resolvedAddresses())
              + ", where nothing"
              + " answers on port "
              + e.target().port()
              + ", but the address you gave ("
              + a.address()
              + ") speaks RDP: the DNS record (or a cached answer, or the hosts"
              + " file) is stale.");
    } else if (a.differentMachine()) {
      refs.add(
          ref(
              "certificate",
              "at "
                  + e.rdpAddress()
                  + ": SHA-256 "
                  + a.nameCertSha256()
                  + "; at "
                  + a.address()
                  + ": SHA-256 "
                  + a.certSha256()));
      wrongAddress.accept(
          host
              + " leads to "
              + e.rdpAddress()
              + ", a different machine (another certificate)"
              + " than the one at "
              + a.address()
              + " you meant: the DNS record or a cached"
              + " answer points at the wrong server.");
    }
  }

  // ------------------------------------------------------------------ MTU --

  private static void mtu(
      Evidence e, PathEvidence p, FindingFactory f, List<Finding> out, List<String> checked) {
    MtuCheck m = p.mtu();
    if (m != null && m.status() == MtuCheck.Status.MEASURED) {
      checked.add("path MTU by ping with Don't-Fragment: " + m.pathMtu() + " bytes");
    }
    TlsEvidence t = e.tls();
    boolean negotiated =
        e.negotiation() != null
            && e.negotiation()
                .client()
                .map(a -> a.outcome() == NegotiationAttempt.Outcome.RESPONSE)
                .orElse(false);
    if (!negotiated || t == null || t.status() != TlsEvidence.Status.TIMEOUT) {
      return;
    }
    QualityCheck q = p.quality();
    if (q != null && q.lossEstimate() >= LOSS_FAIL && !q.seriesClean()) {
      return; // a lossy link stalls handshakes too; the loss finding says so
    }
    List<EvidenceRef> refs = new ArrayList<>();
    e.negotiation().client().ifPresent(a -> refs.add(ref("negotiation", Facts.negotiation(a))));
    refs.add(ref("tls", Facts.tls(t)));
    // A stall alone is no black hole: only a measured path MTU below the packets the stalled
    // flight needed is. Unmeasured, the TLS finding says what the stall may mean.
    if (m == null || m.status() != MtuCheck.Status.MEASURED || m.pathMtu() == null) {
      return;
    }
    int needed = flightPacket(m);
    Integer local = m.localMtu();
    refs.add(
        ref(
            "path",
            "largest ping through with Don't-Fragment: "
                + m.largestPayload()
                + " bytes of payload = "
                + m.pathMtu()
                + "-byte packets (local "
                + m.localInterface()
                + " MTU "
                + local
                + "; the flight needs "
                + needed
                + "-byte packets)"));
    if (m.pathMtu() >= needed) {
      return; // the flight's packets pass: not a black hole, something else stalls TLS
    }
    out.add(
        mtuFix(
            f.finding(
                CauseId.PMTU_BLACKHOLE,
                Severity.FAIL,
                Confidence.HIGH,
                "Small packets pass (TCP and the RDP request work), but the server's TLS flight of"
                    + " full-size packets never arrives ("
                    + t.bytesReceived()
                    + " bytes came):"
                    + " the path only carries packets up to "
                    + m.pathMtu()
                    + " bytes and the"
                    + " 'fragmentation needed' messages that would tell the server are dropped."
                    + " Lower the MTU to "
                    + m.pathMtu()
                    + " on "
                    + m.localInterface()
                    + " (or the VPN adapter), or fix the tunnel.",
                refs),
            m));
  }

  /**
   * The packet size the server's TLS flight fills. A flight with a certificate is larger than one
   * packet, so the server sends packets as large as its own link allows, which for nearly every
   * server is an Ethernet MTU; never more than this side's interface takes either. A path MTU at or
   * above this carries the flight. On loopback (MTU 65536) the ping ceiling of 65504 bytes of
   * payload is far above it, so a stall there is never blamed on the MTU.
   */
  static int flightPacket(MtuCheck m) {
    return m.localMtu() == null ? FULL_SIZE_PACKET : Math.min(m.localMtu(), FULL_SIZE_PACKET);
  }

  private static Finding mtuFix(Finding x, MtuCheck m) {
    String mtu = m != null && m.pathMtu() != null ? m.pathMtu().toString() : "1280";
    String iface = m != null && m.localInterface() != null ? m.localInterface() : "<adapter>";
    String local = m != null && m.localMtu() != null ? m.localMtu().toString() : "1500";
    return fill(fill(fill(x, "{mtu}", mtu), "{interface}", iface), "{localmtu}", local);
  }

  // -------------------------------------------------------------- quality --

  private static void quality(
      QualityCheck q, FindingFactory f, List<Finding> out, List<String> checked) {
    String fact = PathFacts.quality(q);
    checked.add("link quality: " + fact);
    if (q.samples() < MIN_SAMPLES || loopback(q.address())) {
      return; // on this machine a slow connect is a busy CPU, not the path
    }
    List<EvidenceRef> refs = List.of(ref("path", fact));
    if (q.lossEstimate() >= LOSS_WARN && q.seriesClean()) {
      // the run's own connections come in bursts; a paced series that lost nothing says the
      // dropped SYNs were the server's full listen queue, not the link
      checked.add(
          "packet loss: the run's own connections needed retransmissions, but the paced series"
              + " of "
              + q.seriesHandshakes()
              + " handshakes lost nothing (a server's listen queue filled by bursts, not the"
              + " link)");
    } else if (q.lossEstimate() >= LOSS_WARN) {
      boolean bad = q.lossEstimate() >= LOSS_FAIL;
      out.add(
          f.finding(
              CauseId.PACKET_LOSS,
              bad ? Severity.FAIL : Severity.WARN,
              // only a loss in the paced series is surely the path's: the run's own bursts can
              // fill a small listen queue, which looks the same
              q.seriesUnclean() != null && q.seriesUnclean() > 0
                  ? Confidence.HIGH
                  : Confidence.MEDIUM,
              String.format(
                  Locale.ROOT,
                  "The link loses packets: %d of %d TCP handshakes needed a"
                      + " retransmission or never completed (about %.0f %% of packets lost)."
                      + " RDP sessions stall, freeze and drop (0x904 / 0x108) on such a link.",
                  q.retransmitted() + q.failed(),
                  q.samples(),
                  q.lossEstimate() * 100),
              refs));
    }
    if (q.medianMillis() != null && q.medianMillis() >= HIGH_LATENCY_MS) {
      out.add(
          f.finding(
              CauseId.HIGH_LATENCY,
              Severity.WARN,
              Confidence.HIGH,
              String.format(
                  Locale.ROOT,
                  "The round trip to the server takes %.0f ms (median of"
                      + " %d handshakes; RDP feels sluggish above %.0f ms and logon steps may time"
                      + " out).",
                  q.medianMillis(),
                  q.rttMillis().size(),
                  HIGH_LATENCY_MS),
              refs));
    }
  }

  // ------------------------------------------------------------------ UDP --

  private static void udp(UdpCheck u, FindingFactory f, List<Finding> out, List<String> checked) {
    String fact = PathFacts.udp(u);
    List<EvidenceRef> refs = List.of(ref("udp", fact));
    if (u.full() == UdpCheck.Outcome.ANSWERED) {
      checked.add("RDP over UDP: " + fact);
      return;
    }
    if (u.small() == UdpCheck.Outcome.ANSWERED) {
      out.add(
          f.finding(
              CauseId.CLIENT_UDP_ENABLED_ON_BAD_PATH,
              Severity.WARN,
              Confidence.HIGH,
              "The server answers RDP over UDP to small datagrams, but the 1232-byte datagrams RDP"
                  + " really uses are lost on the way: the client will start a UDP session that"
                  + " then freezes. Turn UDP off on the client, or fix the tunnel's MTU.",
              refs));
      return;
    }
    if (u.serverOffersUdp() == UdpCheck.Offer.YES) {
      boolean rejected = u.full() == UdpCheck.Outcome.PORT_UNREACHABLE;
      out.add(
          f.finding(
              CauseId.UDP_BLOCKED,
              Severity.WARN,
              Confidence.HIGH,
              "The server offers RDP over UDP, but UDP "
                  + u.port()
                  + " "
                  + (rejected
                      ? "is rejected on the way (ICMP port unreachable)"
                      : "gets no answer at all (dropped on the way)")
                  + ": sessions fall back to TCP, slower on distant or lossy links, and may hang"
                  + " while the client waits for UDP.",
              refs));
      return;
    }
    checked.add(
        "RDP over UDP: "
            + fact
            + "; whether the server offers UDP is unknown, so this"
            + " is not a finding");
  }

  // --------------------------------------------------------- connections --

  private static void limit(
      Evidence e,
      ConnectionLimitCheck c,
      FindingFactory f,
      List<Finding> out,
      List<String> checked) {
    String fact = PathFacts.connectionLimit(c);
    checked.add("pending-connection limit: " + fact);
    boolean aloneWorks =
        e.negotiation() != null
            && e.negotiation()
                .client()
                .map(
                    a ->
                        a.outcome() == NegotiationAttempt.Outcome.RESPONSE
                            || a.outcome() == NegotiationAttempt.Outcome.FAILURE)
                .orElse(false);
    if (aloneWorks && limited(c)) {
      out.add(
          f.finding(
              CauseId.CONNECTION_LIMIT,
              Severity.FAIL,
              Confidence.MEDIUM,
              "One connection at a time works, but with "
                  + c.attempted()
                  + " pending at once the"
                  + " server "
                  + (c.negotiationWorked()
                      ? "drops some of them"
                      : "stops answering new RDP requests")
                  + ": it limits pending connections (MaxOutstandingConnections, a listen"
                  + " backlog), so busy moments or a scan from the internet make connects fail"
                  + " intermittently.",
              List.of(ref("path", fact))));
    }
  }

  /** Whether pending connections met refusals, silence or drops the lone one did not. */
  static boolean limited(ConnectionLimitCheck c) {
    return c.refused() > 0
        || c.timedOut() > 0
        || c.droppedWhileHeld() > 0
        || !c.negotiationWorked();
  }

  static boolean loopback(String address) {
    return address != null
        && (address.startsWith("127.")
            || address.equals("::1")
            || address.equals("0:0:0:0:0:0:0:1"));
  }

  /** The finding with a placeholder filled in every fix title and step. */
  static Finding fill(Finding x, String placeholder, String value) {
    UnaryOperator<String> r = s -> s == null ? null : s.replace(placeholder, value);
    List<Fix> fixes = x.fixes().stream().map(fx -> fx.fill(r)).toList();
    return new Finding(
        x.cause(),
        x.severity(),
        x.confidence(),
        x.title(),
        x.summary(),
        x.symptom(),
        x.evidence(),
        fixes);
  }
}

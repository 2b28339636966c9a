package dev.rdpdoctor.evidence;

import java.util.Locale;

/** One-line wording of the network-path evidence, shared by the rules and the text report. */
public final class PathFacts {
  private PathFacts() {}

  public static String quality(QualityCheck q) {
    if (q.medianMillis() == null) {
      return q.samples() + " TCP handshakes to " + q.address() + ": none completed";
    }
    String series =
        q.seriesHandshakes() == null
            ? ""
            : String.format(
                Locale.ROOT,
                "; paced series: %d of %d lost a packet",
                q.seriesUnclean(),
                q.seriesHandshakes());
    return String.format(
        Locale.ROOT,
        "%d TCP handshakes to %s: RTT min %.1f / median %.1f /"
            + " p95 %.1f ms, jitter %.1f ms; %d retransmitted, %d failed (loss about %.0f %%)%s",
        q.samples(),
        q.address(),
        q.minMillis(),
        q.medianMillis(),
        q.p95Millis(),
        q.jitterMillis(),
        q.retransmitted(),
        q.failed(),
        q.lossEstimate() * 100,
        series);
  }

  public static String udp(UdpCheck u) {
    StringBuilder sb =
        new StringBuilder("UDP ")
            .append(Facts.hostPort(u.address(), u.port()))
            .append(": 1232-byte RDP-UDP SYN -> ")
            .append(word(u.full()))
            .append("; small datagram -> ")
            .append(word(u.small()));
    if (u.synAckFlags() != null) {
      sb.append(
          String.format(
              Locale.ROOT,
              " (SYN+ACK flags 0x%04x, MTUs %d/%d)",
              u.synAckFlags(),
              u.serverUpMtu(),
              u.serverDownMtu()));
    }
    return sb.toString();
  }

  public static String connectionLimit(ConnectionLimitCheck c) {
    return c.attempted()
        + " connections at once to "
        + Facts.hostPort(c.address(), c.port())
        + ": "
        + c.opened()
        + " accepted, "
        + c.refused()
        + " refused, "
        + c.timedOut()
        + " timed out, "
        + c.droppedWhileHeld()
        + " dropped while held; an RDP request"
        + " meanwhile: "
        + c.negotiationWhileHeld();
  }

  public static String mtu(MtuCheck m) {
    return switch (m.status()) {
      case MEASURED ->
          "path MTU to "
              + m.address()
              + ": "
              + m.pathMtu()
              + " bytes ("
              + m.pings()
              + " pings with Don't-Fragment; local "
              + m.localInterface()
              + " MTU "
              + m.localMtu()
              + ")"
              + (m.detail() == null ? "" : "; " + m.detail());
      case NO_REPLY, UNAVAILABLE -> "path MTU to " + m.address() + " not measured: " + m.detail();
    };
  }

  /** What the check cost against what it may cost: "took 3664 ms; bound 48 packets, 30.0 s". */
  public static String cost(long millis, PathEvidence.Bounds b) {
    if (b == null) {
      return "took " + millis + " ms";
    }
    return String.format(
        Locale.ROOT,
        "took %d ms; bound %d packets, %.1f s",
        millis,
        b.maxPackets(),
        b.maxSeconds());
  }

  /** Whether the server offers RDP-UDP, and on what grounds. */
  public static String udpOffer(UdpCheck u) {
    return switch (u.serverOffersUdp()) {
      case YES -> "the server offers RDP-UDP (" + u.offersSource() + ")";
      case UNKNOWN -> "whether the server offers RDP-UDP is unknown";
    };
  }

  /** The --ip address as probed, beside what the name led to. */
  public static String alternate(AlternateAddressCheck a) {
    StringBuilder sb = new StringBuilder("given address ").append(a.address());
    if (!a.resolvedAddresses().isEmpty()) {
      sb.append(
          a.inResolved()
              ? " (one of the name's addresses)"
              : " (the name resolves to " + String.join(", ", a.resolvedAddresses()) + ")");
    }
    sb.append(": TCP ").append(a.tcpOutcome());
    if (a.negotiation() != null) {
      sb.append(", RDP ").append(a.negotiation());
    }
    if (a.certSha256() != null) {
      sb.append(", certificate ")
          .append(a.certSubject())
          .append(" SHA-256 ")
          .append(a.certSha256());
    }
    if (a.nameCertSha256() != null) {
      sb.append(
          a.differentMachine()
              ? "; the name's server has another certificate (SHA-256 " + a.nameCertSha256() + ")"
              : "; the same certificate as the name's server");
    }
    return sb.toString();
  }

  /** One local interface: "tun0 MTU 1400 up, likely VPN (10.8.0.2)". */
  public static String iface(PathEvidence.InterfaceMtu i) {
    StringBuilder sb = new StringBuilder(i.name());
    if (i.displayName() != null && !i.displayName().equals(i.name())) {
      sb.append(" \"").append(i.displayName()).append('"');
    }
    sb.append(" MTU ").append(i.mtu()).append(i.up() ? " up" : " down");
    if (i.loopback()) {
      sb.append(", loopback");
    }
    if (i.likelyVpn()) {
      sb.append(", likely VPN");
    }
    if (i.addresses() != null && !i.addresses().isEmpty()) {
      sb.append(" (").append(String.join(", ", i.addresses())).append(')');
    }
    return sb.toString();
  }

  static String word(UdpCheck.Outcome o) {
    return switch (o) {
      case ANSWERED -> "SYN+ACK";
      case OTHER_REPLY -> "an answer that is not RDP-UDP";
      case PORT_UNREACHABLE -> "ICMP port unreachable";
      case SILENT -> "no answer";
      case ERROR -> "error";
    };
  }
}

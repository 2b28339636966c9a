package dev.rdpdoctor.evidence;

import java.util.Locale;

/** One-line wording of the network-path evidence, shared by the rules and the text report. */
public final class PathFacts {
  private PathFacts() {}

  public static String quality(QualityCheck q) {
    if (q.medianMillis() == null) {
      return q.samples() + " TCP handshakes to " + q.address() + ": none completed";
    }
    return String.format(Locale.ROOT, "%d TCP handshakes to %s: RTT min %.1f / median %.1f /"
        + " p95 %.1f ms, jitter %.1f ms; %d retransmitted, %d failed (loss about %.0f %%)",
        q.samples(), q.address(), q.minMillis(), q.medianMillis(), q.p95Millis(),
        q.jitterMillis(), q.retransmitted(), q.failed(), q.lossEstimate() * 100);
  }

  public static String udp(UdpCheck u) {
    StringBuilder sb = new StringBuilder("UDP ").append(Facts.hostPort(u.address(), u.port()))
        .append(": 1232-byte RDP-UDP SYN -> ").append(word(u.full()))
        .append("; small datagram -> ").append(word(u.small()));
    if (u.synAckFlags() != null) {
      sb.append(String.format(Locale.ROOT, " (SYN+ACK flags 0x%04x, MTUs %d/%d)",
          u.synAckFlags(), u.serverUpMtu(), u.serverDownMtu()));
    }
    return sb.toString();
  }

  public static String connectionLimit(ConnectionLimitCheck c) {
    return c.attempted() + " connections at once to " + Facts.hostPort(c.address(), c.port())
        + ": " + c.opened() + " accepted, " + c.refused() + " refused, " + c.timedOut()
        + " timed out, " + c.droppedWhileHeld() + " dropped while held; an RDP request"
        + " meanwhile: " + c.negotiationWhileHeld();
  }

  public static String mtu(MtuCheck m) {
    return switch (m.status()) {
      case MEASURED -> "path MTU to " + m.address() + ": " + m.pathMtu() + " bytes ("
          + m.pings() + " pings with Don't-Fragment; local " + m.localInterface() + " MTU "
          + m.localMtu() + ")";
      case NO_REPLY, UNAVAILABLE -> "path MTU to " + m.address() + " not measured: "
          + m.detail();
    };
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

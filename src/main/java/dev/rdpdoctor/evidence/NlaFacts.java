package dev.rdpdoctor.evidence;

import java.time.Instant;

/** One-line wordings of {@link NlaEvidence}, shared by findings and the text report. */
public final class NlaFacts {
  /** No NTLMv2 server stamps a time before this (Windows 2000 shipped in 2000). */
  static final Instant EARLIEST_CLOCK = Instant.parse("2000-01-01T00:00:00Z");

  /** Beyond this a timestamp is a bit pattern, not a wrong clock. */
  static final Instant LATEST_CLOCK = Instant.parse("2200-01-01T00:00:00Z");

  private NlaFacts() {}

  public static String summary(NlaEvidence n) {
    String head =
        "CredSSP"
            + (n.credsspVersion() == null ? "" : " v" + n.credsspVersion())
            + (n.selected() == null ? "" : " (" + n.selected() + ")");
    if (n.status() != NlaEvidence.Status.OK) {
      return head
          + ": "
          + n.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + (n.detail() == null ? "" : " - " + n.detail())
          + " ("
          + n.millis()
          + " ms)";
    }
    return head + ": " + identity(n.ntlm()) + " (" + n.millis() + " ms)";
  }

  public static String identity(NlaEvidence.NtlmInfo i) {
    if (i == null) {
      return "no NTLM identity";
    }
    StringBuilder sb = new StringBuilder("NTLM says it is ");
    sb.append(i.netbiosComputerName() == null ? "?" : i.netbiosComputerName());
    if (i.dnsComputerName() != null) {
      sb.append(" / ").append(i.dnsComputerName());
    }
    if (i.netbiosDomainName() != null) {
      sb.append(" in ").append(i.netbiosDomainName());
    }
    if (i.productVersion() != null) {
      sb.append(", Windows version ").append(i.productVersion());
    }
    if (i.systemTime() != null) {
      sb.append(", clock ")
          .append(i.systemTime())
          .append(
              clockReadable(i)
                  ? " (" + skew(i.skewSeconds()) + ")"
                  : " (a placeholder, not a clock: not judged)");
    }
    return sb.toString();
  }

  /**
   * Whether MsvAvTimestamp holds a real time. Servers and proxies that have no clock to give send
   * zero (1601-01-01) or all ones; a time before NTLMv2 existed or past this bound says nothing
   * about the server's clock either.
   */
  public static boolean clockReadable(NlaEvidence.NtlmInfo i) {
    Instant t = i.systemTime();
    return t != null && !t.isBefore(EARLIEST_CLOCK) && t.isBefore(LATEST_CLOCK);
  }

  public static String skew(Long s) {
    if (s == null) {
      return "no clock";
    }
    if (s == 0) {
      return "same time as here";
    }
    long a = Math.abs(s);
    String amount = a >= 120 ? (a / 60) + " min " + (a % 60) + " s" : a + " s";
    return amount + (s > 0 ? " ahead of" : " behind") + " this machine";
  }

  public static String logon(NlaEvidence.Logon l) {
    return "logon as "
        + l.account()
        + ": "
        + l.outcome().name().toLowerCase(java.util.Locale.ROOT)
        + " - "
        + l.detail()
        + " ("
        + l.millis()
        + " ms)";
  }
}

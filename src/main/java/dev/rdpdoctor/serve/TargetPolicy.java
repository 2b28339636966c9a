package dev.rdpdoctor.serve;

import dev.rdpdoctor.engine.Budget;
import dev.rdpdoctor.evidence.IpLiteral;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.probe.DnsProbe;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Which targets the web may make this server connect to. A form that opens connections is an SSRF
 * tool unless fenced: beyond loopback only the allowlist is reachable, and link-local and cloud
 * metadata addresses never are. Names are checked after resolution, so a name that resolves into a
 * forbidden range is refused like the address itself.
 */
public final class TargetPolicy {
  /** Link-local (cloud metadata lives at 169.254.169.254) and AWS's IPv6 metadata address. */
  static final List<Cidr> NEVER =
      List.of(
          Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"), Cidr.parse("fd00:ec2::254/128"));

  private final boolean anyTarget;
  private final List<Cidr> cidrs;
  private final List<String> suffixes;
  private final List<int[]> ports;
  private final Resolver resolver;

  /**
   * Name resolution, replaceable in tests. The system one runs off the request's virtual thread and
   * gives up after the run's DNS budget, so a slow resolver holds up one request, not the server.
   */
  @FunctionalInterface
  public interface Resolver {
    Resolver SYSTEM = host -> DnsProbe.lookup(host, Budget.defaults().dns());

    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** The answer: allowed, or refused with a reason fit to show the user. */
  public record Decision(boolean allowed, String reason, List<InetAddress> addresses) {
    static Decision refuse(String reason) {
      return new Decision(false, reason, List.of());
    }
  }

  private TargetPolicy(
      boolean anyTarget,
      List<Cidr> cidrs,
      List<String> suffixes,
      List<int[]> ports,
      Resolver resolver) {
    this.anyTarget = anyTarget;
    this.cidrs = List.copyOf(cidrs);
    this.suffixes = List.copyOf(suffixes);
    this.ports = List.copyOf(ports);
    this.resolver = resolver;
  }

  /**
   * @param entries CIDRs or addresses ({@code 10.0.0.0/8}, {@code 192.0.2.7}), domain suffixes
   *     ({@code .corp.example} or {@code corp.example}: the name and every name under it) and ports
   *     ({@code port=3389}, {@code port=3389-3390}); with no port entry, 3389 and 443 (a gateway's)
   *     are allowed
   * @param anyTarget true on loopback with no allowlist: every target but the forbidden ranges
   */
  public static TargetPolicy of(Collection<String> entries, boolean anyTarget, Resolver r) {
    List<Cidr> cidrs = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    List<int[]> ports = new ArrayList<>();
    for (String raw : entries) {
      String e = raw.trim().toLowerCase(Locale.ROOT);
      if (e.startsWith("port=")) {
        ports.add(portRange(e.substring(5), raw));
      } else if (e.indexOf('/') >= 0 || e.matches("[0-9.]+") || e.indexOf(':') >= 0) {
        cidrs.add(Cidr.parse(e.indexOf('/') >= 0 ? e : e + (e.indexOf(':') >= 0 ? "/128" : "/32")));
      } else if (e.matches("\\.?[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
        suffixes.add(e.startsWith(".") ? e.substring(1) : e);
      } else {
        throw new IllegalArgumentException(
            "--allow '"
                + raw
                + "': expected a CIDR, an address,"
                + " a domain suffix or port=N[-M]");
      }
    }
    if (ports.isEmpty()) {
      ports.add(new int[] {Target.DEFAULT_PORT, Target.DEFAULT_PORT});
      ports.add(new int[] {443, 443});
    }
    return new TargetPolicy(anyTarget && entries.isEmpty(), cidrs, suffixes, ports, r);
  }

  private static int[] portRange(String s, String raw) {
    String[] p = s.split("-", 2);
    try {
      int lo = Integer.parseInt(p[0]);
      int hi = p.length > 1 ? Integer.parseInt(p[1]) : lo;
      if (lo < 1 || hi > 65535 || lo > hi) {
        throw new NumberFormatException();
      }
      return new int[] {lo, hi};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--allow '" + raw + "': ports are 1-65535, port=N or" + " port=N-M");
    }
  }

  public boolean anyTarget() {
    return anyTarget;
  }

  /**
   * Resolves the host and checks every address. A name that does not resolve is allowed when the
   * name itself is (the run then only asks the resolver, which is the finding).
   *
   * @param what "target" or "gateway", for the message
   */
  public Decision check(Target t, String what) {
    String host = t.host().toLowerCase(Locale.ROOT);
    if (!anyTarget && ports.stream().noneMatch(r -> t.port() >= r[0] && t.port() <= r[1])) {
      return Decision.refuse(what + " port " + t.port() + " is not in this server's allowlist");
    }
    boolean nameAllowed =
        anyTarget
            || !t.literal()
                && suffixes.stream().anyMatch(s -> host.equals(s) || host.endsWith("." + s));
    List<InetAddress> addresses;
    try {
      addresses = List.of(resolver.resolve(t.host()));
    } catch (UnknownHostException e) {
      return nameAllowed
          ? new Decision(true, null, List.of())
          : Decision.refuse(what + " " + t.host() + " is not in this server's allowlist");
    }
    for (InetAddress a : addresses) {
      String why = refusal(a, nameAllowed);
      if (why != null) {
        return Decision.refuse(
            what
                + " "
                + t.host()
                + (t.literal() ? "" : " resolves to " + a.getHostAddress() + ", which")
                + " "
                + why);
      }
    }
    return new Decision(true, null, addresses);
  }

  /** Whether the run connected only where allowed (the evidence's addresses, re-checked). */
  public String checkUsed(Collection<String> addresses, boolean nameAllowedRun) {
    for (String s : addresses) {
      InetAddress a = IpLiteral.parse(s).orElse(null);
      if (a == null) {
        continue; // not an address literal: nothing was connected to by that name here
      }
      String why = refusal(a, nameAllowedRun);
      if (why != null) {
        return "the name now resolves to " + a.getHostAddress() + ", which " + why;
      }
    }
    return null;
  }

  /** Whether the name is allowed by a suffix entry (or every target is). */
  public boolean nameAllowed(Target t) {
    String host = t.host().toLowerCase(Locale.ROOT);
    return anyTarget
        || !t.literal()
            && suffixes.stream().anyMatch(s -> host.equals(s) || host.endsWith("." + s));
  }

  private String refusal(InetAddress a, boolean nameAllowed) {
    for (Cidr c : NEVER) {
      if (c.contains(a)) {
        return "is a link-local or cloud metadata address (" + c + "), never probed";
      }
    }
    if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
      return "is not a host address";
    }
    if (nameAllowed || cidrs.stream().anyMatch(c -> c.contains(a))) {
      return null;
    }
    return "is not in this server's allowlist";
  }
}

package dev.rdpdoctor.fleet;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * "The same configuration everywhere": hosts grouped by security profile, the largest group taken
 * as the fleet's norm, and every other group named with what sets it apart.
 *
 * @param groups largest first; the first is the majority
 * @param unreachable hosts with no RDP answer, which have no profile to compare
 */
public record Consistency(List<Group> groups, List<String> unreachable) {
  /** The dimensions compared, in the order reports show them. */
  public static final List<String> DIMENSIONS =
      List.of(
          "security layers",
          "NLA",
          "TLS versions",
          "certificate issuer",
          "RDP version",
          "CredSSP version");

  /** What one host's security looks like; null parts were not measured. */
  public record Profile(
      String layers,
      String nla,
      String tlsVersions,
      String issuer,
      String rdpVersion,
      String credssp) {
    static Profile of(HostSummary h) {
      return new Profile(
          join(h.layers()),
          h.nla(),
          join(h.tlsVersions()),
          h.certIssuerName(),
          h.rdpVersion(),
          h.credsspVersion() == null ? null : "v" + h.credsspVersion());
    }

    public List<String> values() {
      List<String> v = new ArrayList<>();
      v.add(show(layers));
      v.add(show(nla));
      v.add(show(tlsVersions));
      v.add(show(issuer));
      v.add(show(rdpVersion));
      v.add(show(credssp));
      return v;
    }

    private static String show(String s) {
      return s == null ? "-" : s;
    }

    private static String join(List<String> l) {
      return l == null ? null : l.isEmpty() ? "none" : String.join("+", l);
    }
  }

  /**
   * Hosts that share one profile.
   *
   * @param differs for a group other than the majority, the dimensions where it differs
   */
  public record Group(Profile profile, List<String> hosts, List<String> differs) {
    public boolean majority() {
      return differs == null;
    }
  }

  public static Consistency of(Iterable<HostSummary> hosts) {
    Map<Profile, List<String>> byProfile = new LinkedHashMap<>();
    List<String> unreachable = new ArrayList<>();
    for (HostSummary h : hosts) {
      if (!h.reachable()) {
        unreachable.add(h.target());
        continue;
      }
      byProfile.computeIfAbsent(Profile.of(h), k -> new ArrayList<>()).add(h.target());
    }
    List<Map.Entry<Profile, List<String>>> sorted = new ArrayList<>(byProfile.entrySet());
    // ties: the first profile seen stays first, so the order is reproducible
    sorted.sort(
        Comparator.comparingInt((Map.Entry<Profile, List<String>> e) -> -e.getValue().size()));
    List<Group> groups = new ArrayList<>();
    Profile norm = sorted.isEmpty() ? null : sorted.get(0).getKey();
    for (int i = 0; i < sorted.size(); i++) {
      Profile p = sorted.get(i).getKey();
      List<String> differs = null;
      if (i > 0) {
        differs = new ArrayList<>();
        List<String> a = p.values();
        List<String> b = norm.values();
        for (int d = 0; d < DIMENSIONS.size(); d++) {
          if (!Objects.equals(a.get(d), b.get(d))) {
            differs.add(DIMENSIONS.get(d));
          }
        }
      }
      groups.add(
          new Group(
              p,
              List.copyOf(sorted.get(i).getValue()),
              differs == null ? null : List.copyOf(differs)));
    }
    return new Consistency(List.copyOf(groups), List.copyOf(unreachable));
  }

  /** The hosts outside the majority's profile (unreachable ones not counted). */
  public List<String> deviants() {
    return groups.stream().filter(g -> !g.majority()).flatMap(g -> g.hosts().stream()).toList();
  }
}

package dev.rdpdoctor.evidence;

import java.util.List;
import java.util.Optional;

/**
 * Every cipher suite and key exchange group the server accepts, per TLS version, found over the
 * RDP-negotiated socket by elimination: offer a list, note the suite the ServerHello picks, take it
 * out, offer again, until the server refuses.
 *
 * @param versions one entry per TLS version enumerated
 * @param groups one entry per (version, group) tried on its own
 * @param connections how many connections the enumeration used
 * @param maxConnections the cap on them
 * @param budgetMillis the cap on the enumeration's wall time
 * @param complete false when the cap or the budget cut the enumeration short
 * @param notes what could not be tried and why
 */
public record TlsCipherEvidence(
    String address,
    List<VersionSuites> versions,
    List<GroupResult> groups,
    int connections,
    int maxConnections,
    long budgetMillis,
    boolean complete,
    List<String> notes,
    long millis)
    implements EvidenceSection {

  public static final String KEY = "tls_ciphers";

  public TlsCipherEvidence {
    versions = List.copyOf(versions);
    groups = List.copyOf(groups);
    notes = List.copyOf(notes);
  }

  @Override
  public String key() {
    return KEY;
  }

  /**
   * One suite the server picked.
   *
   * @param id the IANA code point, "0xC02F"
   * @param completed whether the handshake with it finished: false for a suite the server chose but
   *     this client cannot finish (RC4 ...); the server still accepts it
   */
  public record Suite(String name, String id, boolean completed) {}

  /**
   * @param accepted in the order the server picked them
   * @param serverPreference true when the server picks by its own order (then {@code accepted} is
   *     that order), false when it follows the client's, null when not observable
   * @param endedWith what ended the elimination (normally the alert for "nothing left")
   */
  public record VersionSuites(
      String version, List<Suite> accepted, Boolean serverPreference, String endedWith) {
    public VersionSuites {
      accepted = List.copyOf(accepted);
    }
  }

  /** One named group offered alone. */
  public record GroupResult(
      String version, String group, String id, boolean accepted, String detail) {}

  public Optional<VersionSuites> version(String name) {
    return versions.stream().filter(v -> v.version().equals(name)).findFirst();
  }

  /** Every suite accepted at any version, by IANA name, each once. */
  public List<String> allSuiteNames() {
    return versions.stream()
        .flatMap(v -> v.accepted().stream())
        .map(Suite::name)
        .distinct()
        .toList();
  }

  public List<String> acceptedGroups() {
    return groups.stream()
        .filter(GroupResult::accepted)
        .map(GroupResult::group)
        .distinct()
        .toList();
  }
}

package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.ClientTlsOffer;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.TlsCipherEvidence;
import dev.rdpdoctor.evidence.TlsCipherEvidence.Suite;
import dev.rdpdoctor.evidence.TlsCipherEvidence.VersionSuites;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rules over the cipher enumeration: what each common client would share with this server (suite
 * and, where the suite needs one, key exchange group), and which weak suites the server still
 * accepts.
 */
public final class TlsCipherRules implements RuleSet {
  /** The clients judged besides the active one: one per distinct default TLS offer. */
  static final List<ClientProfile> PROFILES =
      List.of(ClientProfile.WINDOWS, ClientProfile.FREERDP2, ClientProfile.FREERDP3);

  /** One (version, suite) the server accepts that the client offers too. */
  record Shared(String version, String suite) {
    boolean legacy() {
      // static RSA with AES-GCM is weak (no forward secrecy) but not legacy
      return version.equals("TLSv1.0")
          || version.equals("TLSv1.1")
          || (weak(suite) && !suite.startsWith("TLS_RSA_WITH_AES_") || suite.endsWith("_SHA"));
    }
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
    TlsCipherEvidence c = e.section(TlsCipherEvidence.class).orElse(null);
    if (c == null) {
      return true;
    }
    EvidenceRef ref = FindingFactory.ref(TlsCipherEvidence.KEY, summary(c));
    checked.add("TLS cipher suites and groups per version (" + c.connections() + " connections)");
    ClientProfile active = e.target().profile();
    List<ClientProfile> judged = new ArrayList<>();
    judged.add(active);
    PROFILES.stream().filter(p -> p.tlsOffer() != active.tlsOffer()).forEach(judged::add);
    List<String> othersWithout = new ArrayList<>();
    for (ClientProfile p : judged) {
      ClientTlsOffer offer = p.tlsOffer();
      List<Shared> shared = shared(c, offer);
      boolean isActive = p == active;
      if (shared.isEmpty()) {
        boolean versionsMeet =
            c.versions().stream()
                .anyMatch(v -> !v.accepted().isEmpty() && offer.versions().contains(v.version()));
        if (isActive && !versionsMeet && TlsRules.legacyOnly(e.tls())) {
          // no version in common: the core rules' "legacy only" already says why
          continue;
        }
        if (isActive) {
          out.add(
              f.finding(
                  CauseId.TLS_NO_SHARED_CIPHER,
                  Severity.FAIL,
                  c.complete() ? Confidence.HIGH : Confidence.MEDIUM,
                  "The server accepts "
                      + describe(c)
                      + ", and none of it is what "
                      + offer.client()
                      + " offers by"
                      + " default ("
                      + String.join(", ", offer.versions())
                      + " with "
                      + offer.suites().size()
                      + " suites; groups "
                      + String.join(", ", offer.groups())
                      + "). The handshake cannot succeed.",
                  List.of(ref)));
        } else {
          othersWithout.add(offer.client());
        }
      } else if (shared.stream().allMatch(Shared::legacy)
          && !(isActive && TlsRules.legacyOnly(e.tls()))) {
        Shared best = shared.get(0);
        out.add(
            f.finding(
                CauseId.TLS_LEGACY_ONLY,
                isActive ? Severity.WARN : Severity.INFO,
                Confidence.HIGH,
                offer.client()
                    + " can connect only with legacy TLS: the best it"
                    + " shares with this server is "
                    + best.suite()
                    + " over "
                    + best.version()
                    + " ("
                    + shared.size()
                    + " shared in all, none TLS 1.2+ with SHA-2 or AEAD).",
                List.of(ref)));
      }
    }
    if (!othersWithout.isEmpty()) {
      out.add(
          f.finding(
              CauseId.TLS_NO_SHARED_CIPHER,
              Severity.INFO,
              c.complete() ? Confidence.HIGH : Confidence.MEDIUM,
              "Other clients would share no"
                  + " cipher suite with this server: "
                  + String.join("; ", othersWithout)
                  + ".",
              List.of(ref)));
    }
    weakSuites(c, f, out, ref);
    return c.complete();
  }

  static List<Shared> shared(TlsCipherEvidence c, ClientTlsOffer offer) {
    List<Shared> out = new ArrayList<>();
    // newest version first, so the first shared pair is the one a client would get
    List<VersionSuites> versions = new ArrayList<>(c.versions());
    versions.sort((a, b) -> b.version().compareTo(a.version()));
    for (VersionSuites v : versions) {
      for (Suite s : v.accepted()) {
        if (offer.offers(v.version(), s.name()) && groupShared(c, offer, v.version(), s.name())) {
          out.add(new Shared(v.version(), s.name()));
        }
      }
    }
    return out;
  }

  /** ECDHE and TLS 1.3 need a group both sides have; when none was tried, assume one. */
  private static boolean groupShared(
      TlsCipherEvidence c, ClientTlsOffer offer, String version, String suite) {
    boolean needs = version.equals("TLSv1.3") || suite.contains("_ECDHE_");
    if (!needs) {
      return true;
    }
    boolean tls13 = version.equals("TLSv1.3");
    List<TlsCipherEvidence.GroupResult> tried =
        c.groups().stream().filter(g -> g.version().equals("TLSv1.3") == tls13).toList();
    if (tried.isEmpty()) {
      return true;
    }
    return tried.stream().anyMatch(g -> g.accepted() && offer.groups().contains(g.group()));
  }

  /** 3DES, RC4, DES, export, NULL or anonymous, CBC with SHA-1, or static RSA key exchange. */
  public static boolean weak(String suite) {
    return suite.contains("3DES")
        || suite.contains("RC4")
        || suite.contains("_DES_")
        || suite.contains("EXPORT")
        || suite.contains("NULL")
        || suite.contains("_anon_")
        || (suite.contains("_CBC_") && suite.endsWith("_SHA"))
        || suite.startsWith("TLS_RSA_");
  }

  private static void weakSuites(
      TlsCipherEvidence c, FindingFactory f, List<Finding> out, EvidenceRef ref) {
    Set<String> weak = new LinkedHashSet<>();
    for (VersionSuites v : c.versions()) {
      v.accepted().stream().map(Suite::name).filter(TlsCipherRules::weak).forEach(weak::add);
    }
    if (weak.isEmpty()) {
      return;
    }
    boolean broken =
        weak.stream()
            .anyMatch(
                s ->
                    s.contains("RC4")
                        || s.contains("EXPORT")
                        || s.contains("NULL")
                        || s.contains("_anon_")
                        || s.contains("_DES_"));
    out.add(
        f.finding(
            CauseId.TLS_WEAK_CIPHERS,
            broken ? Severity.WARN : Severity.INFO,
            Confidence.HIGH,
            "The server still accepts "
                + weak.size()
                + " weak suite"
                + (weak.size() == 1 ? "" : "s")
                + " (3DES, RC4, CBC with SHA-1, static RSA ...): "
                + String.join(", ", weak)
                + ". Clients pick better ones when they can; this is"
                + " hardening, not the cause of a failure.",
            List.of(ref)));
  }

  static String describe(TlsCipherEvidence c) {
    List<String> parts = new ArrayList<>();
    for (VersionSuites v : c.versions()) {
      if (!v.accepted().isEmpty()) {
        parts.add(
            v.accepted().size()
                + " suite"
                + (v.accepted().size() == 1 ? "" : "s")
                + " over "
                + v.version()
                + " ("
                + v.accepted().get(0).name()
                + (v.accepted().size() > 1 ? " ..." : "")
                + ")");
      }
    }
    return parts.isEmpty() ? "no suite this probe could offer" : String.join(", ", parts);
  }

  static String summary(TlsCipherEvidence c) {
    return describe(c)
        + "; groups "
        + (c.acceptedGroups().isEmpty() ? "none found" : String.join(", ", c.acceptedGroups()))
        + "; "
        + c.connections()
        + " connections"
        + (c.complete() ? "" : ", cut short");
  }
}

package dev.rdpdoctor.fleet;

import dev.rdpdoctor.diagnosis.TlsCipherRules;
import dev.rdpdoctor.probe.TlsProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The configuration every server should have, as one YAML or JSON file (docs/scan.md). Each key is
 * optional; a host is compliant when it breaks none of the rules given. A rule that requires
 * something fails when it could not be measured (compliance cannot be shown); a rule that forbids
 * something judges what was seen.
 */
public record Policy(
    Boolean requireTls,
    Boolean requireNla,
    String minTlsVersion,
    List<String> allowedCipherSuites,
    Boolean forbidWeakCiphers,
    String certIssuer,
    Integer certMinDaysLeft,
    Integer certKeyMinBits,
    Integer minCredsspVersion,
    Boolean forbidRdpUdp,
    Integer port) {

  /** Policy files are small; a larger one is a mistake (a wrong file named). */
  static final long MAX_BYTES = 1 << 20;

  /** The TLS versions in order, as the probes name them. */
  static final List<String> TLS_VERSIONS = TlsProbe.VERSIONS;

  private static final Set<String> KEYS =
      Set.of(
          "require_tls",
          "require_nla",
          "min_tls_version",
          "allowed_cipher_suites",
          "forbid_weak_ciphers",
          "cert_issuer",
          "cert_min_days_left",
          "cert_key_min_bits",
          "min_credssp_version",
          "forbid_rdp_udp",
          "port");

  /** Thrown with a message fit to show the user. */
  public static final class BadPolicy extends Exception {
    private static final long serialVersionUID = 1L;

    BadPolicy(String message) {
      super(message);
    }
  }

  public static Policy read(Path file) throws BadPolicy {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new BadPolicy(file + ": larger than " + MAX_BYTES + " bytes; not a policy file");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new BadPolicy("cannot read policy " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  static Policy parse(String text, String name) throws BadPolicy {
    ObjectMapper m =
        text.stripLeading().startsWith("{")
            ? JsonMapper.builder().build()
            : YAMLMapper.builder().build();
    JsonNode root;
    try {
      root = m.readTree(text);
    } catch (JacksonException e) {
      throw new BadPolicy(name + ": not valid YAML or JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadPolicy(name + ": a policy is a map of rules (require_tls: true ...)");
    }
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (!KEYS.contains(e.getKey())) {
        throw new BadPolicy(
            name
                + ": unknown rule '"
                + e.getKey()
                + "'; the rules are "
                + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    String minTls = text(root, "min_tls_version", name);
    if (minTls != null) {
      minTls = tlsVersion(minTls);
      if (minTls == null) {
        throw new BadPolicy(name + ": min_tls_version must be one of 1.0, 1.1, 1.2, 1.3");
      }
    }
    List<String> allowed = null;
    JsonNode a = root.get("allowed_cipher_suites");
    if (a != null && !a.isNull()) {
      if (!a.isArray()) {
        throw new BadPolicy(name + ": allowed_cipher_suites is a list of IANA suite names");
      }
      allowed = new ArrayList<>();
      for (JsonNode s : a) {
        if (!s.isString()) {
          throw new BadPolicy(name + ": allowed_cipher_suites holds names, not " + s);
        }
        allowed.add(s.asString());
      }
    }
    Integer port = integer(root, "port", name, 1, 65535);
    return new Policy(
        bool(root, "require_tls", name),
        bool(root, "require_nla", name),
        minTls,
        allowed,
        bool(root, "forbid_weak_ciphers", name),
        text(root, "cert_issuer", name),
        integer(root, "cert_min_days_left", name, 0, 100_000),
        integer(root, "cert_key_min_bits", name, 1, 65536),
        integer(root, "min_credssp_version", name, 1, 100),
        bool(root, "forbid_rdp_udp", name),
        port);
  }

  private static Boolean bool(JsonNode root, String key, String name) throws BadPolicy {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw new BadPolicy(name + ": " + key + " is true or false, not " + n);
    }
    return n.booleanValue();
  }

  private static String text(JsonNode root, String key, String name) throws BadPolicy {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isValueNode()) {
      throw new BadPolicy(name + ": " + key + " is a single value, not " + n);
    }
    return n.asString();
  }

  private static Integer integer(JsonNode root, String key, String name, int min, int max)
      throws BadPolicy {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
      throw new BadPolicy(
          name + ": " + key + " is a whole number from " + min + " to " + max + ", not " + n);
    }
    return n.asInt();
  }

  /** "1.2", "TLS1.2", "TLSv1.2", "tls 1.2" → "TLSv1.2"; null if it is none of them. */
  static String tlsVersion(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT).replace("tls", "").replace("v", "").strip();
    if (v.equals("1")) {
      v = "1.0";
    }
    String name = "TLSv" + v;
    return TLS_VERSIONS.contains(name) ? name : null;
  }

  /** The rules the file sets, as written there: for reports. */
  public List<String> rules() {
    List<String> r = new ArrayList<>();
    add(r, "require_tls", requireTls);
    add(r, "require_nla", requireNla);
    add(r, "min_tls_version", minTlsVersion);
    add(r, "allowed_cipher_suites", allowedCipherSuites);
    add(r, "forbid_weak_ciphers", forbidWeakCiphers);
    add(r, "cert_issuer", certIssuer);
    add(r, "cert_min_days_left", certMinDaysLeft);
    add(r, "cert_key_min_bits", certKeyMinBits);
    add(r, "min_credssp_version", minCredsspVersion);
    add(r, "forbid_rdp_udp", forbidRdpUdp);
    add(r, "port", port);
    return r;
  }

  private static void add(List<String> r, String key, Object v) {
    if (v != null) {
      r.add(key + ": " + v);
    }
  }

  /** One host against every rule; {@code now} is the scan's time for certificate days. */
  public PolicyResult evaluate(HostSummary h, Instant now) {
    List<PolicyResult.Violation> out = new ArrayList<>();
    if (port != null && h.port() != port) {
      out.add(v("port", String.valueOf(port), String.valueOf(h.port())));
    }
    if (!h.reachable()) {
      out.add(
          v(
              "reachable",
              "an RDP service that answers",
              h.topCause() + (h.summary().isEmpty() ? "" : ": " + h.summary())));
      return new PolicyResult(false, out);
    }
    if (Boolean.TRUE.equals(requireTls)) {
      if (h.layers() == null) {
        out.add(v("require_tls", "no Standard RDP Security", "not measured"));
      } else if (h.layers().contains("rdp")) {
        out.add(
            v(
                "require_tls",
                "no Standard RDP Security",
                "Standard RDP Security accepted (" + String.join(", ", h.layers()) + ")"));
      }
    }
    if (Boolean.TRUE.equals(requireNla) && !"required".equals(h.nla())) {
      out.add(
          v(
              "require_nla",
              "NLA (CredSSP) required",
              h.nla() == null
                  ? "not measured"
                  : "NLA "
                      + h.nla().replace('-', ' ')
                      + (h.layers() == null ? "" : " (accepts " + layers(h) + ")")));
    }
    if (minTlsVersion != null) {
      List<String> tv = h.tlsVersions();
      if (tv == null || tv.isEmpty()) {
        out.add(v("min_tls_version", minTlsVersion + " or later", "no TLS"));
      } else {
        List<String> below =
            tv.stream()
                .filter(x -> TLS_VERSIONS.indexOf(x) < TLS_VERSIONS.indexOf(minTlsVersion))
                .toList();
        if (!below.isEmpty()) {
          out.add(
              v(
                  "min_tls_version",
                  minTlsVersion + " or later",
                  String.join(", ", tv) + " accepted"));
        }
      }
    }
    if (allowedCipherSuites != null) {
      Set<String> bad = new LinkedHashSet<>(h.cipherSuites());
      bad.removeAll(allowedCipherSuites);
      if (h.cipherSuites().isEmpty()) {
        out.add(v("allowed_cipher_suites", "only the listed suites", "no TLS suite seen"));
      } else if (!bad.isEmpty()) {
        out.add(v("allowed_cipher_suites", "only the listed suites", String.join(", ", bad)));
      }
    }
    if (Boolean.TRUE.equals(forbidWeakCiphers)) {
      List<String> weak = h.cipherSuites().stream().filter(TlsCipherRules::weak).toList();
      if (!weak.isEmpty()) {
        out.add(v("forbid_weak_ciphers", "no weak suite", String.join(", ", weak)));
      }
    }
    if (certIssuer != null) {
      if (h.certIssuer() == null) {
        out.add(v("cert_issuer", certIssuer, "no TLS certificate"));
      } else if (!issuerMatches(h.certIssuer())) {
        out.add(v("cert_issuer", certIssuer, h.certIssuer()));
      }
    }
    if (certMinDaysLeft != null) {
      if (h.certNotAfter() == null) {
        out.add(v("cert_min_days_left", certMinDaysLeft + " days", "no TLS certificate"));
      } else {
        long days = Math.floorDiv(Duration.between(now, h.certNotAfter()).toSeconds(), 86_400);
        if (days < certMinDaysLeft) {
          LocalDate d = LocalDate.ofInstant(h.certNotAfter(), ZoneOffset.UTC);
          out.add(
              v(
                  "cert_min_days_left",
                  certMinDaysLeft + " days",
                  days < 0 ? "expired on " + d : days + " days (expires " + d + ")"));
        }
      }
    }
    if (certKeyMinBits != null) {
      if (h.certKeyBits() == null) {
        out.add(v("cert_key_min_bits", certKeyMinBits + " bits", "no TLS certificate"));
      } else if (h.certKeyBits() < certKeyMinBits) {
        out.add(v("cert_key_min_bits", certKeyMinBits + " bits", h.certKeyBits() + " bits"));
      }
    }
    if (minCredsspVersion != null) {
      if (h.credsspVersion() == null) {
        out.add(
            v(
                "min_credssp_version",
                "v" + minCredsspVersion + " or later",
                "no CredSSP answer (NLA "
                    + (h.nla() == null ? "not measured" : h.nla().replace('-', ' '))
                    + ")"));
      } else if (h.credsspVersion() < minCredsspVersion) {
        out.add(
            v(
                "min_credssp_version",
                "v" + minCredsspVersion + " or later",
                "v" + h.credsspVersion()));
      }
    }
    if (Boolean.TRUE.equals(forbidRdpUdp) && Boolean.TRUE.equals(h.offersUdp())) {
      out.add(v("forbid_rdp_udp", "no RDP-UDP", "the server offers RDP-UDP"));
    }
    return new PolicyResult(out.isEmpty(), out);
  }

  private static String layers(HostSummary h) {
    return h.layers().isEmpty() ? "nothing alone" : String.join(", ", h.layers());
  }

  /** The issuer's DN (spacing and case aside) or its CN. */
  private boolean issuerMatches(String dn) {
    String want = norm(certIssuer);
    return norm(dn).equals(want) || norm(HostSummary.commonName(dn)).equals(want);
  }

  private static String norm(String s) {
    return s == null ? "" : s.replaceAll("\\s*,\\s*", ",").strip().toLowerCase(Locale.ROOT);
  }

  private static PolicyResult.Violation v(String rule, String expected, String found) {
    return new PolicyResult.Violation(rule, expected, found);
  }
}

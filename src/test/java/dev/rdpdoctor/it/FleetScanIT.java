package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code rdpdoctor scan} on the lab's fleet (scenario {@code fleet}): 256 addresses of
 * 198.19.128.0/24 in eight classes, each block nat-redirected to its own xrdp (or closed, or
 * dropped on the router). Every host's class must come out of the scan, with and without a policy;
 * the consistency grouping must name exactly the blocks that differ from the norm; an interrupted
 * scan resumed from its state file must scan no host twice and lose none.
 */
class FleetScanIT {
  static final String NET = "198.19.128.0/24";
  static final int HOSTS = 256;

  /**
   * Hosts at once. Six xrdp on this lab's two cores play all 256 hosts, fork a process per
   * connection and share the cores with the scan's own TLS: at 32 at once some handshakes wait past
   * the deadline (the scan then rightly says unresponsive, or leaves a fact unmeasured); at 12 they
   * keep up.
   */
  static final int CONCURRENCY = 12;

  /**
   * One block of lab/rdplab's FLEET_BLOCKS and what the scan must say about each host in it.
   *
   * @param cause findings[0].cause scanned by name (the wildcard certificate matches)
   * @param byAddress findings[0].cause scanned by address: a certificate names no address, so mstsc
   *     warns of a name mismatch where by name all is well
   * @param layers the CSV's security_layers
   * @param tls the CSV's tls_versions
   * @param issuer the issuer CN
   * @param violations the policy's broken rules, in order
   */
  record Block(
      String name,
      int first,
      int last,
      String cause,
      String byAddress,
      String layers,
      String tls,
      String issuer,
      List<String> violations) {
    boolean holds(int i) {
      return i >= first && i <= last;
    }
  }

  static final String LAB_CA = "rdpdoctor lab CA";
  static final String MODERN = "TLSv1.2;TLSv1.3";
  static final String MISMATCH = "cert-name-mismatch";
  static final List<Block> BLOCKS =
      List.of(
          new Block(
              "negotiate",
              0,
              127,
              "healthy",
              MISMATCH,
              "rdp;tls",
              MODERN,
              LAB_CA,
              List.of("require_tls")),
          new Block(
              "tls-required", 128, 159, "healthy", MISMATCH, "tls", MODERN, LAB_CA, List.of()),
          new Block(
              "rdp-only",
              160,
              175,
              "standard-security-only",
              "standard-security-only",
              "rdp",
              null,
              null,
              List.of("require_tls", "min_tls_version", "cert_issuer", "cert_min_days_left")),
          new Block(
              "tls10-only",
              176,
              191,
              "tls-legacy-only",
              "tls-legacy-only",
              "tls",
              "TLSv1.0",
              LAB_CA,
              List.of("min_tls_version")),
          new Block(
              "cert-expired",
              192,
              207,
              "cert-expired",
              "cert-expired",
              "rdp;tls",
              MODERN,
              LAB_CA,
              List.of("require_tls", "cert_min_days_left")),
          new Block(
              "other-issuer",
              208,
              223,
              "healthy",
              MISMATCH,
              "rdp;tls",
              MODERN,
              "Other Corp Issuing CA",
              List.of("require_tls", "cert_issuer")),
          new Block(
              "closed",
              224,
              239,
              "port-closed",
              "port-closed",
              null,
              null,
              null,
              List.of("reachable")),
          // the router drops everything to this block: the host answers nothing, not even ping
          new Block(
              "dropped",
              240,
              255,
              "host-unreachable",
              "host-unreachable",
              null,
              null,
              null,
              List.of("reachable")));

  /** Blocks whose security profile differs from the norm (the negotiate block). */
  static final Set<String> DEVIANT =
      Set.of("tls-required", "rdp-only", "tls10-only", "other-issuer");

  static Lab.Scenario lab;

  @TempDir static Path dir;

  @BeforeAll
  static void up() {
    Lab.requireUsable();
    lab = Lab.up("fleet");
  }

  @AfterAll
  static void down() {
    Lab.down("fleet");
  }

  static Block block(String host) {
    int last = Integer.parseInt(host.substring(host.lastIndexOf('.') + 1).replace("h", ""));
    return BLOCKS.stream().filter(b -> b.holds(last)).findFirst().orElseThrow();
  }

  static List<String> command(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                System.getProperty("rdpdoctor.jar"), "scan"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  static Map<String, Map<String, String>> csv(Path f) throws IOException {
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    List<String> head = List.of(lines.get(0).split(",", -1));
    Map<String, Map<String, String>> rows = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      // the columns checked here hold no comma; the summary is quoted and may
      List<String> cells = splitCsv(line);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < head.size(); i++) {
        row.put(head.get(i), cells.get(i));
      }
      assertThat(rows.put(row.get("host"), row)).as("host twice in the CSV").isNull();
    }
    return rows;
  }

  static List<String> splitCsv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    out.add(cell.toString());
    return out;
  }

  static String issuerCn(String dn) {
    if (dn == null || dn.isEmpty()) {
      return null;
    }
    for (String part : dn.split(",")) {
      if (part.strip().startsWith("CN=")) {
        return part.strip().substring(3);
      }
    }
    return dn;
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  @Test
  void everyHostOfTheCidrComesOutInItsClass() throws IOException {
    Path csvFile = dir.resolve("cidr.csv");
    Path html = dir.resolve("fleet.html");
    Lab.Run r =
        Lab.inClient(
            lab,
            command(
                NET,
                "--json",
                "--csv",
                csvFile.toString(),
                "--html",
                html.toString(),
                "--concurrency",
                String.valueOf(CONCURRENCY)),
            900);
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as("worst verdict is a failure").isEqualTo(2);
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines).as(r.stderr()).hasSize(HOSTS);
    Set<String> seen = new HashSet<>();
    for (String line : lines) {
      JsonNode doc = Lab.JSON.readTree(line);
      String host = doc.path("target").path("host").asString();
      assertThat(seen.add(host)).as("reported twice: " + host).isTrue();
      Block b = block(host);
      assertThat(doc.path("findings").get(0).path("cause").asString())
          .as(host + " in block " + b.name())
          .isEqualTo(b.byAddress());
      assertThat(doc.has("policy")).isFalse();
    }
    assertThat(seen).hasSize(HOSTS);
    Map<String, Map<String, String>> rows = csv(csvFile);
    assertThat(rows).hasSize(HOSTS);
    rows.forEach(
        (host, row) -> {
          Block b = block(host);
          assertThat(emptyToNull(row.get("top_cause"))).as(host).isEqualTo(b.byAddress());
          if (b.layers() != null) {
            assertThat(row.get("security_layers")).as(host + " layers").isEqualTo(b.layers());
            assertThat(emptyToNull(row.get("tls_versions"))).as(host + " TLS").isEqualTo(b.tls());
            assertThat(issuerCn(row.get("cert_issuer"))).as(host + " issuer").isEqualTo(b.issuer());
          }
        });
    String page = Files.readString(html);
    assertThat(page)
        .contains("256 hosts scanned", "<h2>Consistency</h2>", "id=\"cause-cert-expired\"");
  }

  @Test
  void everyHostByNameAgainstAPolicy() throws IOException {
    Path names = dir.resolve("names.txt");
    StringBuilder b = new StringBuilder("# the lab fleet, by name\n");
    for (int i = 0; i < HOSTS; i++) {
      b.append(String.format("h%03d.fleet.lab.test%n", i));
    }
    Files.writeString(names, b.toString());
    Path policy =
        Files.writeString(
            dir.resolve("policy.yaml"),
            """
        require_tls: true
        min_tls_version: "1.2"
        cert_issuer: "rdpdoctor lab CA"
        cert_min_days_left: 30
        """);
    Lab.Run r =
        Lab.inClient(
            lab,
            command(
                "@" + names,
                "--policy",
                policy.toString(),
                "--json",
                "--concurrency",
                String.valueOf(CONCURRENCY)),
            900);
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.exitCode()).as("some hosts break the policy").isEqualTo(2);
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines).as(r.stderr()).hasSize(HOSTS);
    Map<String, Integer> compliantPerBlock = new TreeMap<>();
    for (String line : lines) {
      JsonNode doc = Lab.JSON.readTree(line);
      String host = doc.path("target").path("host").asString();
      Block bl = block(host.substring(0, host.indexOf('.')));
      assertThat(doc.path("findings").get(0).path("cause").asString())
          .as(host)
          .isEqualTo(bl.cause());
      JsonNode p = doc.path("policy");
      List<String> rules = new ArrayList<>();
      p.path("violations").forEach(v -> rules.add(v.path("rule").asString()));
      assertThat(rules).as(host + " in block " + bl.name() + ": " + p).isEqualTo(bl.violations());
      assertThat(p.path("compliant").asBoolean()).isEqualTo(bl.violations().isEmpty());
      if (!bl.violations().isEmpty()) {
        p.path("violations").forEach(v -> assertThat(v.path("found").asString()).isNotBlank());
      }
      compliantPerBlock.merge(bl.name(), p.path("compliant").asBoolean() ? 1 : 0, Integer::sum);
    }
    assertThat(compliantPerBlock.get("tls-required")).isEqualTo(32);
  }

  @Test
  void consistencyNamesExactlyTheDeviantBlocks() {
    Lab.Run r = Lab.inClient(lab, command(NET, "--concurrency", String.valueOf(CONCURRENCY)), 900);
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    List<String> out = r.stdout().lines().toList();
    int at =
        out.indexOf(
            out.stream()
                .filter(l -> l.startsWith("Consistency:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(r.describe())));
    Set<String> named = new TreeSet<>();
    String norm = null;
    for (int i = at + 1; i < out.size(); i++) {
      String l = out.get(i);
      if (l.endsWith("(norm)")) {
        norm = l;
      } else if (l.contains("differs in") && i + 1 < out.size()) {
        for (String h : out.get(i + 1).strip().split(", ")) {
          named.add(h);
        }
      }
    }
    // the norm: the negotiate block (128) and the expired-certificate block (16), whose
    // profile is the same (a certificate's dates are not a profile dimension)
    assertThat(norm).as(r.stdout()).isNotNull().contains("144");
    Set<String> want = new TreeSet<>();
    for (Block b : BLOCKS) {
      if (DEVIANT.contains(b.name())) {
        for (int i = b.first(); i <= b.last(); i++) {
          want.add("198.19.128." + i + ":3389");
        }
      }
    }
    assertThat(named).as(r.stdout()).isEqualTo(want);
    assertThat(out).anyMatch(l -> l.strip().equals("32  no RDP answer"));
  }

  @Test
  void anInterruptedScanResumesWithoutRepeatOrLoss() throws Exception {
    Path state = dir.resolve("scan.state");
    Path first = dir.resolve("first.ndjson");
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.clientNs()));
    cmd.addAll(command(NET, "--json", "--resume", state.toString(), "--concurrency", "16"));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(first.toFile())
            .redirectError(dir.resolve("first.err").toFile())
            .start();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
    while (lineCount(first) < 80 && p.isAlive() && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertThat(p.isAlive()).as("the scan is still running when it is interrupted").isTrue();
    p.destroy(); // SIGTERM: the JVM's shutdown hook stops the scan as Ctrl-C would
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> before = Files.readAllLines(first);
    assertThat(before.size()).isGreaterThanOrEqualTo(80).isLessThan(HOSTS);

    Lab.Run r =
        Lab.inClient(
            lab,
            command(
                NET,
                "--json",
                "--resume",
                state.toString(),
                "--concurrency",
                String.valueOf(CONCURRENCY)),
            900);
    assertThat(r.timedOut()).as(r.describe()).isFalse();
    assertThat(r.stderr()).contains("(" + before.size() + " done in an earlier run, skipped)");
    List<String> all = new ArrayList<>(before);
    all.addAll(r.stdout().lines().toList());
    List<String> hosts =
        all.stream().map(l -> Lab.JSON.readTree(l).path("target").path("host").asString()).toList();
    assertThat(hosts).as("no host scanned twice").doesNotHaveDuplicates();
    assertThat(hosts).as("none lost").hasSize(HOSTS);
    // the state file: a header and one line per host, each host once
    List<String> stateLines = Files.readAllLines(state);
    assertThat(stateLines).hasSize(HOSTS + 1);
  }

  static long lineCount(Path f) throws IOException {
    if (!Files.exists(f)) {
      return 0;
    }
    try (Stream<String> lines = Files.lines(f)) {
      return lines.count();
    }
  }
}

package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archives of target/release/ as users get them (no lab needed): unpacked into a
 * scratch folder and run the way docs/install.md says. The Windows launcher cannot run here; its
 * structure is checked instead.
 */
class ReleaseIT {
  static final Path RELEASE = Path.of(System.getProperty("rdpdoctor.release", "target/release"));
  static final String VERSION = System.getProperty("rdpdoctor.version", "0.1.0-SNAPSHOT");

  /** What the sh launcher calls besides java; the scratch PATH holds only these. */
  static final List<String> TOOLS =
      List.of(
          "sh",
          "sed",
          "head",
          "cat",
          "ls",
          "find",
          "dirname",
          "basename",
          "mkdir",
          "rm",
          "rmdir",
          "mv",
          "cut",
          "cksum",
          "sort",
          "timeout",
          "nohup",
          "printf");

  @TempDir Path scratch;

  record Run(int exit, String out, String err) {}

  static Run run(Path dir, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Path out = Files.createTempFile("release-it", ".out");
    Path err = Files.createTempFile("release-it", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        throw new AssertionError("took over 180 s: " + String.join(" ", cmd));
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void everyArtefactHasItsSha256() throws Exception {
    for (String name :
        List.of("rdpdoctor-" + VERSION + ".zip", "rdpdoctor-" + VERSION + "-linux-x64.tar.gz")) {
      Path f = RELEASE.resolve(name);
      String line = Files.readString(RELEASE.resolve(name + ".sha256")).strip();
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (InputStream in = Files.newInputStream(f)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      // sha256sum's format, so `sha256sum -c` checks it
      assertThat(line).isEqualTo(HexFormat.of().formatHex(md.digest()) + "  " + name);
    }
  }

  /** The zip with no java on PATH at all: only the JDK that JAVA_HOME names. */
  @Test
  void zipRunsWithOnlyJavaHome() throws Exception {
    Path home =
        unzip(RELEASE.resolve("rdpdoctor-" + VERSION + ".zip"), scratch.resolve("u"))
            .resolve("rdpdoctor-" + VERSION);
    Path bin = Files.createDirectories(scratch.resolve("bin"));
    for (String t : TOOLS) {
      for (String dir : List.of("/usr/bin/", "/bin/")) {
        if (Files.isExecutable(Path.of(dir + t)) && !Files.exists(bin.resolve(t))) {
          Files.createSymbolicLink(bin.resolve(t), Path.of(dir + t));
        }
      }
    }
    String javaHome = System.getProperty("java.home");
    // no class cache: its background build would outlive this test's scratch folder
    Map<String, String> env =
        Map.of(
            "PATH",
            bin.toString(),
            "JAVA_HOME",
            javaHome,
            "HOME",
            scratch.toString(),
            "RDPDOCTOR_NO_CACHE",
            "1");
    assertThat(run(home, env, "sh", "-c", "command -v java || echo none").out().strip())
        .as("no java on the scratch PATH")
        .isEqualTo("none");
    Run explain =
        run(home, env, bin.resolve("sh").toString(), "./rdpdoctor", "explain", "0x904", "0x7");
    assertThat(explain.exit()).as(explain.err()).isZero();
    assertThat(explain.out()).contains("0x904").contains("ERRINFO_SERVER_DENIED_CONNECTION");
    Run help = run(home, env, bin.resolve("sh").toString(), "./rdpdoctor", "diagnose", "--help");
    assertThat(help.exit()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: rdpdoctor diagnose");
    // the launcher chose JAVA_HOME's java (and remembered it beside the jar)
    assertThat(Files.readString(home.resolve("lib/.rdpdoctor-java")).strip())
        .endsWith(" " + javaHome + "/bin/java");
  }

  /** The linux image with an empty PATH and no JAVA_HOME: its own runtime and class cache. */
  @Test
  void linuxImageRunsWithoutAnyJdk() throws Exception {
    Path dir = Files.createDirectories(scratch.resolve("t"));
    Run untar =
        run(
            dir,
            Map.of("PATH", "/usr/bin:/bin"),
            "tar",
            "-xzf",
            RELEASE
                .resolve("rdpdoctor-" + VERSION + "-linux-x64.tar.gz")
                .toAbsolutePath()
                .toString());
    assertThat(untar.exit()).as(untar.err()).isZero();
    Path home = dir.resolve("rdpdoctor-" + VERSION + "-linux-x64");
    // AOTMode=on: the JVM refuses to start unless the shipped cache is used (JDK 25 runtime)
    Map<String, String> env =
        Map.of(
            "PATH",
            "",
            "HOME",
            scratch.toString(),
            "RDPDOCTOR_OPTS",
            "-XX:AOTMode=on -XshowSettings:properties");
    Run explain = run(home, env, "/bin/sh", "./rdpdoctor", "explain", "0x904", "0x7");
    assertThat(explain.exit()).as(explain.err()).isZero();
    assertThat(explain.out()).contains("ERRINFO_SERVER_DENIED_CONNECTION");
    assertThat(explain.err()).contains("java.home = " + home.resolve("runtime"));
    Run help = run(home, env, "/bin/sh", "./rdpdoctor", "diagnose", "--help");
    assertThat(help.exit()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: rdpdoctor diagnose");
    assertThat(Files.exists(home.resolve("runtime/bin/javac")))
        .as("a runtime, not a JDK")
        .isFalse();
    assertThat(home.resolve("man/rdpdoctor-diagnose.1"))
        .content()
        .startsWith(".TH ")
        .contains(".SH OPTIONS");
    assertThat(home.resolve("completion/rdpdoctor.bash"))
        .content()
        .contains("diagnose")
        .contains("complete");
  }

  /**
   * rdpdoctor.cmd cannot run on this Linux machine: its structure is checked (CRLF lines, labels
   * for every call and goto, balanced parentheses outside quotes, the Java search in JAVA_HOME,
   * PATH and Program Files, the winget hint), not its behaviour on Windows.
   */
  @Test
  void windowsLauncherStructure() throws Exception {
    Path home =
        unzip(RELEASE.resolve("rdpdoctor-" + VERSION + ".zip"), scratch.resolve("w"))
            .resolve("rdpdoctor-" + VERSION);
    byte[] raw = Files.readAllBytes(home.resolve("rdpdoctor.cmd"));
    String cmd = new String(raw, StandardCharsets.US_ASCII);
    assertThat(cmd).doesNotContainPattern("[^\r]\n").endsWith("\r\n");
    for (byte b : raw) {
      assertThat(b & 0xFF).as("ASCII only").isLessThan(0x80);
    }
    List<String> lines = List.of(cmd.split("\r\n"));
    assertThat(lines.get(0)).isEqualToIgnoringCase("@echo off");
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(8191));
    List<String> labels = new ArrayList<>();
    for (String l : lines) {
      if (l.startsWith(":")) {
        labels.add(l.substring(1).strip().toLowerCase());
      }
    }
    Matcher m = Pattern.compile("(?i)(?:call|goto) :(\\w+)").matcher(cmd);
    int jumps = 0;
    while (m.find()) {
      jumps++;
      String target = m.group(1).toLowerCase();
      assertThat(target.equals("eof") || labels.contains(target)).as("label :" + target).isTrue();
    }
    assertThat(jumps).isGreaterThan(3);
    int depth = 0;
    for (String l : lines) {
      if (l.startsWith("rem ")) {
        continue;
      }
      boolean quoted = false;
      for (int i = 0; i < l.length(); i++) {
        char c = l.charAt(i);
        if (c == '"') {
          quoted = !quoted;
        } else if (!quoted && c == '(' && (i == 0 || l.charAt(i - 1) != '^')) {
          depth++;
        } else if (!quoted && c == ')' && (i == 0 || l.charAt(i - 1) != '^')) {
          depth--;
          assertThat(depth).as("unbalanced ')' in: " + l).isGreaterThanOrEqualTo(0);
        }
      }
      assertThat(quoted).as("unclosed quote in: " + l).isFalse();
    }
    assertThat(depth).as("parentheses balanced").isZero();
    assertThat(cmd)
        .contains("setlocal EnableExtensions EnableDelayedExpansion")
        .contains("\"%JAVA_HOME%\\bin\\java.exe\"")
        .contains("where java.exe")
        .contains("%ProgramFiles%\\Microsoft\\jdk-*")
        .contains("java.specification.version")
        .contains("GEQ 21")
        .contains("winget install Microsoft.OpenJDK.21")
        .contains("-jar \"%JAR%\" %*")
        .contains("exit /b %ERRORLEVEL%");
  }

  static Path unzip(Path zip, Path to) throws IOException {
    Files.createDirectories(to);
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Path p = to.resolve(e.getName()).normalize();
        assertThat(p.startsWith(to)).as(e.getName()).isTrue();
        if (e.isDirectory()) {
          Files.createDirectories(p);
        } else {
          Files.createDirectories(p.getParent());
          Files.copy(in, p);
        }
      }
    }
    // java.util.zip does not keep file modes; unzip would keep the launcher's 755
    Files.setPosixFilePermissions(
        to.resolve("rdpdoctor-" + VERSION + "/rdpdoctor"),
        PosixFilePermissions.fromString("rwxr-xr-x"));
    return to;
  }
}

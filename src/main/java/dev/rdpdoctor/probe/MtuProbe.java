package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.MtuCheck;
import dev.rdpdoctor.evidence.MtuCheck.Status;
import dev.rdpdoctor.evidence.PathEvidence;
import dev.rdpdoctor.evidence.PathEvidence.InterfaceMtu;
import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * The path MTU by the operating system's own ping with Don't-Fragment set (Java cannot set DF
 * itself): a binary search over payload sizes, at most {@link #MAX_PINGS} single pings of at most
 * {@link #PING_WAIT_S} s each. Also lists this machine's interfaces and their MTUs.
 */
public final class MtuProbe {
  /** One reachability ping, one at the local MTU, then a binary search over 64..1472 (11). */
  static final int MAX_PINGS = 13;

  static final int PING_WAIT_S = 1;

  /** The process gets a little longer than ping's own wait, then it is killed. */
  static final long PROCESS_CAP_MS = 2_500;

  static final int SMALL_PAYLOAD = 64;
  static final int IPV4_OVERHEAD = 28;
  static final int IPV6_OVERHEAD = 48;
  private static final List<String> PATH_DIRS =
      List.of(
          "/usr/bin",
          "/bin",
          "/usr/sbin",
          "/sbin",
          "/usr/local/bin",
          "/sbin",
          "C:\\Windows\\System32");

  private MtuProbe() {}

  public static PathEvidence.Bounds bounds() {
    return new PathEvidence.Bounds(MAX_PINGS, MAX_PINGS * PROCESS_CAP_MS / 1000.0);
  }

  public static MtuCheck run(InetAddress address, ProbeContext ctx) {
    Stopwatch t0 = ctx.stopwatch();
    String subject = address.getHostAddress();
    Span span = ctx.span("mtu", subject);
    NetworkInterface route = routeInterface(address);
    Integer localMtu = mtu(route);
    String iface = route == null ? null : route.getName();
    String ping = findPing();
    MtuCheck check;
    if (ping == null) {
      check =
          unmeasured(
              subject,
              Status.UNAVAILABLE,
              localMtu,
              iface,
              0,
              null,
              "no ping program found on this machine",
              t0);
    } else {
      boolean v6 = address instanceof Inet6Address;
      int overhead = v6 ? IPV6_OVERHEAD : IPV4_OVERHEAD;
      int[] pings = {0};
      boolean[] cut = {false};
      Integer[] reported = {null}; // the smallest MTU a "fragmentation needed" named
      IntPredicate passes =
          size -> {
            if (ctx.runDeadline().remainingMillis() < PROCESS_CAP_MS) {
              cut[0] = true; // a ping that cannot finish in time would read as "too big"
              return false;
            }
            pings[0]++;
            PingOutput.Result r =
                ping(
                    command(ping, os(), v6, size, address.getHostAddress()),
                    os(),
                    address.getHostAddress());
            if (r.reportedMtu() != null && (reported[0] == null || r.reportedMtu() < reported[0])) {
              reported[0] = r.reportedMtu();
            }
            return r.verdict() == PingOutput.Verdict.REPLY;
          };
      int top = (localMtu == null ? 1500 : localMtu) - overhead;
      Search s = search(passes, top);
      String cmd = String.join(" ", command(ping, os(), v6, top, address.getHostAddress()));
      check =
          cut[0]
              ? unmeasured(
                  subject,
                  Status.UNAVAILABLE,
                  localMtu,
                  iface,
                  pings[0],
                  cmd,
                  "the run's deadline came before the search ended",
                  t0)
              : s.largest() == null
                  ? unmeasured(
                      subject,
                      Status.NO_REPLY,
                      localMtu,
                      iface,
                      pings[0],
                      cmd,
                      "the server does not answer pings even at "
                          + SMALL_PAYLOAD
                          + " bytes: the path"
                          + " MTU cannot be measured this way",
                      t0)
                  : new MtuCheck(
                      subject,
                      Status.MEASURED,
                      roundDown(s.largest() + overhead),
                      s.largest(),
                      localMtu,
                      iface,
                      pings[0],
                      cmd,
                      reported[0] == null
                          ? null
                          : "ping was told the MTU is "
                              + reported[0]
                              + " (fragmentation needed, from this machine or a router)",
                      t0.millis(),
                      bounds());
    }
    span.end(
        check.status() == Status.MEASURED
            ? "path MTU " + check.pathMtu()
            : check.status().name().toLowerCase(Locale.ROOT),
        check.millis());
    return check;
  }

  /** A check that measured no path MTU, and why. */
  private static MtuCheck unmeasured(
      String subject,
      Status status,
      Integer localMtu,
      String iface,
      int pings,
      String cmd,
      String why,
      Stopwatch t0) {
    return new MtuCheck(
        subject, status, null, null, localMtu, iface, pings, cmd, why, t0.millis(), bounds());
  }

  /**
   * Ping measures the way out; the echo reply may come back fragmented, and a veth or tunnel
   * accepts a few bytes over its MTU on receive. Fragment boundaries are multiples of 8, so the
   * value to configure is rounded down to one (1284 measured -> 1280).
   */
  static int roundDown(int mtu) {
    return mtu - mtu % 8;
  }

  /**
   * @param largest the largest payload that passed, null when not even a small one did
   */
  record Search(Integer largest, int probes) {}

  /**
   * Largest payload up to top for which passes holds, assuming it holds for every smaller size
   * (what a path MTU is). A small ping first tells "no reply at all" apart.
   */
  static Search search(IntPredicate passes, int top) {
    int probes = 1;
    if (!passes.test(SMALL_PAYLOAD)) {
      return new Search(null, probes);
    }
    probes++;
    if (passes.test(top)) {
      return new Search(top, probes);
    }
    int lo = SMALL_PAYLOAD; // known to pass
    int hi = top; // known to fail
    while (hi - lo > 1 && probes < MAX_PINGS) {
      int mid = (lo + hi) >>> 1;
      probes++;
      if (passes.test(mid)) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return new Search(lo, probes);
  }

  enum Os {
    LINUX,
    MAC,
    WINDOWS
  }

  static Os os() {
    String n = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    return n.contains("win") ? Os.WINDOWS : n.contains("mac") ? Os.MAC : Os.LINUX;
  }

  /** One ping of `payload` bytes with Don't-Fragment, one second's wait, numeric output. */
  static List<String> command(String ping, Os os, boolean v6, int payload, String address) {
    String size = Integer.toString(payload);
    return switch (os) {
      case WINDOWS ->
          v6
              ? List.of(ping, "-6", "-n", "1", "-w", "1000", "-l", size, address)
              : List.of(ping, "-4", "-f", "-n", "1", "-w", "1000", "-l", size, address);
      case MAC ->
          v6
              ? List.of(ping + "6", "-c", "1", "-s", size, address)
              : List.of(ping, "-D", "-c", "1", "-t", "1", "-s", size, address);
      case LINUX ->
          List.of(
              ping,
              v6 ? "-6" : "-4",
              "-n",
              "-M",
              "do",
              "-c",
              "1",
              "-W",
              Integer.toString(PING_WAIT_S),
              "-s",
              size,
              address);
    };
  }

  /** Runs one ping and reads what it said; a ping that cannot start or finish is no reply. */
  static PingOutput.Result ping(List<String> cmd, Os os, String address) {
    return ping(cmd, os, address, null);
  }

  /**
   * @param tempDir where the output goes, null for the system's temporary folder; when no file can
   *     be made there, the exit code alone decides (as it does on Linux and macOS anyway)
   */
  static PingOutput.Result ping(List<String> cmd, Os os, String address, Path tempDir) {
    Process p = null;
    Path out = null;
    try {
      // to a file, not a pipe: a pipe read could outlive the process cap if ping hung
      out = tempFile(tempDir);
      p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(
                  out == null
                      ? ProcessBuilder.Redirect.DISCARD
                      : ProcessBuilder.Redirect.to(out.toFile()))
              .redirectInput(
                  ProcessBuilder.Redirect.from(new File(os() == Os.WINDOWS ? "NUL" : "/dev/null")))
              .start();
      if (!p.waitFor(PROCESS_CAP_MS, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return NOTHING;
      }
      if (out == null) {
        return p.exitValue() == 0 ? new PingOutput.Result(PingOutput.Verdict.REPLY, null) : NOTHING;
      }
      return PingOutput.read(os, p.exitValue(), readCapped(out), address);
    } catch (IOException e) {
      return NOTHING;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (p != null) {
        p.destroyForcibly();
      }
      return NOTHING;
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          out.toFile().deleteOnExit();
        }
      }
    }
  }

  private static Path tempFile(Path dir) {
    try {
      return dir == null
          ? Files.createTempFile("rdpdoctor-ping", ".txt")
          : Files.createTempFile(dir, "rdpdoctor-ping", ".txt");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static final PingOutput.Result NOTHING =
      new PingOutput.Result(PingOutput.Verdict.NO_REPLY, null);

  /**
   * Ping's output is ASCII where it matters (addresses, TTL=, ms); the rest may be any code page.
   */
  private static String readCapped(Path out) throws IOException {
    try (var in = Files.newInputStream(out)) {
      return new String(in.readNBytes(PingOutput.MAX_OUTPUT_CHARS), StandardCharsets.ISO_8859_1);
    }
  }

  static String findPing() {
    String exe = os() == Os.WINDOWS ? "ping.exe" : "ping";
    List<String> dirs = new ArrayList<>(PATH_DIRS);
    String env = System.getenv("PATH");
    if (env != null) {
      dirs.addAll(0, List.of(env.split(File.pathSeparator)));
    }
    for (String d : dirs) {
      if (d.isBlank()) {
        continue;
      }
      Path p = Path.of(d, exe);
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  /** The interface the route to the address leaves by (a connected UDP socket sends nothing). */
  static NetworkInterface routeInterface(InetAddress address) {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(new InetSocketAddress(address, 9));
      InetAddress local = s.getLocalAddress();
      return local == null || local.isAnyLocalAddress()
          ? null
          : NetworkInterface.getByInetAddress(local);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Integer mtu(NetworkInterface n) {
    try {
      return n == null ? null : n.getMTU();
    } catch (SocketException e) {
      return null;
    }
  }

  /** Every interface with its MTU; a VPN shows as point-to-point, tun/tap/wg/ppp or "VPN". */
  public static List<InterfaceMtu> interfaces() {
    List<InterfaceMtu> out = new ArrayList<>();
    try {
      for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (out.size() >= 64) {
          break; // a machine with hundreds of interfaces gets the first 64
        }
        out.add(
            new InterfaceMtu(
                n.getName(),
                n.getDisplayName(),
                n.getMTU(),
                n.isUp(),
                n.isLoopback(),
                likelyVpn(n.getName(), n.getDisplayName(), n.isPointToPoint()),
                n.inetAddresses().map(InetAddress::getHostAddress).limit(8).toList()));
      }
    } catch (SocketException | RuntimeException e) {
      // no interface list on this platform: the report simply has none
    }
    return out;
  }

  static boolean likelyVpn(String name, String display, boolean pointToPoint) {
    String n = (name + " " + (display == null ? "" : display)).toLowerCase(Locale.ROOT);
    return pointToPoint
        || n.matches(
            ".*\\b(tun|tap|wg|ppp|utun|ipsec|vpn|wireguard"
                + "|anyconnect|fortinet|globalprotect|zerotier|tailscale)\\w*.*");
  }
}

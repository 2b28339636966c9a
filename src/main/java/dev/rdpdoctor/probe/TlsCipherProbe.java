package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.TlsCipherEvidence;
import dev.rdpdoctor.evidence.TlsCipherEvidence.GroupResult;
import dev.rdpdoctor.evidence.TlsCipherEvidence.Suite;
import dev.rdpdoctor.evidence.TlsCipherEvidence.VersionSuites;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.evidence.TlsVersionResult;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Enumerates the server's cipher suites per TLS version by elimination, then its key exchange
 * groups one at a time, over the same X.224-negotiated socket a client uses ([MS-RDPBCGR] 5.4.5.1).
 * Each try is a fresh connection through {@link TlsProbe}, so it shares the run's connection slots
 * and deadlines; the whole enumeration is capped in connections and time.
 */
public final class TlsCipherProbe {
  /** Enough for TLS 1.2 + 1.3 on a default OpenSSL server (about 45); more is cut and said. */
  public static final int MAX_CONNECTIONS = 60;

  /** Wall-time cap for the whole enumeration. */
  public static final Duration BUDGET = Duration.ofSeconds(60);

  /** Suites per version before we stop: a server accepting more is reported incomplete. */
  static final int MAX_SUITES_PER_VERSION = 40;

  /** EC groups for ECDHE in TLS 1.0-1.2 (RFC 8422), then the TLS 1.3 additions. */
  static final int[] EC_GROUPS = {
    NamedGroup.x25519,
    NamedGroup.secp256r1,
    NamedGroup.secp384r1,
    NamedGroup.secp521r1,
    NamedGroup.x448
  };

  static final int[] TLS13_GROUPS = {
    NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1, NamedGroup.secp521r1,
    NamedGroup.x448, NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096,
    NamedGroup.ffdhe6144, NamedGroup.ffdhe8192, NamedGroup.X25519MLKEM768
  };

  /** IANA name by code point, from BouncyCastle's registry constants. */
  static final Map<Integer, String> NAMES = names();

  private TlsCipherProbe() {}

  /**
   * Runs when asked for, or on its own when the client's handshake ended in handshake_failure or
   * insufficient_security (the usual face of "no shared cipher"), where it is the one probe that
   * can say what the server would accept.
   */
  public static SectionStep step(boolean requested) {
    return (core, address, ctx) -> {
      TlsEvidence tls = core.tls();
      if (tls == null || tls.status() == TlsEvidence.Status.NOT_NEGOTIATED) {
        return null;
      }
      if (!requested && !noSharedCipher(tls)) {
        return null;
      }
      return run(address, core.target().port(), core.target().host(), tls, ctx);
    };
  }

  static boolean noSharedCipher(TlsEvidence tls) {
    return tls.status() == TlsEvidence.Status.ALERT
        && tls.alert() != null
        && (tls.alert().startsWith("handshake_failure")
            || tls.alert().startsWith("insufficient_security"));
  }

  /** Which versions to enumerate: those accepted alone, else all (nothing completed). */
  static List<String> versionsToTry(TlsEvidence tls) {
    List<String> accepted =
        tls.versions().stream()
            .filter(TlsVersionResult::accepted)
            .map(TlsVersionResult::version)
            .toList();
    if (!accepted.isEmpty()) {
      return accepted;
    }
    if (tls.ok() && tls.version() != null) {
      return List.of(tls.version());
    }
    return TlsProbe.VERSIONS;
  }

  public static TlsCipherEvidence run(
      InetAddress address, int port, String typedHost, TlsEvidence tls, ProbeContext ctx) {
    Stopwatch t0 = ctx.stopwatch();
    Budget budget = new Budget(Deadline.in(BUDGET), new AtomicInteger());
    String where = address.getHostAddress() + ":" + port;
    Env env = new Env(address, port, typedHost, tls.requestedProtocols(), ctx, budget, where);
    List<String> notes = Collections.synchronizedList(new ArrayList<>());
    List<String> versions = versionsToTry(tls);

    List<Future<VersionSuites>> futures = new ArrayList<>();
    for (String v : versions) {
      futures.add(Threads.submit(() -> eliminate(env, v, notes)));
    }
    List<VersionSuites> results = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      VersionSuites r = await(futures.get(i));
      results.add(
          r != null
              ? r
              : new VersionSuites(versions.get(i), List.of(), null, "probe did not finish"));
    }
    List<GroupResult> groups = groups(env, results, notes);
    boolean complete = !budget.cut();
    if (!complete) {
      notes.add(
          "cut short: "
              + budget.used.get()
              + " connections of at most "
              + MAX_CONNECTIONS
              + " in "
              + BUDGET.toSeconds()
              + " s");
    }
    return new TlsCipherEvidence(
        where,
        results,
        groups,
        Math.min(budget.used.get(), MAX_CONNECTIONS),
        MAX_CONNECTIONS,
        BUDGET.toMillis(),
        complete,
        List.copyOf(notes),
        t0.millis());
  }

  private record Env(
      InetAddress address,
      int port,
      String host,
      int requested,
      ProbeContext ctx,
      Budget budget,
      String where) {
    TlsProbe.Handshake shake(ProtocolVersion v, int[] suites, int[] groups, String what) {
      return TlsProbe.handshake(
          address,
          port,
          host,
          requested,
          ctx,
          new TlsProbe.Offer(new ProtocolVersion[] {v}, suites, groups),
          where + " " + TlsNames.version(v) + " " + what);
    }
  }

  /** Connection count and wall time shared by all versions. */
  private record Budget(Deadline deadline, AtomicInteger used) {
    boolean take() {
      if (deadline.expired()) {
        used.updateAndGet(u -> Math.max(u, MAX_CONNECTIONS + 1));
        return false;
      }
      return used.incrementAndGet() <= MAX_CONNECTIONS;
    }

    boolean cut() {
      return used.get() > MAX_CONNECTIONS;
    }
  }

  /** Offer everything left; what the server picks is accepted; repeat until it refuses. */
  private static VersionSuites eliminate(Env env, String versionName, List<String> notes) {
    ProtocolVersion v = protocol(versionName);
    List<Integer> left = new ArrayList<>();
    for (int s : offerable(v)) {
      left.add(s);
    }
    List<Suite> accepted = new ArrayList<>();
    String ended = null;
    while (!left.isEmpty() && accepted.size() < MAX_SUITES_PER_VERSION) {
      if (!env.budget().take()) {
        ended = "connection or time budget used up";
        break;
      }
      TlsProbe.Handshake h = env.shake(v, toArray(left), null, "suites");
      int chosen = h.suiteId();
      if (chosen < 0 || !versionName.equals(h.version()) || !left.contains(chosen)) {
        ended = describe(h);
        break;
      }
      boolean completed = h.status() == TlsEvidence.Status.OK;
      if (!completed) {
        notes.add(
            versionName
                + " "
                + name(chosen)
                + ": the server picks it, but this client"
                + " cannot finish the handshake ("
                + describe(h)
                + ")");
      }
      accepted.add(new Suite(name(chosen), hex(chosen), completed));
      left.remove(Integer.valueOf(chosen));
    }
    if (ended == null && accepted.size() >= MAX_SUITES_PER_VERSION) {
      ended = "stopped at " + MAX_SUITES_PER_VERSION + " suites";
    }
    return new VersionSuites(versionName, accepted, preference(env, v, accepted), ended);
  }

  /**
   * Offers the accepted suites in reverse: a server that keeps its first pick orders by its own
   * preference, one that takes our new first follows the client's. One connection.
   */
  private static Boolean preference(Env env, ProtocolVersion v, List<Suite> accepted) {
    if (accepted.size() < 2 || !env.budget().take()) {
      return null;
    }
    int[] reversed = new int[accepted.size()];
    for (int i = 0; i < reversed.length; i++) {
      reversed[i] = Integer.decode(accepted.get(accepted.size() - 1 - i).id());
    }
    int chosen = env.shake(v, reversed, null, "order").suiteId();
    if (chosen == reversed[reversed.length - 1]) {
      return true;
    }
    return chosen == reversed[0] ? Boolean.FALSE : null;
  }

  /** One group at a time: for TLS 1.3, and for the newest older version with ECDHE. */
  private static List<GroupResult> groups(
      Env env, List<VersionSuites> results, List<String> notes) {
    BcTlsCrypto crypto = new InspectingCrypto();
    List<GroupResult> out = new ArrayList<>();
    List<Future<GroupResult>> futures = new ArrayList<>();
    List<String[]> labels = new ArrayList<>();
    VersionSuites ecdhe = null;
    for (VersionSuites r : results) {
      if (r.version().equals("TLSv1.3") && !r.accepted().isEmpty()) {
        int[] suites = ids(r.accepted());
        for (int g : TLS13_GROUPS) {
          if (crypto.hasNamedGroup(g)) {
            futures.add(Threads.submit(() -> group(env, r.version(), suites, g)));
            labels.add(new String[] {r.version(), groupName(g), hex(g)});
          }
        }
      } else if (r.accepted().stream().anyMatch(s -> s.name().contains("_ECDHE_"))) {
        ecdhe = r;
      }
    }
    if (ecdhe != null) {
      VersionSuites r = ecdhe;
      int[] suites = ids(r.accepted().stream().filter(s -> s.name().contains("_ECDHE_")).toList());
      for (int g : EC_GROUPS) {
        futures.add(Threads.submit(() -> group(env, r.version(), suites, g)));
        labels.add(new String[] {r.version(), groupName(g), hex(g)});
      }
    }
    for (int i = 0; i < futures.size(); i++) {
      GroupResult g = await(futures.get(i));
      String[] l = labels.get(i);
      out.add(g != null ? g : new GroupResult(l[0], l[1], l[2], false, "probe did not finish"));
    }
    if (out.stream().anyMatch(g -> g.detail() != null && g.detail().startsWith("not tried"))) {
      notes.add("some groups were not tried: connection or time budget used up");
    }
    return out;
  }

  private static GroupResult group(Env env, String versionName, int[] suites, int g) {
    if (!env.budget().take()) {
      return new GroupResult(versionName, groupName(g), hex(g), false, "not tried: budget used up");
    }
    TlsProbe.Handshake h =
        env.shake(protocol(versionName), suites, new int[] {g}, "group " + groupName(g));
    boolean ok = h.status() == TlsEvidence.Status.OK && versionName.equals(h.version());
    return new GroupResult(versionName, groupName(g), hex(g), ok, ok ? null : describe(h));
  }

  private static String describe(TlsProbe.Handshake h) {
    return switch (h.status()) {
      case ALERT -> h.alert();
      case OK -> "the server answered with " + h.version();
      default ->
          h.status().name().toLowerCase(Locale.ROOT) + (h.error() == null ? "" : ": " + h.error());
    };
  }

  /**
   * Every registered suite valid for the version, except signalling values and suites that need a
   * secret shared beforehand (PSK, SRP, Kerberos, password) which no RDP client has. Suites
   * BouncyCastle cannot complete (RC4, export, IDEA ...) are offered too: the server's choice shows
   * in its ServerHello before anything needs to be computed.
   */
  static int[] offerable(ProtocolVersion v) {
    List<Integer> out = new ArrayList<>();
    for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
      String n = e.getValue();
      int s = e.getKey();
      if (n.contains("SCSV")
          || n.contains("PSK")
          || n.contains("SRP")
          || n.contains("KRB5")
          || n.contains("ECCPWD")
          || n.contains("GOST")
          || s == 0) {
        continue;
      }
      boolean tls13 =
          TlsUtils.isValidCipherSuiteForVersion(s, ProtocolVersion.TLSv13)
              && !TlsUtils.isValidCipherSuiteForVersion(s, ProtocolVersion.TLSv12);
      if (v.equals(ProtocolVersion.TLSv13)
          ? tls13
          : !tls13 && TlsUtils.isValidCipherSuiteForVersion(s, v)) {
        out.add(s);
      }
    }
    return toArray(out);
  }

  private static Map<Integer, String> names() {
    Map<Integer, String> out = new LinkedHashMap<>();
    for (Field f : CipherSuite.class.getFields()) {
      if (f.getType() == int.class
          && Modifier.isStatic(f.getModifiers())
          && f.getName().startsWith("TLS_")
          && !f.getName().contains("DRAFT")) {
        try {
          out.putIfAbsent(f.getInt(null), f.getName());
        } catch (IllegalAccessException e) {
          // public constants; nothing to skip in practice
        }
      }
    }
    return Collections.unmodifiableMap(out);
  }

  public static String name(int suite) {
    String n = NAMES.get(suite);
    return n != null ? n : hex(suite);
  }

  static String groupName(int g) {
    String n = NamedGroup.getName(g);
    return n != null ? n : hex(g);
  }

  static String hex(int v) {
    return String.format(Locale.ROOT, "0x%04X", v);
  }

  static ProtocolVersion protocol(String name) {
    return switch (name) {
      case "TLSv1.0" -> ProtocolVersion.TLSv10;
      case "TLSv1.1" -> ProtocolVersion.TLSv11;
      case "TLSv1.2" -> ProtocolVersion.TLSv12;
      case "TLSv1.3" -> ProtocolVersion.TLSv13;
      default -> throw new IllegalArgumentException("not a TLS version: " + name);
    };
  }

  private static int[] ids(List<Suite> suites) {
    return suites.stream().mapToInt(s -> Integer.decode(s.id())).toArray();
  }

  private static int[] toArray(List<Integer> l) {
    return l.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Each try has its own deadline; this bound only guards against one that does not. */
  private static <T> T await(Future<T> f) {
    return Threads.await(f, BUDGET.toMillis() + 30_000);
  }
}

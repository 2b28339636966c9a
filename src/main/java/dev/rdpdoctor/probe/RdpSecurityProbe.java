package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.RdpSecurityEvidence;
import dev.rdpdoctor.evidence.RdpSecurityEvidence.Method;
import dev.rdpdoctor.probe.connect.Ending;
import dev.rdpdoctor.probe.connect.Frame;
import dev.rdpdoctor.probe.connect.Next;
import dev.rdpdoctor.probe.connect.Out;
import dev.rdpdoctor.probe.connect.Sequence;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsConnectInitial;
import dev.rdpdoctor.wire.McsConnectResponse;
import dev.rdpdoctor.wire.McsDisconnectProviderUltimatum;
import dev.rdpdoctor.wire.ServerCertificate;
import dev.rdpdoctor.wire.security.RdpSecurity;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Standard RDP Security: for a server that lets a client choose PROTOCOL_RDP, one MCS Connect
 * Initial per encryption method, each alone on its own connection (as nmap's rdp-enum-encryption
 * does), to learn which methods it accepts, its encryption level, its RDP version, its proprietary
 * certificate and whether it offers RDP-UDP (SC_MULTITRANSPORT). Never throws for a network
 * outcome.
 */
public final class RdpSecurityProbe {
  /** The order nmap uses, plus "none" (a server at encryption level none answers method 0). */
  static final int[] METHODS = {
    McsConnectInitial.ENCRYPTION_METHOD_40BIT, McsConnectInitial.ENCRYPTION_METHOD_56BIT,
    McsConnectInitial.ENCRYPTION_METHOD_128BIT, McsConnectInitial.ENCRYPTION_METHOD_FIPS,
    McsConnectInitial.ENCRYPTION_METHOD_NONE
  };

  /** What a Windows client offers for UDP: reliable and lossy FEC, UDP preferred. */
  static final int UDP_OFFER =
      McsConnectInitial.TRANSPORTTYPE_UDPFECR
          | McsConnectInitial.TRANSPORTTYPE_UDPFECL
          | McsConnectInitial.TRANSPORTTYPE_UDP_PREFERRED;

  private RdpSecurityProbe() {}

  /** Runs when a negotiation let the server choose PROTOCOL_RDP (or a legacy confirm). */
  public static SectionStep step() {
    return (core, address, ctx) -> {
      if (core.negotiation() == null || !allowsRdp(core.negotiation().attempts())) {
        return null;
      }
      return run(address, core.target().port(), ctx);
    };
  }

  static boolean allowsRdp(List<NegotiationAttempt> attempts) {
    return attempts.stream()
        .anyMatch(
            a ->
                a.requestedProtocols() == SecurityProtocol.PROTOCOL_RDP
                    && (a.outcome() == NegotiationAttempt.Outcome.NO_NEGOTIATION_DATA
                        || a.outcome() == NegotiationAttempt.Outcome.RESPONSE
                            && a.selectedProtocol() != null
                            && a.selectedProtocol() == SecurityProtocol.PROTOCOL_RDP));
  }

  public static RdpSecurityEvidence run(InetAddress address, int port, ProbeContext ctx) {
    String where = address.getHostAddress() + ":" + port;
    Span span = ctx.span("rdp_security", where);
    Stopwatch t0 = ctx.stopwatch();
    List<Future<Attempt>> futures = new ArrayList<>();
    for (int m : METHODS) {
      futures.add(Threads.submit(() -> attempt(address, port, m, ctx)));
    }
    List<Attempt> done = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      Attempt a = await(futures.get(i), ctx);
      done.add(
          a != null
              ? a
              : new Attempt(
                  new Method(
                      RdpSecurity.methodName(METHODS[i]),
                      METHODS[i],
                      false,
                      null,
                      null,
                      "error",
                      "the attempt did not finish",
                      0),
                  null));
    }
    RdpSecurityEvidence e = evidence(where, done, t0.millis());
    span.end(
        e.status().name()
            + " accepted "
            + e.methods().stream().filter(Method::accepted).map(Method::name).toList(),
        e.millis());
    return e;
  }

  record Attempt(Method method, McsConnectResponse response) {}

  static RdpSecurityEvidence evidence(String where, List<Attempt> done, long millis) {
    List<Method> methods = done.stream().map(Attempt::method).toList();
    McsConnectResponse first =
        done.stream()
            .filter(a -> a.method().accepted())
            .map(Attempt::response)
            .findFirst()
            .orElse(
                done.stream()
                    .map(Attempt::response)
                    .filter(r -> r != null && r.core() != null)
                    .findFirst()
                    .orElse(null));
    if (first == null) {
      String why = methods.stream().map(m -> m.name() + ": " + m.outcome()).toList().toString();
      boolean refused =
          methods.stream()
              .allMatch(
                  m ->
                      m.outcome().equals("refused")
                          || m.outcome().equals("closed")
                          || m.outcome().equals("reset"));
      return new RdpSecurityEvidence(
          where,
          refused ? RdpSecurityEvidence.Status.REFUSED : RdpSecurityEvidence.Status.ERROR,
          methods,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          List.of(),
          null,
          "no Connect Response: " + why,
          millis);
    }
    Integer level = first.security() == null ? null : first.security().encryptionLevel();
    String version = first.core() == null ? null : String.format("0x%08x", first.core().version());
    RdpSecurityEvidence.Certificate cert = null;
    if (first.security() != null && first.security().certificate() != null) {
      ServerCertificate c = first.security().certificate();
      cert =
          new RdpSecurityEvidence.Certificate(
              c.kind(),
              c.temporary(),
              c.modulusBits(),
              c.exponent(),
              c.x509().isEmpty() ? null : c.x509().size(),
              c.signature() == null ? null : c.signature().valid(),
              c.signature() == null ? null : c.signature().detail());
    }
    Integer mt = first.multitransportFlags();
    return new RdpSecurityEvidence(
        where,
        RdpSecurityEvidence.Status.OK,
        methods,
        level,
        level == null ? null : RdpSecurity.levelName(level),
        version,
        first.core() == null ? null : versionName(first.core().version()),
        first.core() == null || first.core().clientRequestedProtocols() == null
            ? null
            : SecurityProtocol.names(first.core().clientRequestedProtocols()),
        first.core() == null ? null : first.core().earlyCapabilityFlags(),
        cert,
        mt,
        mt == null ? List.of() : transportNames(mt),
        mt != null && (mt & UDP_OFFER & ~McsConnectInitial.TRANSPORTTYPE_UDP_PREFERRED) != 0,
        null,
        millis);
  }

  private static Attempt attempt(InetAddress address, int port, int method, ProbeContext ctx) {
    String name = RdpSecurity.methodName(method);
    Stopwatch t0 = ctx.stopwatch();
    Connection.Opened o =
        Connection.open(
            address,
            port,
            null,
            SecurityProtocol.PROTOCOL_RDP,
            "mcs " + name,
            ctx,
            TlsProbe.Offer.all(),
            t0,
            p -> !SecurityProtocol.usesTls(p),
            true);
    if (o.connection() == null) {
      NegotiationAttempt a = o.attempt();
      String why =
          o.negotiated()
              ? "the server selected " + SecurityProtocol.names(o.selected())
              : ProbeEngine.describe(a) + (a.detail() == null ? "" : ": " + a.detail());
      return failed(name, method, "not-negotiated", why, t0);
    }
    try (Connection c = o.connection()) {
      return c.run(new ConnectInitialOnly(name, method, t0), "mcs " + name);
    }
  }

  /** The Standard RDP Security phase cut to one exchange: a Connect Initial and its answer. */
  private static final class ConnectInitialOnly implements Sequence<Attempt> {
    private final String name;
    private final int method;
    private final Stopwatch t0;

    ConnectInitialOnly(String name, int method, Stopwatch t0) {
      this.name = name;
      this.method = method;
      this.t0 = t0;
    }

    @Override
    public Next<Attempt> start() {
      McsConnectInitial ci =
          new McsConnectInitial(
              method,
              SecurityProtocol.PROTOCOL_RDP,
              McsConnectInitial.RNS_UD_CS_SUPPORT_ERRINFO_PDU,
              UDP_OFFER);
      return Next.read(
          Frame.TPKT,
          List.of(Out.Send.of("MCS Connect Initial encryptionMethods=" + name, ci.encode())));
    }

    @Override
    public Out.Note view(byte[] frame) {
      return new Out.Note("MCS Connect Response", frame);
    }

    @Override
    public Next<Attempt> received(byte[] pdu) {
      try {
        if (McsDisconnectProviderUltimatum.is(pdu)) {
          McsDisconnectProviderUltimatum d = McsDisconnectProviderUltimatum.decode(pdu);
          return Next.end(
              new Attempt(
                  new Method(
                      name,
                      method,
                      false,
                      null,
                      null,
                      "refused",
                      "MCS Disconnect Provider Ultimatum (" + d.reasonName() + ")",
                      t0.millis()),
                  null),
              false,
              List.of());
        }
        McsConnectResponse r = McsConnectResponse.decode(pdu);
        Integer selected = r.security() == null ? null : r.security().encryptionMethod();
        Integer level = r.security() == null ? null : r.security().encryptionLevel();
        boolean ok = r.result() == 0 && selected != null && selected == method;
        String outcome = r.result() != 0 ? "refused" : ok ? "accepted" : "other-method";
        String detail =
            r.result() != 0
                ? "MCS result " + r.resultName()
                : ok
                    ? null
                    : "the server chose "
                        + (selected == null ? "no method" : RdpSecurity.methodName(selected))
                        + " instead";
        return Next.end(
            new Attempt(
                new Method(name, method, ok, selected, level, outcome, detail, t0.millis()), r),
            true,
            List.of());
      } catch (MalformedPduException e) {
        return ended(Ending.MALFORMED, e.getMessage());
      }
    }

    @Override
    public Next<Attempt> ended(Ending how, String detail) {
      Attempt a =
          switch (how) {
            case MALFORMED -> failed(name, method, "malformed", detail, t0);
            // xrdp closes without a word when it does not support the method offered
            case CLOSED ->
                failed(
                    name,
                    method,
                    "closed",
                    "the server closed the connection after" + " the Connect Initial",
                    t0);
            case TIMEOUT ->
                failed(name, method, "timeout", "no Connect Response before the" + " deadline", t0);
            case RESET -> failed(name, method, "reset", detail, t0);
            case FAILED -> failed(name, method, "error", detail, t0);
          };
      return Next.end(a, false, List.of());
    }
  }

  private static Attempt failed(
      String name, int method, String outcome, String detail, Stopwatch t0) {
    return new Attempt(
        new Method(name, method, false, null, null, outcome, detail, t0.millis()), null);
  }

  /** SC_CORE version ([MS-RDPBCGR] 2.2.1.4.2). */
  public static String versionName(int v) {
    return switch (v) {
      case 0x00080001 -> "RDP 4.0";
      case 0x00080004 -> "RDP 5.0-8.1";
      case 0x00080005 -> "RDP 10.0";
      case 0x00080006 -> "RDP 10.1";
      case 0x00080007 -> "RDP 10.2";
      case 0x00080008 -> "RDP 10.3";
      case 0x00080009 -> "RDP 10.4";
      case 0x0008000A -> "RDP 10.5";
      case 0x0008000B -> "RDP 10.6";
      case 0x0008000C -> "RDP 10.7";
      case 0x0008000D -> "RDP 10.8";
      case 0x0008000E -> "RDP 10.9";
      case 0x0008000F -> "RDP 10.10";
      case 0x00080010 -> "RDP 10.11";
      case 0x00080011 -> "RDP 10.12";
      default -> String.format("unknown(0x%08x)", v);
    };
  }

  static List<String> transportNames(int flags) {
    List<String> out = new ArrayList<>();
    if ((flags & 0x01) != 0) {
      out.add("TRANSPORTTYPE_UDPFECR");
    }
    if ((flags & 0x04) != 0) {
      out.add("TRANSPORTTYPE_UDPFECL");
    }
    if ((flags & 0x100) != 0) {
      out.add("TRANSPORTTYPE_UDP_PREFERRED");
    }
    if ((flags & 0x200) != 0) {
      out.add("SOFTSYNC_TCP_TO_UDP");
    }
    return out;
  }

  private static <T> T await(Future<T> f, ProbeContext ctx) {
    return Threads.await(f, ctx.probeTimeout().toMillis() * 3 + 2_000);
  }
}

package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.RdpSecurityEvidence;
import dev.rdpdoctor.evidence.RdpSecurityEvidence.Method;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsConnectInitial;
import dev.rdpdoctor.wire.McsConnectResponse;
import dev.rdpdoctor.wire.McsDisconnectProviderUltimatum;
import dev.rdpdoctor.wire.ServerCertificate;
import dev.rdpdoctor.wire.Tpkt;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Standard RDP Security: for a server that lets a client choose PROTOCOL_RDP, one MCS Connect
 * Initial per encryption method, each alone on its own connection (as nmap's
 * rdp-enum-encryption does), to learn which methods it accepts, its encryption level, its RDP
 * version, its proprietary certificate and whether it offers RDP-UDP (SC_MULTITRANSPORT).
 * Never throws for a network outcome.
 */
public final class RdpSecurityProbe {
  /** The order nmap uses, plus "none" (a server at encryption level none answers method 0). */
  static final int[] METHODS = {
    McsConnectInitial.ENCRYPTION_METHOD_40BIT, McsConnectInitial.ENCRYPTION_METHOD_56BIT,
    McsConnectInitial.ENCRYPTION_METHOD_128BIT, McsConnectInitial.ENCRYPTION_METHOD_FIPS,
    McsConnectInitial.ENCRYPTION_METHOD_NONE
  };
  /** A Connect Response with an X.509 chain is a few KB; nothing sane comes near this. */
  static final int MAX_PDU = 32 * 1024;
  /** What a Windows client offers for UDP: reliable and lossy FEC, UDP preferred. */
  static final int UDP_OFFER = McsConnectInitial.TRANSPORTTYPE_UDPFECR
      | McsConnectInitial.TRANSPORTTYPE_UDPFECL | McsConnectInitial.TRANSPORTTYPE_UDP_PREFERRED;

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
    return attempts.stream().anyMatch(a -> a.requestedProtocols() == SecurityProtocol.PROTOCOL_RDP
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
      done.add(a != null ? a : new Attempt(new Method(methodName(METHODS[i]), METHODS[i], false,
          null, null, "error", "the attempt did not finish", 0), null));
    }
    RdpSecurityEvidence e = evidence(where, done, t0.millis());
    span.end(e.status().name() + " accepted "
        + e.methods().stream().filter(Method::accepted).map(Method::name).toList(), e.millis());
    return e;
  }

  record Attempt(Method method, McsConnectResponse response) {}

  static RdpSecurityEvidence evidence(String where, List<Attempt> done, long millis) {
    List<Method> methods = done.stream().map(Attempt::method).toList();
    McsConnectResponse first = done.stream().filter(a -> a.method().accepted())
        .map(Attempt::response).findFirst()
        .orElse(done.stream().map(Attempt::response).filter(r -> r != null && r.core() != null)
            .findFirst().orElse(null));
    if (first == null) {
      String why = methods.stream().map(m -> m.name() + ": " + m.outcome()).toList().toString();
      boolean refused = methods.stream().allMatch(m -> m.outcome().equals("refused")
          || m.outcome().equals("closed") || m.outcome().equals("reset"));
      return new RdpSecurityEvidence(where, refused ? RdpSecurityEvidence.Status.REFUSED
          : RdpSecurityEvidence.Status.ERROR, methods, null, null, null, null, null, null, null,
          null, List.of(), null, "no Connect Response: " + why, millis);
    }
    Integer level = first.security() == null ? null : first.security().encryptionLevel();
    String version = first.core() == null ? null
        : String.format("0x%08x", first.core().version());
    RdpSecurityEvidence.Certificate cert = null;
    if (first.security() != null && first.security().certificate() != null) {
      ServerCertificate c = first.security().certificate();
      cert = new RdpSecurityEvidence.Certificate(c.kind(), c.temporary(), c.modulusBits(),
          c.exponent(), c.x509().isEmpty() ? null : c.x509().size(),
          c.signature() == null ? null : c.signature().valid(),
          c.signature() == null ? null : c.signature().detail());
    }
    Integer mt = first.multitransportFlags();
    return new RdpSecurityEvidence(where, RdpSecurityEvidence.Status.OK, methods, level,
        level == null ? null : levelName(level), version,
        first.core() == null ? null : versionName(first.core().version()),
        first.core() == null || first.core().clientRequestedProtocols() == null ? null
            : SecurityProtocol.names(first.core().clientRequestedProtocols()),
        first.core() == null ? null : first.core().earlyCapabilityFlags(), cert, mt,
        mt == null ? List.of() : transportNames(mt),
        mt != null && (mt & UDP_OFFER & ~McsConnectInitial.TRANSPORTTYPE_UDP_PREFERRED) != 0,
        null, millis);
  }

  private static Attempt attempt(InetAddress address, int port, int method, ProbeContext ctx) {
    String name = methodName(method);
    Stopwatch t0 = ctx.stopwatch();
    RdpConnector.Negotiated n = RdpConnector.negotiate(address, port, "mcs " + name,
        SecurityProtocol.PROTOCOL_RDP, ctx, true);
    if (n.socket() == null) {
      return new Attempt(new Method(name, method, false, null, null, "not-negotiated",
          ProbeEngine.describe(n.attempt()) + (n.attempt().detail() == null ? ""
              : ": " + n.attempt().detail()), t0.millis()), null);
    }
    ProbeSocket s = n.socket();
    try {
      McsConnectInitial ci = new McsConnectInitial(method, SecurityProtocol.PROTOCOL_RDP,
          McsConnectInitial.RNS_UD_CS_SUPPORT_ERRINFO_PDU, UDP_OFFER);
      s.send("MCS Connect Initial encryptionMethods=" + name, ci.encode());
      byte[] pdu = readPdu(s, MAX_PDU);
      if (isDpum(pdu)) {
        McsDisconnectProviderUltimatum d = McsDisconnectProviderUltimatum.decode(pdu);
        return new Attempt(new Method(name, method, false, null, null, "refused",
            "MCS Disconnect Provider Ultimatum (" + d.reasonName() + ")", t0.millis()),
            null);
      }
      McsConnectResponse r = McsConnectResponse.decode(pdu);
      Integer selected = r.security() == null ? null : r.security().encryptionMethod();
      Integer level = r.security() == null ? null : r.security().encryptionLevel();
      boolean ok = r.result() == 0 && selected != null && selected == method;
      String outcome = r.result() != 0 ? "refused" : ok ? "accepted" : "other-method";
      String detail = r.result() != 0 ? "MCS result " + r.resultName()
          : ok ? null : "the server chose " + (selected == null ? "no method"
              : methodName(selected)) + " instead";
      s.send("MCS Disconnect Provider Ultimatum", new McsDisconnectProviderUltimatum(3)
          .encode());
      return new Attempt(new Method(name, method, ok, selected, level, outcome, detail,
          t0.millis()), r);
    } catch (MalformedPduException e) {
      return failed(name, method, "malformed", e.getMessage(), t0);
    } catch (EOFException e) {
      // xrdp closes without a word when it does not support the method offered
      return failed(name, method, "closed", "the server closed the connection after the"
          + " Connect Initial", t0);
    } catch (SocketTimeoutException e) {
      return failed(name, method, "timeout", "no Connect Response before the deadline", t0);
    } catch (SocketException e) {
      return failed(name, method, "reset", TcpConnector.message(e), t0);
    } catch (IOException e) {
      return failed(name, method, "error", TcpConnector.message(e), t0);
    } finally {
      s.close();
    }
  }

  private static Attempt failed(String name, int method, String outcome, String detail,
      Stopwatch t0) {
    return new Attempt(new Method(name, method, false, null, null, outcome, detail,
        t0.millis()), null);
  }

  /** One TPKT-framed PDU, its length checked against the cap before the body is read. */
  static byte[] readPdu(ProbeSocket s, int cap) throws IOException, MalformedPduException {
    byte[] header = s.readFully(Tpkt.HEADER_LENGTH);
    Tpkt t = Tpkt.decodeHeader(header);
    if (t.length() > cap) {
      throw new MalformedPduException("TPKT length " + t.length() + " beyond cap " + cap, 2);
    }
    byte[] body = s.readFully(t.length() - Tpkt.HEADER_LENGTH);
    byte[] pdu = new byte[t.length()];
    System.arraycopy(header, 0, pdu, 0, header.length);
    System.arraycopy(body, 0, pdu, header.length, body.length);
    return pdu;
  }

  static boolean isDpum(byte[] pdu) {
    return McsDisconnectProviderUltimatum.isDataTpdu(pdu) && pdu.length == 9
        && ((pdu[7] & 0xFF) >> 2) == McsDisconnectProviderUltimatum.DOMAIN_MCSPDU_DPUM;
  }

  public static String methodName(int m) {
    return switch (m) {
      case McsConnectInitial.ENCRYPTION_METHOD_NONE -> "none";
      case McsConnectInitial.ENCRYPTION_METHOD_40BIT -> "40-bit RC4";
      case McsConnectInitial.ENCRYPTION_METHOD_56BIT -> "56-bit RC4";
      case McsConnectInitial.ENCRYPTION_METHOD_128BIT -> "128-bit RC4";
      case McsConnectInitial.ENCRYPTION_METHOD_FIPS -> "FIPS 140-1";
      default -> String.format("method(0x%x)", m);
    };
  }

  /** encryptionLevel names as nmap prints them ([MS-RDPBCGR] 2.2.1.4.3). */
  public static String levelName(int level) {
    return switch (level) {
      case 0 -> "None";
      case 1 -> "Low";
      case 2 -> "Client Compatible";
      case 3 -> "High";
      case 4 -> "FIPS Compliant";
      default -> "level(" + level + ")";
    };
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

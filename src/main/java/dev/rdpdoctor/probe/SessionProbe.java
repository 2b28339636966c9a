package dev.rdpdoctor.probe;

import dev.rdpdoctor.codes.DisconnectReason;
import dev.rdpdoctor.codes.ErrorInfo;
import dev.rdpdoctor.codes.OpenCode;
import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.NlaEvidence;
import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.SessionEvidence.Status;
import dev.rdpdoctor.evidence.SessionEvidence.Step;
import dev.rdpdoctor.evidence.TlsEvidence;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsConnectInitial;
import dev.rdpdoctor.wire.McsConnectResponse;
import dev.rdpdoctor.wire.McsDisconnectProviderUltimatum;
import dev.rdpdoctor.wire.Tpkt;
import dev.rdpdoctor.wire.ServerCertificate;
import dev.rdpdoctor.wire.session.ClientInfoPdu;
import dev.rdpdoctor.wire.session.ClientNewLicenseRequest;
import dev.rdpdoctor.wire.session.DemandActivePdu;
import dev.rdpdoctor.wire.session.LicensingPdu;
import dev.rdpdoctor.wire.session.McsAttachUserConfirm;
import dev.rdpdoctor.wire.session.McsAttachUserRequest;
import dev.rdpdoctor.wire.session.McsChannelJoinConfirm;
import dev.rdpdoctor.wire.session.McsChannelJoinRequest;
import dev.rdpdoctor.wire.session.McsErectDomainRequest;
import dev.rdpdoctor.wire.session.McsSendData;
import dev.rdpdoctor.wire.session.SaveSessionInfoPdu;
import dev.rdpdoctor.wire.session.ServerRedirectionPacket;
import dev.rdpdoctor.wire.session.ServerLicenseRequest;
import dev.rdpdoctor.wire.session.SetErrorInfoPdu;
import dev.rdpdoctor.wire.session.ShareControlHeader;
import dev.rdpdoctor.wire.security.RdpRsa;
import dev.rdpdoctor.wire.security.RdpSecurity;
import dev.rdpdoctor.wire.security.SecurityExchangePdu;
import dev.rdpdoctor.wire.security.SecurityFlags;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection sequence past security ([MS-RDPBCGR] 1.3.1.1), as the client would run it: after
 * CredSSP with delegated credentials when the user gave an account whose logon test passed, else
 * over TLS when the server offers it, else under Standard RDP Security (5.3: the Security Exchange
 * after the channel joins, then RC4 or FIPS 3DES with MACs). Connect Initial asking for Set Error
 * Info PDUs, Erect Domain, Attach User, the user and I/O channel joins, a Client Info PDU without
 * credentials, then the server's PDUs until it accepts (Demand Active), starts licensing, says why
 * not (Set Error Info) or hangs up. One deadline for the whole sequence, a cap on every PDU, on
 * their count and on the bytes read; a Disconnect Provider Ultimatum to finish. Never throws for a
 * network outcome.
 */
public final class SessionProbe {
  static final String STREAM = "session";
  /** A Demand Active is about 500 bytes; a licensing request with certificates a few KB. */
  static final int MAX_PDU = 32 * 1024;
  /** Server PDUs read after the Client Info before giving up on reaching an end. */
  static final int MAX_SERVER_PDUS = 32;
  /** [MS-RDPELE] 2.2.2.2: the licensing premaster secret is 48 bytes. */
  static final int PREMASTER_LENGTH = 48;
  static final int MAX_BYTES = 256 * 1024;
  /** What mstsc offers in CS_SECURITY; with TLS the server ignores it. */
  static final int ENCRYPTION_METHODS = McsConnectInitial.ENCRYPTION_METHOD_40BIT
      | McsConnectInitial.ENCRYPTION_METHOD_56BIT | McsConnectInitial.ENCRYPTION_METHOD_128BIT
      | McsConnectInitial.ENCRYPTION_METHOD_FIPS;
  /** The I/O channel when a server leaves SC_NET out ([MS-RDPBCGR] 2.2.1.4.4). */
  static final int DEFAULT_IO_CHANNEL = 1003;

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private SessionProbe() {}

  /** How the sequence is protected: what the client would use with this server. */
  public enum Security {
    /** PROTOCOL_SSL: Enhanced RDP Security, the PDUs travel inside TLS unencrypted. */
    TLS(SecurityProtocol.PROTOCOL_SSL),
    /** PROTOCOL_RDP: Standard RDP Security, RC4 or FIPS 3DES keys from a Security Exchange. */
    STANDARD(SecurityProtocol.PROTOCOL_RDP),
    /**
     * PROTOCOL_HYBRID(_EX): TLS, then CredSSP with the user's credentials delegated, as mstsc
     * does; the offer is mstsc's own (SSL|HYBRID|HYBRID_EX) and the server picks.
     */
    NLA(SecurityProtocol.PROTOCOL_SSL | SecurityProtocol.PROTOCOL_HYBRID
        | SecurityProtocol.PROTOCOL_HYBRID_EX);

    final int protocol;

    Security(int protocol) {
      this.protocol = protocol;
    }
  }

  /**
   * Over TLS when a negotiation got PROTOCOL_SSL selected and the core TLS handshake worked;
   * under Standard RDP Security when the server offers no TLS but lets a client choose
   * PROTOCOL_RDP (or is a legacy server that never negotiates). A server whose TLS failed gets
   * no fallback: the client would not fall back either, and the TLS findings say why.
   */
  public static SectionStep step() {
    return step(null);
  }

  /**
   * As {@link #step()}, and with credentials whose CredSSP logon test was ACCEPTED (the
   * {@code nla} section before this step), the sequence a user with NLA gets: TLS, CredSSP with
   * the credentials delegated, then MCS on the same stream. It takes precedence, since it is
   * the client's real path and the one where the server's post-logon answers (Set Error Info,
   * logon errors) show. A password the logon test did not accept is never tried again.
   */
  public static SectionStep step(Credentials creds) {
    return (core, address, ctx) -> {
      if (core.negotiation() == null) {
        return null;
      }
      boolean logonAccepted = creds != null && core.section(NlaEvidence.class)
          .map(n -> n.logon() != null && n.logon().outcome() == NlaEvidence.Outcome.ACCEPTED)
          .orElse(false);
      if (logonAccepted) {
        return run(address, core.target().port(), core.target().host(), Security.NLA, creds,
            ctx);
      }
      List<NegotiationAttempt> attempts = core.negotiation().attempts();
      boolean ssl = attempts.stream()
          .anyMatch(a -> a.outcome() == NegotiationAttempt.Outcome.RESPONSE
              && a.selectedProtocol() != null
              && a.selectedProtocol() == SecurityProtocol.PROTOCOL_SSL);
      boolean tlsOk = core.tls() == null || core.tls().status() == TlsEvidence.Status.OK;
      if (ssl) {
        return tlsOk ? run(address, core.target().port(), core.target().host(), Security.TLS,
            ctx) : null;
      }
      boolean offersTls = attempts.stream().anyMatch(a -> a.selectedProtocol() != null
          && SecurityProtocol.usesTls(a.selectedProtocol()));
      if (!offersTls && RdpSecurityProbe.allowsRdp(attempts)) {
        return run(address, core.target().port(), core.target().host(), Security.STANDARD,
            ctx);
      }
      return null;
    };
  }

  public static SessionEvidence run(InetAddress address, int port, String typedHost,
      ProbeContext ctx) {
    return run(address, port, typedHost, Security.TLS, ctx);
  }

  public static SessionEvidence run(InetAddress address, int port, String typedHost,
      Security security, ProbeContext ctx) {
    return run(address, port, typedHost, security, null, ctx);
  }

  /** @param creds for {@link Security#NLA} only; never stored in the evidence */
  public static SessionEvidence run(InetAddress address, int port, String typedHost,
      Security security, Credentials creds, ProbeContext ctx) {
    if ((security == Security.NLA) != (creds != null)) {
      throw new IllegalArgumentException("credentials go with the NLA sequence only");
    }
    String where = address.getHostAddress() + ":" + port;
    Span span = ctx.span(SessionEvidence.KEY, where);
    Run run = new Run(where, security, creds, ctx);
    SessionEvidence e = run.go(address, port, typedHost);
    span.end(e.status().name() + " after "
        + e.reached(), e.millis());
    return e;
  }

  /** The mstsc "error code / extended error code" pair for a server-side errorInfo. */
  public static String mstscCodes(int errorInfo) {
    return DisconnectReason.AT_CLIENT_WINSOCK_FDCLOSE.hex() + " / extended "
        + OpenCode.hex(errorInfo);
  }

  /** Where the sequence's PDUs travel: the TLS stream, or the bare socket under Standard. */
  private record Link(InputStream in, OutputStream out) {}

  /** One sequence; keeps the steps and what the server said. */
  private static final class Run {
    private final String where;
    private final Security mode;
    private final Credentials creds;
    /** The protocol the server selected, told back to it in the Connect Initial's CS_CORE. */
    private int selectedProtocol;
    private final ProbeContext ctx;
    private final Stopwatch t0;
    private final List<Step> steps = new ArrayList<>();
    private String reached = "nothing";
    private String current = "X.224";
    private Integer errorInfo;
    private String licensing;
    private String logonError;
    private SessionEvidence.Redirect redirect;
    private String protection;
    private DemandActivePdu demand;
    private int bytesRead;
    private Link link;
    /** Method and level NONE until a Standard RDP Security server's choice replaces it. */
    private RdpSecurity security = RdpSecurity.establish(0, 0, null, null);
    private int user;
    private int io;
    private boolean licenseAnswered;

    Run(String where, Security mode, Credentials creds, ProbeContext ctx) {
      this.where = where;
      this.mode = mode;
      this.creds = creds;
      this.ctx = ctx;
      this.t0 = ctx.stopwatch();
    }

    SessionEvidence go(InetAddress address, int port, String typedHost) {
      int requested = mode.protocol;
      String asked = SecurityProtocol.names(requested);
      RdpConnector.Negotiated n = RdpConnector.negotiate(address, port, STREAM, requested, ctx,
          true);
      NegotiationAttempt a = n.attempt();
      if (n.socket() == null) {
        return end(Status.NOT_STARTED, "the X.224 negotiation for " + asked + " ended "
            + ProbeEngine.describe(a) + (a.detail() == null ? "" : ": " + a.detail()));
      }
      try (ProbeSocket s = n.socket()) {
        // a legacy confirm without negotiation data means Standard RDP Security
        int selected = a.selectedProtocol() == null ? SecurityProtocol.PROTOCOL_RDP
            : a.selectedProtocol();
        selectedProtocol = selected;
        boolean nla = (selected & (SecurityProtocol.PROTOCOL_HYBRID
            | SecurityProtocol.PROTOCOL_HYBRID_EX)) != 0;
        if (mode == Security.NLA ? !nla : selected != requested) {
          return end(Status.NOT_STARTED, "asked for " + asked + ", the server selected "
              + SecurityProtocol.names(selected));
        }
        if (mode == Security.STANDARD) {
          done("X.224", a.selectedProtocol() == null ? "legacy confirm (no negotiation data)"
              : SecurityProtocol.names(selected));
          protection = "Standard RDP Security";
          // the socket's own output stream traces raw bytes; each PDU is traced by name instead
          return sequence(new Link(s.in(), s.socket().getOutputStream()));
        }
        done("X.224", SecurityProtocol.names(selected));
        current = "TLS";
        TlsProbe.Session tls;
        try {
          tls = TlsProbe.open(s, typedHost);
        } catch (IOException | RuntimeException e) {
          return end(Status.NOT_STARTED, "the TLS handshake failed: " + TcpConnector.message(e));
        }
        protection = "TLS (" + tls.version() + " " + tls.cipherSuite() + ")";
        done("TLS", tls.version() + " " + tls.cipherSuite());
        try {
          if (mode == Security.NLA) {
            current = "CredSSP";
            NlaEvidence.Logon logon = CredSspProbe.logonAndDelegate(s, tls, selected, creds,
                ctx);
            if (logon.outcome() != NlaEvidence.Outcome.ACCEPTED) {
              return end(Status.NOT_STARTED, "CredSSP as " + logon.account() + " ended "
                  + logon.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": "
                  + logon.detail());
            }
            protection += " + CredSSP (NLA) as " + logon.account();
            done("CredSSP", logon.detail());
          }
          return sequence(new Link(tls.in(), tls.out()));
        } finally {
          tls.close();
        }
      } catch (IOException e) {
        return end(Status.CLOSED, "the connection failed (" + TcpConnector.message(e) + ")");
      }
    }

    private SessionEvidence sequence(Link link) {
      this.link = link;
      boolean polite = true;
      try {
        current = "MCS Connect Response";
        // CS_CLUSTER as mstsc sends it: a broker redirects only a client that can follow
        send("MCS Connect Initial", new McsConnectInitial(ENCRYPTION_METHODS, selectedProtocol,
            McsConnectInitial.RNS_UD_CS_SUPPORT_ERRINFO_PDU, 0,
            McsConnectInitial.CLUSTER_REDIRECTION_SUPPORTED_V5).encode());
        byte[] pdu = read("MCS Connect Response");
        if (dpum(pdu)) {
          polite = false;
          return disconnected(pdu);
        }
        McsConnectResponse cr = McsConnectResponse.decode(pdu);
        if (cr.result() != 0) {
          return end(Status.DISCONNECTED, "the server refused the MCS connection: result "
              + cr.resultName());
        }
        io = cr.network() == null ? DEFAULT_IO_CHANNEL : cr.network().ioChannelId();
        ServerCertificate.RsaKey key = null;
        byte[] clientRandom = null;
        if (mode == Security.STANDARD) {
          McsConnectResponse.ServerSecurity sec = cr.security();
          if (sec == null) {
            return end(Status.MALFORMED, "the server chose Standard RDP Security but its Connect"
                + " Response has no SC_SECURITY block");
          }
          String bad = RdpSecurity.check(sec.encryptionMethod(), sec.encryptionLevel());
          if (bad != null) {
            return end(Status.MALFORMED, "the server's SC_SECURITY is not a valid choice: "
                + bad);
          }
          if (sec.encryptionMethod() != RdpSecurity.METHOD_NONE) {
            key = sec.certificate() == null ? null : sec.certificate().rsaKey().orElse(null);
            if (key == null || sec.serverRandom() == null
                || sec.serverRandom().length != RdpSecurity.RANDOM_LENGTH) {
              return end(Status.MALFORMED, "the server chose encryption method "
                  + RdpSecurityProbe.methodName(sec.encryptionMethod()) + " but sent "
                  + (key == null ? "no usable RSA key" : "a server random of "
                      + (sec.serverRandom() == null ? 0 : sec.serverRandom().length)
                      + " bytes"));
            }
            String unusable = unusableKey(key, RdpSecurity.RANDOM_LENGTH);
            if (unusable != null) {
              return end(Status.MALFORMED, "the server's RSA key cannot take the client"
                  + " random: " + unusable);
            }
            clientRandom = new byte[RdpSecurity.RANDOM_LENGTH];
            RANDOM.nextBytes(clientRandom);
          }
          security = RdpSecurity.establish(sec.encryptionMethod(), sec.encryptionLevel(),
              clientRandom, sec.serverRandom());
          protection = describe(security);
        }
        done("MCS Connect Response", "I/O channel " + io
            + (mode == Security.STANDARD ? "; " + protection : ""));

        current = "MCS Attach User Confirm";
        send("MCS Erect Domain Request", new McsErectDomainRequest().encode());
        send("MCS Attach User Request", new McsAttachUserRequest().encode());
        pdu = read("MCS Attach User Confirm");
        if (dpum(pdu)) {
          polite = false;
          return disconnected(pdu);
        }
        McsAttachUserConfirm auc = McsAttachUserConfirm.decode(pdu);
        if (auc.result() != 0 || auc.userId() == null) {
          return end(Status.DISCONNECTED, "the server refused Attach User: result "
              + auc.result());
        }
        user = auc.userId();
        done("MCS Attach User Confirm", "user channel " + user);

        for (int channel : new int[] {user, io}) {
          current = "MCS Channel Join Confirm " + channel;
          send("MCS Channel Join Request " + channel,
              new McsChannelJoinRequest(user, channel).encode());
          pdu = read(current);
          if (dpum(pdu)) {
            polite = false;
            return disconnected(pdu);
          }
          McsChannelJoinConfirm cjc = McsChannelJoinConfirm.decode(pdu);
          if (cjc.result() != 0) {
            return end(Status.DISCONNECTED, "the server refused to join channel " + channel
                + ": result " + cjc.result());
          }
          done(current, null);
        }

        if (key != null) {
          // 5.3.4: the client random goes to the server encrypted to its public key; both
          // sides derive the session keys from the two randoms (5.3.5)
          current = "Security Exchange";
          send("Security Exchange PDU", new McsSendData(false, user, io,
              SecurityExchangePdu.of(clientRandom, key.modulus(), key.exponent()).encode())
              .encode());
          done("Security Exchange", "client random encrypted to the server's RSA-"
              + key.bits() + " key (" + cr.security().certificate().kind() + " certificate)");
        }

        current = "Client Info";
        ClientInfoPdu info = ClientInfoPdu.probe();
        send("Client Info PDU", new McsSendData(false, user, io,
            security.wrap(SecurityFlags.SEC_INFO_PKT, info.infoPacket())).encode());
        done("Client Info", security.encryptsClientToServer()
            ? "no credentials, encrypted (" + security.keyBits() + "-bit)" : "no credentials");

        current = "server answer to Client Info";
        for (int i = 0; i < MAX_SERVER_PDUS; i++) {
          pdu = read("server PDU");
          if (dpum(pdu)) {
            polite = false;
            return disconnected(pdu);
          }
          if (McsSendData.choice(pdu) != McsSendData.INDICATION) {
            done("MCS PDU " + McsSendData.choice(pdu), "ignored");
            continue;
          }
          ServerData d = plain(McsSendData.decode(pdu).data());
          SessionEvidence end = (d.flags() & ServerRedirectionPacket.SEC_REDIRECTION_PKT) != 0
              ? redirected(ServerRedirectionPacket.decode(d.data()))
              : serverPdu(d.data());
          if (end != null) {
            return end;
          }
        }
        return end(Status.MALFORMED, "no Demand Active, error or disconnect within "
            + MAX_SERVER_PDUS + " server PDUs");
      } catch (MalformedPduException e) {
        return end(Status.MALFORMED, "the server's " + current + " did not parse: "
            + e.getMessage());
      } catch (EOFException e) {
        polite = false;
        return closed("the server closed the connection");
      } catch (SocketTimeoutException e) {
        return end(errorInfo != null ? Status.ERROR_INFO : Status.TIMEOUT,
            "no answer before the deadline while waiting for the " + current);
      } catch (SocketException e) {
        polite = false;
        return closed("the connection was reset (" + TcpConnector.message(e) + ")");
      } catch (IOException e) {
        polite = false;
        return closed("the connection failed (" + TcpConnector.message(e) + ")");
      } finally {
        if (polite) {
          goodbye();
        }
      }
    }

    /** A server PDU's data for the dispatcher, and the security header flags it came with. */
    private record ServerData(int flags, byte[] data) {}

    /**
     * A server PDU's userData as the dispatcher reads it: under Standard RDP Security with a
     * security header, the header checked and the body decrypted (MAC verified); a licensing
     * PDU keeps a basic header saying SEC_LICENSE_PKT, as it has over TLS. A Standard Security
     * Server Redirection PDU (SEC_REDIRECTION_PKT) is not traced decrypted: it may carry a
     * logon cookie.
     */
    private ServerData plain(byte[] userData) throws MalformedPduException {
      if (mode != Security.STANDARD || !security.encryptsClientToServer()) {
        return new ServerData(0, userData); // no security header (2.2.8.1.1.2)
      }
      RdpSecurity.Unwrapped u = security.unwrap(userData);
      boolean redirect = (u.flags() & ServerRedirectionPacket.SEC_REDIRECTION_PKT) != 0;
      if (u.decrypted()) {
        if (redirect) {
          ctx.trace().received(STREAM, "Server Redirection PDU, decrypted (" + u.data().length
              + " bytes, contents withheld: it may carry a logon cookie)", new byte[0]);
        } else {
          ctx.trace().received(STREAM, "server PDU, decrypted", u.data());
        }
      }
      if ((u.flags() & SecurityFlags.SEC_LICENSE_PKT) == 0) {
        return new ServerData(u.flags(), u.data());
      }
      byte[] withHeader = new byte[u.data().length + 4];
      int f = u.flags() & ~SecurityFlags.SEC_ENCRYPT;
      withHeader[0] = (byte) f;
      withHeader[1] = (byte) (f >> 8);
      System.arraycopy(u.data(), 0, withHeader, 4, u.data().length);
      return new ServerData(u.flags(), withHeader);
    }

    /**
     * A Connection Broker's Server Redirection: the session lives elsewhere and mstsc reconnects
     * there. LB_NOREDIRECT only hands over routing information, and the sequence goes on.
     */
    private SessionEvidence redirected(ServerRedirectionPacket p) {
      if (p.noRedirect()) {
        done("Server Redirection", "LB_NOREDIRECT: routing information only");
        return null;
      }
      String account = p.userName() == null ? null
          : p.domain() == null || p.domain().isEmpty() ? p.userName()
              : p.domain() + "\\" + p.userName();
      redirect = new SessionEvidence.Redirect(p.target(), p.targetFqdn(), p.targetNetAddress(),
          p.targetNetAddresses(), p.targetNetBiosName(), p.loadBalanceInfo(), account,
          p.passwordCookieLength() != null,
          ServerRedirectionPacket.describeFlags(p.redirFlags()));
      done("Server Redirection", "to " + p.target());
      return end(Status.REDIRECTED, "a Connection Broker redirected the session to "
          + p.target() + (p.targetNetAddress() != null && !p.targetNetAddress().equals(p.target())
              ? " (" + p.targetNetAddress() + ")" : "")
          + ": mstsc reconnects there, and what happens next is that server's");
    }

    /** Handles one server PDU; returns the evidence when it ends the sequence. */
    private SessionEvidence serverPdu(byte[] data) throws MalformedPduException, IOException {
      if (ShareControlHeader.looksLike(data)) {
        ShareControlHeader h = ShareControlHeader.read(new dev.rdpdoctor.wire.ByteReader(data),
            data.length);
        if (h.type() == ShareControlHeader.PDUTYPE_SERVER_REDIR_PKT) {
          return redirected(ServerRedirectionPacket.decodeEnhanced(data));
        }
        if (h.type() == ShareControlHeader.PDUTYPE_DEMANDACTIVEPDU) {
          demand = DemandActivePdu.decode(data);
          done("Demand Active", demand.capabilityTypes().size() + " capability sets");
          return end(Status.DEMAND_ACTIVE, "the server sent its Demand Active PDU: it accepts"
              + " the session");
        }
        Integer t2 = h.pduType2();
        if (t2 != null && t2 == ShareControlHeader.PDUTYPE2_SET_ERROR_INFO_PDU) {
          int ei = SetErrorInfoPdu.decode(data).errorInfo();
          done("Set Error Info", ErrorInfo.valueOf(ei).hex() + " " + ErrorInfo.valueOf(ei)
              .name());
          if (ei != 0) {
            errorInfo = ei;
          }
          return null;
        }
        if (t2 != null && t2 == ShareControlHeader.PDUTYPE2_SAVE_SESSION_INFO) {
          SaveSessionInfoPdu ssi = SaveSessionInfoPdu.decode(data);
          if (ssi.logonErrorType() != null) {
            logonError = SaveSessionInfoPdu.logonErrorName(ssi.logonErrorType())
                + String.format(" (data 0x%X)", ssi.logonErrorData());
          }
          done("Save Session Info", logonError);
          return null;
        }
        done(h.typeName(), "ignored");
        return null;
      }
      if (LicensingPdu.isLicensing(data)) {
        LicensingPdu l = LicensingPdu.decode(data);
        licensing = l.describe();
        done("Licensing", licensing);
        if (l.validClient()) {
          current = "Demand Active";
          return null;
        }
        if (l.msgType() == LicensingPdu.ERROR_ALERT) {
          return null; // the server follows a licensing error with its error info or a close
        }
        if (l.msgType() == LicensingPdu.LICENSE_REQUEST && !licenseAnswered) {
          ServerLicenseRequest req = ServerLicenseRequest.decode(data);
          ServerCertificate cert = req.certificate();
          ServerCertificate.RsaKey licenseKey = cert == null ? null
              : cert.rsaKey().orElse(null);
          if (licenseKey != null) {
            String unusable = unusableKey(licenseKey, PREMASTER_LENGTH);
            if (unusable != null) {
              return end(Status.MALFORMED, "the server's licensing key cannot take the"
                  + " premaster secret: " + unusable);
            }
            // a server that needs no licence (xrdp, admin-mode Windows) answers a New License
            // Request with STATUS_VALID_CLIENT and goes on to Demand Active
            licenseAnswered = true;
            current = "answer to the New License Request";
            byte[] clientRandom = new byte[32];
            byte[] premaster = new byte[PREMASTER_LENGTH];
            RANDOM.nextBytes(clientRandom);
            RANDOM.nextBytes(premaster);
            byte[] enc = RdpRsa.encrypt(premaster, licenseKey.modulus(),
                licenseKey.exponent());
            send("Client New License Request", new McsSendData(false, user, io,
                new ClientNewLicenseRequest(clientRandom, enc).encode()).encode());
            done("New License Request", "RSA-" + licenseKey.bits() + " key exchange");
            return null;
          }
        }
        // a licence exchange needs a licence client; the session got this far, and no further
        return end(Status.LICENSING, "the server started a licensing exchange ("
            + licensing + "); the probe stops there");
      }
      throw new MalformedPduException("neither a share control nor a licensing PDU", 0);
    }

    private void send(String what, byte[] pdu) throws IOException {
      ctx.trace().sent(STREAM, what, pdu);
      link.out().write(pdu);
      link.out().flush();
    }

    /** One TPKT-framed PDU from the link, length checked before the body is read. */
    private byte[] read(String what) throws IOException, MalformedPduException {
      byte[] pdu = readPdu(link.in(), MAX_PDU);
      bytesRead += pdu.length;
      // decoding the PDU a second time is only worth it when a trace will print it
      if (ctx.trace().enabled() && enhancedRedirection(pdu)) {
        ctx.trace().received(STREAM, "Server Redirection PDU (" + pdu.length + " bytes,"
            + " contents withheld: it may carry a logon cookie)", new byte[0]);
      } else {
        ctx.trace().received(STREAM, what, pdu);
      }
      if (bytesRead > MAX_BYTES) {
        throw new MalformedPduException("the server sent more than " + MAX_BYTES + " bytes", 0);
      }
      return pdu;
    }

    private SessionEvidence disconnected(byte[] pdu) throws MalformedPduException {
      McsDisconnectProviderUltimatum d = McsDisconnectProviderUltimatum.decode(pdu);
      done("MCS Disconnect Provider Ultimatum", d.reasonName());
      String why = "the server sent an MCS Disconnect Provider Ultimatum (" + d.reasonName()
          + ") while the client waited for the " + current;
      return end(errorInfo != null ? Status.ERROR_INFO : Status.DISCONNECTED, why);
    }

    private SessionEvidence closed(String how) {
      return end(errorInfo != null ? Status.ERROR_INFO : Status.CLOSED, how
          + " while the client waited for the " + current);
    }

    private void goodbye() {
      try {
        send("MCS Disconnect Provider Ultimatum",
            new McsDisconnectProviderUltimatum(3).encode());
      } catch (IOException ignored) {
        // the evidence is complete; a goodbye the server no longer hears changes nothing
      }
    }

    private void done(String step, String detail) {
      reached = step;
      steps.add(new Step(step, t0.millis(), detail));
    }

    private SessionEvidence end(Status status, String detail) {
      ErrorInfo ei = errorInfo == null ? null : ErrorInfo.valueOf(errorInfo);
      return new SessionEvidence(where, status, protection, reached, List.copyOf(steps),
          errorInfo,
          ei == null ? null : ei.name(), ei == null ? null : ei.description(),
          ei == null ? null : mstscCodes(errorInfo), licensing,
          demand == null ? null : demand.shareId(),
          demand == null ? null : demand.capabilityTypes().size(),
          demand == null ? List.of() : demand.capabilityTypes().stream()
              .map(DemandActivePdu::capabilityName).toList(),
          logonError, redirect, detail, t0.millis());
    }
  }

  /**
   * Whether a PDU read over TLS is an Enhanced Security Server Redirection PDU (share control
   * type 0xA in a Send Data Indication): its trace must not show the logon cookie in it.
   */
  static boolean enhancedRedirection(byte[] pdu) {
    try {
      if (McsSendData.choice(pdu) != McsSendData.INDICATION) {
        return false;
      }
      byte[] d = McsSendData.decode(pdu).data();
      // pduType is little-endian with the type in its low four bits
      return ShareControlHeader.looksLike(d)
          && (d[2] & 0xF) == ShareControlHeader.PDUTYPE_SERVER_REDIR_PKT;
    } catch (MalformedPduException | RuntimeException e) {
      return false; // not a well-formed Send Data Indication: traced as it is
    }
  }

  /**
   * Why a server's RSA key cannot encrypt {@code bytes} of secret (the client random, 5.3.4.1,
   * or a licensing premaster secret), or null: the secret must be below the modulus, and a
   * hostile exponent or modulus must not cost us more than one bounded modPow.
   */
  static String unusableKey(ServerCertificate.RsaKey key, int bytes) {
    if (key.exponent() <= 0) {
      return "public exponent " + key.exponent();
    }
    if (key.bits() > RdpRsa.MAX_MODULUS_BITS) {
      return "a " + key.bits() + "-bit modulus (the cap is " + RdpRsa.MAX_MODULUS_BITS + ")";
    }
    if (key.bits() <= bytes * 8) {
      return "a " + key.bits() + "-bit modulus, too small for " + bytes + " bytes of secret";
    }
    return null;
  }

  /** "Standard RDP Security, 40-bit RC4, level Low (client to server only)". */
  static String describe(RdpSecurity sec) {
    String dir = sec.encryptsServerToClient() ? "both directions"
        : sec.encryptsClientToServer() ? "client to server only" : "nothing encrypted";
    return "Standard RDP Security, " + RdpSecurityProbe.methodName(sec.encryptionMethod())
        + (sec.encryptionMethod() == RdpSecurity.METHOD_FIPS ? " (3DES)" : "") + ", level "
        + RdpSecurityProbe.levelName(sec.encryptionLevel()) + " (" + dir + ")";
  }

  static boolean dpum(byte[] pdu) {
    return McsSendData.choice(pdu) == McsDisconnectProviderUltimatum.DOMAIN_MCSPDU_DPUM;
  }

  /** One TPKT-framed PDU from a stream, its length checked against the cap first. */
  static byte[] readPdu(InputStream in, int cap) throws IOException, MalformedPduException {
    byte[] header = in.readNBytes(Tpkt.HEADER_LENGTH);
    if (header.length < Tpkt.HEADER_LENGTH) {
      throw new EOFException("closed after " + header.length + " bytes of a TPKT header");
    }
    Tpkt t = Tpkt.decodeHeader(header);
    if (t.length() > cap) {
      throw new MalformedPduException("TPKT length " + t.length() + " beyond cap " + cap, 2);
    }
    byte[] body = in.readNBytes(t.length() - Tpkt.HEADER_LENGTH);
    if (body.length < t.length() - Tpkt.HEADER_LENGTH) {
      throw new EOFException("closed inside a PDU");
    }
    byte[] pdu = new byte[t.length()];
    System.arraycopy(header, 0, pdu, 0, header.length);
    System.arraycopy(body, 0, pdu, header.length, body.length);
    return pdu;
  }
}

package dev.rdpdoctor.probe.connect;

import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.SessionEvidence.Status;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsConnectInitial;
import dev.rdpdoctor.wire.McsConnectResponse;
import dev.rdpdoctor.wire.McsDisconnectProviderUltimatum;
import dev.rdpdoctor.wire.ServerCertificate;
import dev.rdpdoctor.wire.security.RdpRsa;
import dev.rdpdoctor.wire.security.RdpSecurity;
import dev.rdpdoctor.wire.security.SecurityExchangePdu;
import dev.rdpdoctor.wire.security.SecurityFlags;
import dev.rdpdoctor.wire.session.ClientInfoPdu;
import dev.rdpdoctor.wire.session.McsAttachUserConfirm;
import dev.rdpdoctor.wire.session.McsAttachUserRequest;
import dev.rdpdoctor.wire.session.McsChannelJoinConfirm;
import dev.rdpdoctor.wire.session.McsChannelJoinRequest;
import dev.rdpdoctor.wire.session.McsErectDomainRequest;
import dev.rdpdoctor.wire.session.McsSendData;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The connection sequence past security ([MS-RDPBCGR] 1.3.1.1), once X.224, TLS and CredSSP (or
 * none of them, under Standard RDP Security) are done: MCS Connect Initial asking for Set Error
 * Info PDUs, Erect Domain, Attach User, the user and I/O channel joins, the Security Exchange under
 * Standard RDP Security (5.3.4), a Client Info PDU without credentials, then the server's PDUs
 * ({@link ServerPdus}) until it accepts, licenses, says why not or hangs up. No I/O: each frame
 * received maps to the PDUs to send and the next read, or the evidence.
 */
public final class SessionSequence implements Sequence<SessionEvidence> {
  /** Server PDUs read after the Client Info before giving up on reaching an end. */
  public static final int MAX_SERVER_PDUS = 32;

  public static final int MAX_BYTES = 256 * 1024;

  /** What mstsc offers in CS_SECURITY; with TLS the server ignores it. */
  static final int ENCRYPTION_METHODS =
      McsConnectInitial.ENCRYPTION_METHOD_40BIT
          | McsConnectInitial.ENCRYPTION_METHOD_56BIT
          | McsConnectInitial.ENCRYPTION_METHOD_128BIT
          | McsConnectInitial.ENCRYPTION_METHOD_FIPS;

  /** The I/O channel when a server leaves SC_NET out ([MS-RDPBCGR] 2.2.1.4.4). */
  static final int DEFAULT_IO_CHANNEL = 1003;

  private enum Phase {
    CONNECT_RESPONSE,
    ATTACH_USER,
    CHANNEL_JOIN,
    SERVER_PDUS
  }

  private final SessionLog log;
  private final boolean standard;
  private final int selectedProtocol;
  private final RandomGenerator random;
  private Phase phase = Phase.CONNECT_RESPONSE;
  private int bytesRead;
  private int user;
  private int io;
  private int[] joins;
  private int joined;
  private ServerCertificate.RsaKey key;
  private String keyKind;
  private byte[] clientRandom;

  /** Method and level NONE until a Standard RDP Security server's choice replaces it. */
  private RdpSecurity security = RdpSecurity.establish(0, 0, null, null);

  private ServerPdus server;

  /**
   * @param standard Standard RDP Security: the Connect Response must choose keys, and PDUs after
   *     the Security Exchange travel encrypted
   * @param selectedProtocol the server's choice, told back to it in CS_CORE
   * @param random the client random and licensing premaster come from here
   */
  public SessionSequence(
      SessionLog log, boolean standard, int selectedProtocol, RandomGenerator random) {
    this.log = log;
    this.standard = standard;
    this.selectedProtocol = selectedProtocol;
    this.random = random;
  }

  @Override
  public Next<SessionEvidence> start() {
    log.waitFor("MCS Connect Response");
    // CS_CLUSTER as mstsc sends it: a broker redirects only a client that can follow
    return Next.read(
        Frame.TPKT,
        List.of(
            Out.Send.of(
                "MCS Connect Initial",
                new McsConnectInitial(
                        ENCRYPTION_METHODS,
                        selectedProtocol,
                        McsConnectInitial.RNS_UD_CS_SUPPORT_ERRINFO_PDU,
                        0,
                        McsConnectInitial.CLUSTER_REDIRECTION_SUPPORTED_V5)
                    .encode())));
  }

  /** A Server Redirection PDU over TLS is traced by its length: it may carry a logon cookie. */
  @Override
  public Out.Note view(byte[] frame) {
    if (phase != Phase.SERVER_PDUS) {
      return new Out.Note(log.waitingFor(), frame);
    }
    return ServerPdus.enhancedRedirection(frame)
        ? new Out.Note(
            "Server Redirection PDU ("
                + frame.length
                + " bytes, contents withheld: it may carry a logon cookie)",
            new byte[0])
        : new Out.Note("server PDU", frame);
  }

  @Override
  public Next<SessionEvidence> ended(Ending how, String detail) {
    // a server that hung up hears no goodbye; one that went quiet or spoke nonsense does
    boolean goodbye = how == Ending.TIMEOUT || how == Ending.MALFORMED;
    return Next.end(log.ended(how, detail), goodbye, List.of());
  }

  @Override
  public Next<SessionEvidence> received(byte[] pdu) {
    bytesRead += pdu.length;
    if (bytesRead > MAX_BYTES) {
      return ended(Ending.MALFORMED, "the server sent more than " + MAX_BYTES + " bytes");
    }
    if (McsDisconnectProviderUltimatum.is(pdu)) {
      return disconnected(pdu);
    }
    List<Out> out = new ArrayList<>();
    try {
      SessionEvidence end =
          switch (phase) {
            case CONNECT_RESPONSE -> connectResponse(pdu, out);
            case ATTACH_USER -> attachUser(pdu, out);
            case CHANNEL_JOIN -> channelJoin(pdu, out);
            case SERVER_PDUS -> server.received(pdu, out);
          };
      return end != null ? Next.end(end, true, out) : Next.read(Frame.TPKT, out);
    } catch (MalformedPduException e) {
      return Next.end(log.ended(Ending.MALFORMED, e.getMessage()), true, out);
    }
  }

  private Next<SessionEvidence> disconnected(byte[] pdu) {
    try {
      McsDisconnectProviderUltimatum d = McsDisconnectProviderUltimatum.decode(pdu);
      String waited = log.waitingFor();
      log.done("MCS Disconnect Provider Ultimatum", d.reasonName());
      return Next.end(
          log.end(
              log.hasErrorInfo() ? Status.ERROR_INFO : Status.DISCONNECTED,
              "the server sent an MCS Disconnect Provider Ultimatum ("
                  + d.reasonName()
                  + ") while the client waited for the "
                  + waited),
          false,
          List.of());
    } catch (MalformedPduException e) {
      return Next.end(log.ended(Ending.MALFORMED, e.getMessage()), false, List.of());
    }
  }

  private SessionEvidence connectResponse(byte[] pdu, List<Out> out) throws MalformedPduException {
    McsConnectResponse cr = McsConnectResponse.decode(pdu);
    if (cr.result() != 0) {
      return log.end(
          Status.DISCONNECTED, "the server refused the MCS connection: result " + cr.resultName());
    }
    io = cr.network() == null ? DEFAULT_IO_CHANNEL : cr.network().ioChannelId();
    if (standard) {
      SessionEvidence bad = standardKeys(cr.security());
      if (bad != null) {
        return bad;
      }
    }
    log.done(
        "MCS Connect Response", "I/O channel " + io + (standard ? "; " + log.protection() : ""));
    phase = Phase.ATTACH_USER;
    log.waitFor("MCS Attach User Confirm");
    out.add(Out.Send.of("MCS Erect Domain Request", new McsErectDomainRequest().encode()));
    out.add(Out.Send.of("MCS Attach User Request", new McsAttachUserRequest().encode()));
    return null;
  }

  /** SC_SECURITY checked, the client random drawn and the session keys derived (5.3.5). */
  private SessionEvidence standardKeys(McsConnectResponse.ServerSecurity sec) {
    if (sec == null) {
      return log.end(
          Status.MALFORMED,
          "the server chose Standard RDP Security but its Connect"
              + " Response has no SC_SECURITY block");
    }
    String bad = RdpSecurity.check(sec.encryptionMethod(), sec.encryptionLevel());
    if (bad != null) {
      return log.end(Status.MALFORMED, "the server's SC_SECURITY is not a valid choice: " + bad);
    }
    if (sec.encryptionMethod() != RdpSecurity.METHOD_NONE) {
      key = sec.certificate() == null ? null : sec.certificate().rsaKey().orElse(null);
      if (key == null
          || sec.serverRandom() == null
          || sec.serverRandom().length != RdpSecurity.RANDOM_LENGTH) {
        return log.end(
            Status.MALFORMED,
            "the server chose encryption method "
                + RdpSecurity.methodName(sec.encryptionMethod())
                + " but sent "
                + (key == null
                    ? "no usable RSA key"
                    : "a server random of "
                        + (sec.serverRandom() == null ? 0 : sec.serverRandom().length)
                        + " bytes"));
      }
      String unusable = unusableKey(key, RdpSecurity.RANDOM_LENGTH);
      if (unusable != null) {
        return log.end(
            Status.MALFORMED, "the server's RSA key cannot take the client random: " + unusable);
      }
      keyKind = sec.certificate().kind();
      clientRandom = new byte[RdpSecurity.RANDOM_LENGTH];
      random.nextBytes(clientRandom);
    }
    security =
        RdpSecurity.establish(
            sec.encryptionMethod(), sec.encryptionLevel(), clientRandom, sec.serverRandom());
    log.protection(describe(security));
    return null;
  }

  private SessionEvidence attachUser(byte[] pdu, List<Out> out) throws MalformedPduException {
    McsAttachUserConfirm auc = McsAttachUserConfirm.decode(pdu);
    if (auc.result() != 0 || auc.userId() == null) {
      return log.end(Status.DISCONNECTED, "the server refused Attach User: result " + auc.result());
    }
    user = auc.userId();
    log.done("MCS Attach User Confirm", "user channel " + user);
    joins = new int[] {user, io};
    phase = Phase.CHANNEL_JOIN;
    join(out);
    return null;
  }

  private void join(List<Out> out) {
    int channel = joins[joined];
    log.waitFor("MCS Channel Join Confirm " + channel);
    out.add(
        Out.Send.of(
            "MCS Channel Join Request " + channel,
            new McsChannelJoinRequest(user, channel).encode()));
  }

  private SessionEvidence channelJoin(byte[] pdu, List<Out> out) throws MalformedPduException {
    McsChannelJoinConfirm cjc = McsChannelJoinConfirm.decode(pdu);
    if (cjc.result() != 0) {
      return log.end(
          Status.DISCONNECTED,
          "the server refused to join channel " + joins[joined] + ": result " + cjc.result());
    }
    log.done(log.waitingFor(), null);
    if (++joined < joins.length) {
      join(out);
      return null;
    }
    if (key != null) {
      // 5.3.4: the client random goes to the server encrypted to its public key; both sides
      // derive the session keys from the two randoms (5.3.5)
      log.waitFor("Security Exchange");
      out.add(
          Out.Send.of(
              "Security Exchange PDU",
              new McsSendData(
                      false,
                      user,
                      io,
                      SecurityExchangePdu.of(clientRandom, key.modulus(), key.exponent()).encode())
                  .encode()));
      log.done(
          "Security Exchange",
          "client random encrypted to the server's RSA-"
              + key.bits()
              + " key ("
              + keyKind
              + " certificate)");
    }
    log.waitFor("Client Info");
    out.add(
        Out.Send.of(
            "Client Info PDU",
            new McsSendData(
                    false,
                    user,
                    io,
                    security.wrap(SecurityFlags.SEC_INFO_PKT, ClientInfoPdu.probe().infoPacket()))
                .encode()));
    log.done(
        "Client Info",
        security.encryptsClientToServer()
            ? "no credentials, encrypted (" + security.keyBits() + "-bit)"
            : "no credentials");
    log.waitFor("server answer to Client Info");
    phase = Phase.SERVER_PDUS;
    server = new ServerPdus(log, standard, security, user, io, random);
    return null;
  }

  /**
   * Why a server's RSA key cannot encrypt {@code bytes} of secret (the client random, 5.3.4.1, or a
   * licensing premaster secret), or null: the secret must be below the modulus, and a hostile
   * exponent or modulus must not cost us more than one bounded modPow.
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
    String dir =
        sec.encryptsServerToClient()
            ? "both directions"
            : sec.encryptsClientToServer() ? "client to server only" : "nothing encrypted";
    return "Standard RDP Security, "
        + RdpSecurity.methodName(sec.encryptionMethod())
        + (sec.encryptionMethod() == RdpSecurity.METHOD_FIPS ? " (3DES)" : "")
        + ", level "
        + RdpSecurity.levelName(sec.encryptionLevel())
        + " ("
        + dir
        + ")";
  }
}

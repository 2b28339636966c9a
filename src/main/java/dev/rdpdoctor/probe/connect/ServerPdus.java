package dev.rdpdoctor.probe.connect;

import dev.rdpdoctor.codes.ErrorInfo;
import dev.rdpdoctor.evidence.SessionEvidence;
import dev.rdpdoctor.evidence.SessionEvidence.Status;
import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.ServerCertificate;
import dev.rdpdoctor.wire.security.RdpRsa;
import dev.rdpdoctor.wire.security.RdpSecurity;
import dev.rdpdoctor.wire.security.SecurityFlags;
import dev.rdpdoctor.wire.session.ClientNewLicenseRequest;
import dev.rdpdoctor.wire.session.DemandActivePdu;
import dev.rdpdoctor.wire.session.LicensingPdu;
import dev.rdpdoctor.wire.session.McsSendData;
import dev.rdpdoctor.wire.session.SaveSessionInfoPdu;
import dev.rdpdoctor.wire.session.ServerLicenseRequest;
import dev.rdpdoctor.wire.session.ServerRedirectionPacket;
import dev.rdpdoctor.wire.session.SetErrorInfoPdu;
import dev.rdpdoctor.wire.session.ShareControlHeader;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The last phase: the server's PDUs after the Client Info, until one ends the sequence (Demand
 * Active, a licensing exchange the probe cannot finish, a redirection) or {@link
 * SessionSequence#MAX_SERVER_PDUS} pass. Set Error Info and Save Session Info are remembered for
 * whatever ends the run. A Send Data Indication may carry several share control PDUs (Windows packs
 * them); each is handled in order.
 */
final class ServerPdus {
  /** [MS-RDPELE] 2.2.2.2: the licensing premaster secret is 48 bytes. */
  static final int PREMASTER_LENGTH = 48;

  /** [MS-RDPELE] 2.2.2.2: the client random of a New License Request. */
  static final int LICENSE_CLIENT_RANDOM = 32;

  private final SessionLog log;
  private final boolean standard;
  private final RdpSecurity security;
  private final int user;
  private final int io;
  private final RandomGenerator random;
  private int count;
  private boolean licenseAnswered;

  ServerPdus(
      SessionLog log,
      boolean standard,
      RdpSecurity security,
      int user,
      int io,
      RandomGenerator random) {
    this.log = log;
    this.standard = standard;
    this.security = security;
    this.user = user;
    this.io = io;
    this.random = random;
  }

  /** One server PDU; the evidence when it ends the sequence, else null. */
  SessionEvidence received(byte[] pdu, List<Out> out) throws MalformedPduException {
    count++;
    SessionEvidence end = dispatch(pdu, out);
    if (end == null && count >= SessionSequence.MAX_SERVER_PDUS) {
      return log.end(
          Status.MALFORMED,
          "no Demand Active, error or disconnect within "
              + SessionSequence.MAX_SERVER_PDUS
              + " server PDUs");
    }
    return end;
  }

  private SessionEvidence dispatch(byte[] pdu, List<Out> out) throws MalformedPduException {
    int choice = McsSendData.choice(pdu);
    if (choice != McsSendData.INDICATION) {
      log.done("MCS PDU " + choice, "ignored");
      return null;
    }
    RdpSecurity.Unwrapped d = plain(McsSendData.decode(pdu).data(), out);
    if ((d.flags() & ServerRedirectionPacket.SEC_REDIRECTION_PKT) != 0) {
      return redirected(ServerRedirectionPacket.decode(d.data()));
    }
    if (ShareControlHeader.looksLike(d.data())) {
      for (byte[] one : ShareControlHeader.split(d.data())) {
        SessionEvidence end = shareControl(one);
        if (end != null) {
          return end;
        }
      }
      return null;
    }
    if (LicensingPdu.isLicensing(d.data())) {
      return licensing(d.data(), out);
    }
    throw new MalformedPduException("neither a share control nor a licensing PDU", 0);
  }

  /**
   * A server PDU's userData as the dispatcher reads it: under Standard RDP Security with a security
   * header, the header checked and the body decrypted (MAC verified); a licensing PDU keeps a basic
   * header saying SEC_LICENSE_PKT, as it has over TLS. A Standard Security Server Redirection PDU
   * (SEC_REDIRECTION_PKT) is not traced decrypted: it may carry a logon cookie.
   */
  private RdpSecurity.Unwrapped plain(byte[] userData, List<Out> out) throws MalformedPduException {
    if (!standard || !security.encryptsClientToServer()) {
      return new RdpSecurity.Unwrapped(0, userData, false); // no security header (2.2.8.1.1.2)
    }
    RdpSecurity.Unwrapped u = security.unwrap(userData);
    boolean redirect = (u.flags() & ServerRedirectionPacket.SEC_REDIRECTION_PKT) != 0;
    if (u.decrypted()) {
      out.add(
          redirect
              ? new Out.Note(
                  "Server Redirection PDU, decrypted ("
                      + u.data().length
                      + " bytes, contents withheld: it may carry a logon cookie)",
                  new byte[0])
              : new Out.Note("server PDU, decrypted", u.data()));
    }
    if ((u.flags() & SecurityFlags.SEC_LICENSE_PKT) == 0) {
      return u;
    }
    byte[] withHeader = new byte[u.data().length + RdpSecurity.BASIC_HEADER];
    int f = u.flags() & ~SecurityFlags.SEC_ENCRYPT;
    withHeader[0] = (byte) f;
    withHeader[1] = (byte) (f >> 8);
    System.arraycopy(u.data(), 0, withHeader, RdpSecurity.BASIC_HEADER, u.data().length);
    return new RdpSecurity.Unwrapped(u.flags(), withHeader, u.decrypted());
  }

  /**
   * A Connection Broker's Server Redirection: the session lives elsewhere and mstsc reconnects
   * there. LB_NOREDIRECT only hands over routing information, and the sequence goes on.
   */
  private SessionEvidence redirected(ServerRedirectionPacket p) {
    if (p.noRedirect()) {
      log.done("Server Redirection", "LB_NOREDIRECT: routing information only");
      return null;
    }
    String account =
        p.userName() == null
            ? null
            : p.domain() == null || p.domain().isEmpty()
                ? p.userName()
                : p.domain() + "\\" + p.userName();
    log.redirect(
        new SessionEvidence.Redirect(
            p.target(),
            p.targetFqdn(),
            p.targetNetAddress(),
            p.targetNetAddresses(),
            p.targetNetBiosName(),
            p.loadBalanceInfo(),
            account,
            p.passwordCookieLength() != null,
            ServerRedirectionPacket.describeFlags(p.redirFlags())));
    log.done("Server Redirection", "to " + p.target());
    return log.end(
        Status.REDIRECTED,
        "a Connection Broker redirected the session to "
            + p.target()
            + (p.targetNetAddress() != null && !p.targetNetAddress().equals(p.target())
                ? " (" + p.targetNetAddress() + ")"
                : "")
            + ": mstsc reconnects there, and what happens next is that server's");
  }

  /** One share control PDU (2.2.8.1.1.1.1). */
  private SessionEvidence shareControl(byte[] data) throws MalformedPduException {
    ShareControlHeader h = ShareControlHeader.read(new ByteReader(data), data.length);
    if (h.type() == ShareControlHeader.PDUTYPE_SERVER_REDIR_PKT) {
      return redirected(ServerRedirectionPacket.decodeEnhanced(data));
    }
    if (h.type() == ShareControlHeader.PDUTYPE_DEMANDACTIVEPDU) {
      DemandActivePdu demand = DemandActivePdu.decode(data);
      log.demand(demand);
      log.done("Demand Active", demand.capabilityTypes().size() + " capability sets");
      return log.end(
          Status.DEMAND_ACTIVE,
          "the server sent its Demand Active PDU: it accepts" + " the session");
    }
    Integer t2 = h.pduType2();
    if (t2 != null && t2 == ShareControlHeader.PDUTYPE2_SET_ERROR_INFO_PDU) {
      int ei = SetErrorInfoPdu.decode(data).errorInfo();
      log.done("Set Error Info", ErrorInfo.valueOf(ei).hex() + " " + ErrorInfo.valueOf(ei).name());
      if (ei != 0) {
        log.errorInfo(ei);
      }
      return null;
    }
    if (t2 != null && t2 == ShareControlHeader.PDUTYPE2_SAVE_SESSION_INFO) {
      SaveSessionInfoPdu ssi = SaveSessionInfoPdu.decode(data);
      String logonError = null;
      if (ssi.logonErrorType() != null) {
        logonError =
            SaveSessionInfoPdu.logonErrorName(ssi.logonErrorType())
                + String.format(" (data 0x%X)", ssi.logonErrorData());
        log.logonError(logonError);
      }
      log.done("Save Session Info", logonError);
      return null;
    }
    log.done(h.typeName(), "ignored");
    return null;
  }

  /** A licensing PDU ([MS-RDPELE]); a LICENSE_REQUEST gets one New License Request. */
  private SessionEvidence licensing(byte[] data, List<Out> out) throws MalformedPduException {
    LicensingPdu l = LicensingPdu.decode(data);
    String licensing = l.describe();
    log.licensing(licensing);
    log.done("Licensing", licensing);
    if (l.validClient()) {
      log.waitFor("Demand Active");
      return null;
    }
    if (l.msgType() == LicensingPdu.ERROR_ALERT) {
      return null; // the server follows a licensing error with its error info or a close
    }
    if (l.msgType() == LicensingPdu.LICENSE_REQUEST && !licenseAnswered) {
      ServerCertificate cert = ServerLicenseRequest.decode(data).certificate();
      ServerCertificate.RsaKey key = cert == null ? null : cert.rsaKey().orElse(null);
      if (key != null) {
        String unusable = SessionSequence.unusableKey(key, PREMASTER_LENGTH);
        if (unusable != null) {
          return log.end(
              Status.MALFORMED,
              "the server's licensing key cannot take the" + " premaster secret: " + unusable);
        }
        // a server that needs no licence (xrdp, admin-mode Windows) answers a New License
        // Request with STATUS_VALID_CLIENT and goes on to Demand Active
        licenseAnswered = true;
        log.waitFor("answer to the New License Request");
        byte[] clientRandom = new byte[LICENSE_CLIENT_RANDOM];
        byte[] premaster = new byte[PREMASTER_LENGTH];
        random.nextBytes(clientRandom);
        random.nextBytes(premaster);
        byte[] enc = RdpRsa.encrypt(premaster, key.modulus(), key.exponent());
        out.add(
            Out.Send.of(
                "Client New License Request",
                new McsSendData(
                        false, user, io, new ClientNewLicenseRequest(clientRandom, enc).encode())
                    .encode()));
        log.done("New License Request", "RSA-" + key.bits() + " key exchange");
        return null;
      }
    }
    // a licence exchange needs a licence client; the session got this far, and no further
    return log.end(
        Status.LICENSING,
        "the server started a licensing exchange (" + licensing + "); the probe stops there");
  }

  /**
   * Whether a PDU read over TLS is an Enhanced Security Server Redirection PDU (share control type
   * 0xA in a Send Data Indication): its trace must not show the logon cookie in it.
   */
  static boolean enhancedRedirection(byte[] pdu) {
    try {
      if (McsSendData.choice(pdu) != McsSendData.INDICATION) {
        return false;
      }
      byte[] d = McsSendData.decode(pdu).data();
      if (!ShareControlHeader.looksLike(d)) {
        return false;
      }
      // pduType is little-endian with the type in its low four bits
      if (redirection(d)) {
        return true;
      }
      for (byte[] one : ShareControlHeader.split(d)) {
        if (redirection(one)) {
          return true;
        }
      }
      return false;
    } catch (MalformedPduException | RuntimeException e) {
      return false; // not a well-formed Send Data Indication: traced as it is
    }
  }

  private static boolean redirection(byte[] shareControl) {
    return (shareControl[2] & ShareControlHeader.TYPE_MASK)
        == ShareControlHeader.PDUTYPE_SERVER_REDIR_PKT;
  }
}

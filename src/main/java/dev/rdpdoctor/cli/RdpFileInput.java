package dev.rdpdoctor.cli;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.RdpFileEvidence;
import dev.rdpdoctor.sources.rdpfile.RdpFile;
import dev.rdpdoctor.sources.rdpfile.RdpFileLinter;
import dev.rdpdoctor.sources.rdpfile.RdpFileParser;
import java.nio.file.Path;

/** An .rdp file given to diagnose: the target and client profile it implies, and its lint. */
record RdpFileInput(RdpFileEvidence evidence, ClientProfile profile) {

  static RdpFileInput read(Path path) throws RdpFileParser.Unreadable {
    RdpFile f = RdpFileParser.read(path);
    RdpFileEvidence ev = RdpFileLinter.evidence(path.toString(), f, RdpFileLinter.lint(f));
    return new RdpFileInput(ev, profileFor(ev));
  }

  /**
   * What a Windows client with these settings offers: CredSSP off leaves TLS only; the security
   * layer not negotiated leaves legacy RDP security (as FreeRDP reads the setting).
   */
  static ClientProfile profileFor(RdpFileEvidence ev) {
    if (ev.negotiateSecurityLayer() != null && ev.negotiateSecurityLayer() == 0) {
      return new ClientProfile(
          "rdp-file",
          "Windows client as the .rdp file sets it: negotiate"
              + " security layer 0 (Standard RDP Security only)",
          SecurityProtocol.PROTOCOL_RDP,
          true,
          "TLSv1.2");
    }
    if (ev.credSspOff()) {
      return ClientProfile.NO_NLA;
    }
    return ClientProfile.WINDOWS;
  }

  /** host[:port] as the command line would take it, from the file's address. */
  String targetText(boolean withPort) {
    String h = evidence.host();
    String host = h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    return withPort ? host + ":" + evidence.port() : host;
  }
}

package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.TlsEvidence;
import java.net.InetAddress;

/** The TLS-over-RDP probe as the engine sees it; tests can put a scripted one in its place. */
@FunctionalInterface
public interface TlsStep {
  TlsEvidence run(
      InetAddress address,
      int port,
      String typedHost,
      int requestedProtocols,
      ProbeContext ctx,
      boolean enumerateVersions);
}

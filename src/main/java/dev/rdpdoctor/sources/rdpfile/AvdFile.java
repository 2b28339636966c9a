package dev.rdpdoctor.sources.rdpfile;

import dev.rdpdoctor.evidence.RdpFileEvidence;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises the .rdp files Azure Virtual Desktop and Windows 365 hand out. Such a file reaches its
 * session host through the AVD gateway with a token from the AVD broker, not with an RD Gateway
 * login, so only part of the path can be checked from outside. The settings that mark it are the
 * AVD ones FreeRDP's reader knows (client/common/file.c: wvd endpoint pool, geo, armpath,
 * aadtenantid, diagnosticserviceurl, hubdiscoverygeourl, activityhint, resourceprovider "arm") and
 * the service's own domain, wvd.microsoft.com.
 */
final class AvdFile {
  /** Settings only AVD and Windows 365 write; an empty one (generic exports) is no sign. */
  static final List<String> AVD_SETTINGS =
      List.of(
          "wvd endpoint pool",
          "armpath",
          "aadtenantid",
          "diagnosticserviceurl",
          "hubdiscoverygeourl",
          "activityhint",
          "geo");

  /** The AVD service's domain: gateways, feeds and diagnostics live under it. */
  static final String AVD_DOMAIN = ".wvd.microsoft.com";

  /** FreeRDP's str_resourceprovider_arm. */
  static final String ARM = "arm";

  static final int HTTPS = 443;
  static final int MAX_URL = 2048;
  static final int MAX_ENDPOINTS = 8;

  static final String CHECKS =
      "This is an Azure Virtual Desktop / Windows 365 file: the client"
          + " reaches the session host through the AVD gateway with a token from the AVD broker,"
          + " not with an RD Gateway login. What rdpdoctor can check on this path is DNS, TCP, TLS"
          + " and the certificate of the gateway and service endpoints the file names%s ('rdpdoctor"
          + " diagnose --rdp-file FILE --gateway ENDPOINT' reaches them; read only its DNS, TCP, TLS"
          + " and certificate results there: the login it then tries is an RD Gateway one, which AVD"
          + " does not use).";
  static final String NOT_CHECKED =
      "What rdpdoctor cannot check is the token-based part:"
          + " signing in to Microsoft Entra ID, the AVD broker issuing the connection token, whether"
          + " the user is assigned to this desktop or app, and whether a session host in the pool is"
          + " available. The host pool's connection diagnostics in the Azure portal and the"
          + " client's own troubleshooting show those.";

  private AvdFile() {}

  static Optional<RdpFileEvidence.Avd> of(RdpFile f) {
    List<String> signals = new ArrayList<>();
    for (String key : AVD_SETTINGS) {
      f.string(key)
          .filter(v -> !v.isBlank())
          .ifPresent(v -> signals.add(key + ": written only by Azure Virtual Desktop"));
    }
    f.string("resourceprovider")
        .filter(v -> v.trim().equalsIgnoreCase(ARM))
        .ifPresent(v -> signals.add("resourceprovider: arm (Azure Resource Manager)"));
    Optional<String> gateway =
        f.string("gatewayhostname").map(String::trim).filter(v -> !v.isEmpty());
    gateway
        .flatMap(RdpAddress::parse)
        .filter(a -> inAvdDomain(a.host()))
        .ifPresent(a -> signals.add("gatewayhostname: " + a.host() + " is an AVD gateway"));
    if (signals.isEmpty()) {
      return Optional.empty();
    }
    Set<String> endpoints = new LinkedHashSet<>();
    gateway
        .flatMap(RdpAddress::parse)
        .ifPresent(a -> endpoints.add(hostPort(a.host(), a.port() == null ? HTTPS : a.port())));
    for (String key : List.of("diagnosticserviceurl", "hubdiscoverygeourl")) {
      f.string(key).flatMap(AvdFile::endpoint).ifPresent(endpoints::add);
    }
    List<String> capped = endpoints.stream().limit(MAX_ENDPOINTS).toList();
    String named = capped.isEmpty() ? "" : " (" + String.join(", ", capped) + ")";
    return Optional.of(
        new RdpFileEvidence.Avd(signals, capped, String.format(CHECKS, named), NOT_CHECKED));
  }

  static boolean inAvdDomain(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(AVD_DOMAIN);
  }

  /** host:port of an https URL in the file, if it is one. */
  static Optional<String> endpoint(String url) {
    String u = url.trim();
    if (u.isEmpty() || u.length() > MAX_URL) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(u);
      if (uri.getHost() == null || !"https".equalsIgnoreCase(uri.getScheme())) {
        return Optional.empty();
      }
      return Optional.of(hostPort(uri.getHost(), uri.getPort() < 0 ? HTTPS : uri.getPort()));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static String hostPort(String host, int port) {
    boolean bare6 = host.indexOf(':') >= 0 && !host.startsWith("[");
    return (bare6 ? "[" + host + "]" : host) + ":" + port;
  }
}

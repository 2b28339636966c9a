package dev.rdpdoctor.sources.eventlog;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The channels and event ids that matter for RDP, with what each says; everything else in a log is
 * counted but not shown. Sources: protocol-facts.md §3 (message tables of mstscax.dll,
 * rdpcorets.dll, lsm.dll, termsrv.dll, lsasrv.dll); Microsoft's per-event pages for the RD Gateway
 * (ee891388, cc727375, ee891329, ee890851) and the Connection Broker (ee890889, ee890933, ee891293,
 * ee890936, cc775237); the Security auditing pages (event-4625, -4776, -4825); the providers'
 * manifest lists published by the detection-wiki project (RdpCoreTS, RemoteConnectionManager,
 * Gateway). The causes these events point to are in the knowledge base ({@code
 * kb/event-causes.json}), which names the same sources per id.
 */
public final class RdpEventCatalogue {
  private RdpEventCatalogue() {}

  private static final Map<String, Map<Integer, String>> BY_SOURCE =
      Map.of(
          "terminalservices-rdpclient",
              Map.ofEntries(
                  Map.entry(1024, "client is connecting to the server"),
                  Map.entry(1025, "client connected to the server"),
                  Map.entry(1026, "client was disconnected"),
                  Map.entry(1027, "client logged on to a session"),
                  Map.entry(1028, "server's TLS support reported"),
                  Map.entry(1029, "client user name hash"),
                  Map.entry(1102, "client started the UDP transport"),
                  Map.entry(1103, "client's UDP transport established"),
                  Map.entry(1104, "client's UDP transport failed"),
                  Map.entry(1105, "client's UDP transport disconnected"),
                  Map.entry(226, "client state transition failed")),
          "termdd",
              Map.ofEntries(
                  Map.entry(
                      50, "a protocol component found an error in the stream; client disconnected"),
                  Map.entry(
                      56, "the security layer found an error in the stream; client disconnected")),
          "remotedesktopservices-rdpcorets",
              Map.ofEntries(
                  Map.entry(97, "a protocol component detected an error; client disconnected"),
                  Map.entry(98, "TCP connection established"),
                  Map.entry(99, "TCP connection failed"),
                  Map.entry(102, "server terminated the main connection"),
                  Map.entry(103, "disconnect reason"),
                  Map.entry(131, "server accepted a new connection"),
                  Map.entry(135, "multi-transport (UDP) finished"),
                  Map.entry(136, "multi-transport (UDP) failed; using TCP"),
                  Map.entry(138, "DTLS set-up failed; using TLS"),
                  Map.entry(139, "security layer error; client disconnected"),
                  Map.entry(140, "logon failed: user name or password wrong (NLA)"),
                  Map.entry(
                      226, "RDP_TCP state transition failed; the connection ended during setup"),
                  Map.entry(227, "a Remote Desktop component reported an error")),
          "terminalservices-localsessionmanager",
              Map.ofEntries(
                  Map.entry(21, "session logon succeeded"),
                  Map.entry(22, "shell start notification"),
                  Map.entry(23, "session logoff"),
                  Map.entry(24, "session disconnected"),
                  Map.entry(25, "session reconnected"),
                  Map.entry(39, "session disconnected by another session"),
                  Map.entry(40, "session disconnected, with a reason code"),
                  Map.entry(41, "session arbitration began")),
          "terminalservices-remoteconnectionmanager",
              Map.ofEntries(
                  Map.entry(258, "listener started"),
                  Map.entry(259, "listener stopped listening"),
                  Map.entry(260, "listener failed while listening"),
                  Map.entry(261, "listener received a connection"),
                  Map.entry(1149, "user authentication succeeded (network level)"),
                  Map.entry(1158, "Remote Desktop Services accepted a connection"),
                  Map.entry(1003, "the client provided an invalid license"),
                  Map.entry(1004, "the server cannot issue a client license"),
                  Map.entry(1011, "the remote session could not be established from the client"),
                  Map.entry(1035, "the listener stack was down"),
                  Map.entry(1036, "session creation failed"),
                  Map.entry(1041, "automatic reconnection failed: authentication failed"),
                  Map.entry(1006, "many incomplete connections received"),
                  Map.entry(1012, "too many failed logon attempts; session ended"),
                  Map.entry(1057, "could not create the self-signed RDP certificate"),
                  Map.entry(1058, "could not replace the expired self-signed RDP certificate"),
                  Map.entry(1067, "could not register the TERMSRV SPN"),
                  Map.entry(1068, "licensing mode not configured"),
                  Map.entry(1069, "licensing grace period expired"),
                  Map.entry(1070, "logon denied: server in drain mode"),
                  Map.entry(1071, "connection denied: server set not to accept connections")),
          "terminalservices-gateway",
              Map.ofEntries(
                  Map.entry(100, "gateway: service could not be initialized"),
                  Map.entry(101, "gateway: service started"),
                  Map.entry(102, "gateway: a valid SSL certificate is required"),
                  Map.entry(103, "gateway: service lacks permissions it needs"),
                  Map.entry(200, "gateway: CAP met, user admitted"),
                  Map.entry(201, "gateway: CAP not met"),
                  Map.entry(202, "gateway: administrator disconnected the user"),
                  Map.entry(203, "gateway: connection limit reached"),
                  Map.entry(204, "gateway: NAP health check failed"),
                  Map.entry(205, "gateway: connected to the remote server over UDP"),
                  Map.entry(206, "gateway: UDP connection to the remote server failed"),
                  Map.entry(207, "gateway: administrator disconnected the user (UDP)"),
                  Map.entry(208, "gateway: UDP proxy disconnected the user"),
                  Map.entry(300, "gateway: RAP met"),
                  Map.entry(301, "gateway: RAP not met for the resource"),
                  Map.entry(302, "gateway: connected to the resource"),
                  Map.entry(303, "gateway: disconnected from the resource"),
                  Map.entry(304, "gateway: could not connect to the resource"),
                  Map.entry(305, "gateway: authentication method not supported"),
                  Map.entry(306, "gateway: tunnel could not be created"),
                  Map.entry(307, "gateway: session timeout reached"),
                  Map.entry(309, "gateway: reauthentication failed")),
          "terminalservices-sessionbroker-client",
              Map.ofEntries(
                  Map.entry(1003, "broker: the Connection Broker server name is not valid"),
                  Map.entry(1280, "broker: failed to join the Connection Broker"),
                  Map.entry(1281, "broker: joined the Connection Broker farm"),
                  Map.entry(1284, "broker: client failed to initialize while joining"),
                  Map.entry(1296, "broker: failed to get the redirection packet"),
                  Map.entry(1303, "broker: failed to get the farm credentials"),
                  Map.entry(1306, "broker: failed to redirect the user")),
          "terminalservices-sessionbroker",
              Map.ofEntries(
                  Map.entry(784, "broker: failed while adding the user's session"),
                  Map.entry(787, "broker: session added")),
          "schannel",
              Map.ofEntries(
                  Map.entry(36870, "TLS: fatal error accessing the certificate's private key"),
                  Map.entry(36871, "TLS: fatal error creating the credential"),
                  Map.entry(36874, "TLS: no cipher suite in common with the client"),
                  Map.entry(36876, "TLS: the certificate did not validate"),
                  Map.entry(36887, "TLS: fatal alert received from the peer"),
                  Map.entry(36888, "TLS: fatal alert sent to the peer")));

  private static final String GATEWAY = "terminalservices-gateway";
  private static final String BROKER = "terminalservices-sessionbroker";

  /** "sessionbroker" is part of "sessionbroker-client": the longer name must match first. */
  private static final List<String> SOURCES_LONGEST_FIRST =
      BY_SOURCE.keySet().stream()
          .sorted(Comparator.comparingInt(String::length).reversed())
          .toList();

  /**
   * CAPI2 (Microsoft-Windows-CAPI2/Operational) checks every certificate any program uses; only
   * those a Remote Desktop client checked are about RDP (EventAuxInfo's ProcessName).
   */
  private static final Map<Integer, String> CAPI2 =
      Map.of(
          11, "certificate chain could not be built",
          30, "certificate chain policy check",
          70, "certificate private key could not be acquired");

  private static final Set<String> RDP_CLIENT_PROCESSES =
      Set.of("mstsc.exe", "msrdc.exe", "msrdcw.exe");

  /**
   * Service Control Manager (System log): 7000 failed to start, 7001 a dependency failed, 7023 and
   * 7024 stopped with an error, 7031 and 7034 stopped unexpectedly. param1 is the display name;
   * 7001's param2 the failed dependency.
   */
  private static final Map<Integer, String> SERVICE_EVENTS =
      Map.of(
          7000, "Remote Desktop Services failed to start",
          7001, "Remote Desktop Services could not start: a dependency failed",
          7023, "Remote Desktop Services stopped with an error",
          7024, "Remote Desktop Services stopped with a service-specific error",
          7031, "Remote Desktop Services stopped unexpectedly (recovery action taken)",
          7034, "Remote Desktop Services stopped unexpectedly");

  /** TermService's key name and its display names (English; older releases said Terminal). */
  private static final Set<String> TERMSERVICE_NAMES =
      Set.of("termservice", "remote desktop services", "terminal services");

  private static String capi2(int id, Map<String, String> data) {
    String process = data.get("EventAuxInfo.ProcessName");
    if (process == null) {
      return null;
    }
    String name = process.strip().toLowerCase(Locale.ROOT);
    int slash = Math.max(name.lastIndexOf('\\'), name.lastIndexOf('/'));
    return RDP_CLIENT_PROCESSES.contains(name.substring(slash + 1)) ? CAPI2.get(id) : null;
  }

  private static String termService(int id, Map<String, String> data) {
    String m = SERVICE_EVENTS.get(id);
    if (m == null) {
      return null;
    }
    String service = data.getOrDefault("param1", "");
    return TERMSERVICE_NAMES.contains(service.strip().toLowerCase(Locale.ROOT)) ? m : null;
  }

  private static final Map<Integer, String> SECURITY =
      Map.of(
          4624, "logon succeeded",
          4625, "logon failed",
          4776, "NTLM credential validation",
          4825, "denied access to Remote Desktop",
          4778, "session reconnected",
          4779, "session disconnected");

  /**
   * What the event means for RDP, or null when it is not one we look at. Security logons count only
   * for RDP logon types: 10 (RemoteInteractive) and 3 (network; NLA's CredSSP step).
   */
  public static String meaning(String channel, String provider, int id, Map<String, String> data) {
    String c = (channel == null ? "" : channel).toLowerCase(Locale.ROOT);
    String p = (provider == null ? "" : provider).toLowerCase(Locale.ROOT);
    for (String key : SOURCES_LONGEST_FIRST) {
      if (c.contains(key) || p.contains(key)) {
        String m = BY_SOURCE.get(key).get(id);
        if (m == null && key.equals(GATEWAY)) {
          // Every Gateway event is about RD Gateway connections; unnamed ones keep their id.
          return "gateway: event " + id;
        }
        if (m == null && key.startsWith(BROKER)) {
          return "broker: event " + id;
        }
        return m;
      }
    }
    if (c.contains("capi2") || p.contains("capi2")) {
      return capi2(id, data);
    }
    if (p.contains("service control manager")) {
      return termService(id, data);
    }
    if (c.equals("security") || p.contains("security-auditing")) {
      String m = SECURITY.get(id);
      if (m == null) {
        return null;
      }
      if (id == 4624 || id == 4625) {
        String type = data.get("LogonType");
        if (!"10".equals(type) && !"3".equals(type)) {
          return null;
        }
        return m + (type.equals("10") ? " (Remote Desktop, type 10)" : " (network, type 3)");
      }
      return m;
    }
    return null;
  }
}

package dev.rdpdoctor.sources.eventlog;

import java.util.Locale;
import java.util.Map;

/**
 * The channels and event ids that matter for RDP (protocol-facts.md §3), with what each says.
 * Everything else in a log is counted but not shown.
 */
public final class RdpEventCatalogue {
  private RdpEventCatalogue() {}

  private static final Map<String, Map<Integer, String>> BY_SOURCE = Map.of(
      "terminalservices-rdpclient", Map.ofEntries(
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
      "remotedesktopservices-rdpcorets", Map.ofEntries(
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
          Map.entry(140, "logon failed: user name or password wrong (NLA)")),
      "terminalservices-localsessionmanager", Map.ofEntries(
          Map.entry(21, "session logon succeeded"),
          Map.entry(22, "shell start notification"),
          Map.entry(23, "session logoff"),
          Map.entry(24, "session disconnected"),
          Map.entry(25, "session reconnected"),
          Map.entry(39, "session disconnected by another session"),
          Map.entry(40, "session disconnected, with a reason code"),
          Map.entry(41, "session arbitration began")),
      "terminalservices-remoteconnectionmanager", Map.ofEntries(
          Map.entry(258, "listener started"),
          Map.entry(261, "listener received a connection"),
          Map.entry(1149, "user authentication succeeded (network level)"),
          Map.entry(1006, "many incomplete connections received"),
          Map.entry(1012, "too many failed logon attempts; session ended"),
          Map.entry(1057, "could not create the self-signed RDP certificate"),
          Map.entry(1058, "could not replace the expired self-signed RDP certificate"),
          Map.entry(1067, "could not register the TERMSRV SPN"),
          Map.entry(1068, "licensing mode not configured"),
          Map.entry(1069, "licensing grace period expired"),
          Map.entry(1070, "logon denied: server in drain mode"),
          Map.entry(1071, "connection denied: server set not to accept connections")),
      "terminalservices-gateway", Map.ofEntries(
          Map.entry(200, "gateway: CAP met, user admitted"),
          Map.entry(201, "gateway: CAP not met"),
          Map.entry(202, "gateway: administrator disconnected the user"),
          Map.entry(203, "gateway: connection limit reached"),
          Map.entry(204, "gateway: NAP health check failed"),
          Map.entry(300, "gateway: RAP met"),
          Map.entry(301, "gateway: RAP not met for the resource"),
          Map.entry(302, "gateway: connected to the resource"),
          Map.entry(303, "gateway: disconnected from the resource"),
          Map.entry(304, "gateway: could not connect to the resource"),
          Map.entry(305, "gateway: authentication method not supported"),
          Map.entry(309, "gateway: reauthentication failed")),
      "schannel", Map.ofEntries(
          Map.entry(36870, "TLS: fatal error accessing the certificate's private key"),
          Map.entry(36871, "TLS: fatal error creating the credential"),
          Map.entry(36874, "TLS: no cipher suite in common with the client"),
          Map.entry(36876, "TLS: the server certificate did not validate"),
          Map.entry(36887, "TLS: fatal alert received from the peer"),
          Map.entry(36888, "TLS: fatal alert sent to the peer")));

  private static final Map<Integer, String> SECURITY = Map.of(
      4624, "logon succeeded",
      4625, "logon failed",
      4776, "NTLM credential validation",
      4778, "session reconnected",
      4779, "session disconnected");

  /**
   * What the event means for RDP, or null when it is not one we look at. Security logons count
   * only for RDP logon types: 10 (RemoteInteractive) and 3 (network; NLA's CredSSP step).
   */
  public static String meaning(String channel, String provider, int id,
      Map<String, String> data) {
    String c = (channel == null ? "" : channel).toLowerCase(Locale.ROOT);
    String p = (provider == null ? "" : provider).toLowerCase(Locale.ROOT);
    for (var e : BY_SOURCE.entrySet()) {
      if (c.contains(e.getKey()) || p.contains(e.getKey())) {
        return e.getValue().get(id);
      }
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

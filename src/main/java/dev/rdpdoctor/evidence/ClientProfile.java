package dev.rdpdoctor.evidence;

import dev.rdpdoctor.codes.SecurityProtocol;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a given client offers in the X.224 Connection Request and accepts afterwards. The diagnosis
 * judges the server against this, because "NLA required" is only a failure for a client that does
 * not offer CredSSP.
 *
 * @param requestedProtocols the RDP_NEG_REQ requestedProtocols the client sends
 * @param acceptsStandardRdp whether the client falls back to Standard RDP Security
 * @param oldestTls the oldest TLS version the client still offers by default ("TLSv1.2" ...)
 */
public record ClientProfile(
    String name,
    String description,
    int requestedProtocols,
    boolean acceptsStandardRdp,
    String oldestTls) {

  public static final ClientProfile WINDOWS =
      new ClientProfile(
          "windows",
          "current Windows Remote Desktop Connection (mstsc): TLS + CredSSP",
          SecurityProtocol.MSTSC_OFFER,
          true,
          "TLSv1.2");
  public static final ClientProfile NO_NLA =
      new ClientProfile(
          "no-nla",
          "Windows client with CredSSP off (enablecredsspsupport:i:0): TLS only",
          SecurityProtocol.PROTOCOL_SSL,
          true,
          "TLSv1.2");
  public static final ClientProfile FREERDP2 =
      new ClientProfile(
          "freerdp2",
          "FreeRDP 2.x defaults: TLS + CredSSP, OpenSSL security level 1",
          SecurityProtocol.PROTOCOL_SSL | SecurityProtocol.PROTOCOL_HYBRID,
          true,
          "TLSv1.2");
  public static final ClientProfile FREERDP3 =
      new ClientProfile(
          "freerdp3",
          "FreeRDP 3.x defaults: TLS + CredSSP, OpenSSL default security level",
          SecurityProtocol.PROTOCOL_SSL | SecurityProtocol.PROTOCOL_HYBRID,
          true,
          "TLSv1.2");

  public static final List<ClientProfile> ALL = List.of(WINDOWS, NO_NLA, FREERDP2, FREERDP3);

  public static Optional<ClientProfile> byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return ALL.stream().filter(p -> p.name.equals(n)).findFirst();
  }

  /** What to tell a user who named no known profile. */
  public static String unknown(String name) {
    return "unknown client profile '"
        + name
        + "'; choose one of "
        + String.join(", ", ALL.stream().map(ClientProfile::name).toList());
  }

  public boolean offersCredSsp() {
    return SecurityProtocol.usesCredSsp(requestedProtocols);
  }

  /**
   * The TLS suites and groups this client offers by default: FreeRDP profiles by major version,
   * everything else (Windows with or without CredSSP, an .rdp file's) as Windows.
   */
  public ClientTlsOffer tlsOffer() {
    return switch (name) {
      case "freerdp2" -> ClientTlsOffer.FREERDP2;
      case "freerdp3" -> ClientTlsOffer.FREERDP3;
      default -> ClientTlsOffer.WINDOWS;
    };
  }

  public boolean offersTls() {
    return (requestedProtocols & SecurityProtocol.PROTOCOL_SSL) != 0 || offersCredSsp();
  }
}

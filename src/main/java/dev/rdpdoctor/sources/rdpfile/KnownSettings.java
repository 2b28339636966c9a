package dev.rdpdoctor.sources.rdpfile;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The .rdp settings current clients read, with their type and where the name comes from. Anything
 * else is reported as unknown: a typo, or an entry left behind by an old client that today's
 * clients silently ignore. A setting any of these sources names is never called stale.
 */
final class KnownSettings {
  /** Below this length a name must be one edit away to be suggested. */
  static final int SHORT = 6;

  /** Where a setting's name and type come from. */
  enum Source {
    /**
     * Microsoft's list of supported RDP properties (learn.microsoft.com
     * azure/virtual-desktop/rdp-properties, MicrosoftDocs/azure-docs
     * articles/virtual-desktop/rdp-properties.md, revision of 2025-03-06), and the older
     * windows-server remote-desktop-services/clients/rdp-files page.
     */
    MICROSOFT("Microsoft's supported RDP properties list"),
    /** FreeRDP client/common/file.c: every key its .rdp reader knows, AVD's among them. */
    FREERDP("FreeRDP's .rdp reader (client/common/file.c)"),
    /**
     * Written by Azure Virtual Desktop / Windows 365 feeds and by Microsoft's Remote Desktop
     * clients (files they hand out or export, as published in public repositories); current clients
     * read them.
     */
    MICROSOFT_CLIENTS("files Azure Virtual Desktop, Windows 365 and Microsoft's clients write");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private record Known(char type, Source source) {}

  private static final Map<String, Known> TABLE = new TreeMap<>();

  static {
    add(
        Source.MICROSOFT,
        's',
        "alternate full address",
        "alternate shell",
        "domain",
        "full address",
        "gatewayhostname",
        "kdcproxyname",
        "username",
        "camerastoredirect",
        "devicestoredirect",
        "drivestoredirect",
        "usbdevicestoredirect",
        "selectedmonitors",
        "remoteapplicationcmdline",
        "remoteapplicationfile",
        "remoteapplicationicon",
        "remoteapplicationname",
        "remoteapplicationprogram",
        "shell working directory",
        "loadbalanceinfo",
        "gatewayaccesstoken",
        "signature",
        "signscope");
    add(
        Source.MICROSOFT,
        'i',
        "authentication level",
        "disableconnectionsharing",
        "enablecredsspsupport",
        "enablerdsaadauth",
        "gatewaycredentialssource",
        "gatewayprofileusagemethod",
        "gatewayusagemethod",
        "promptcredentialonce",
        "targetisaadjoined",
        "autoreconnection enabled",
        "bandwidthautodetect",
        "compression",
        "networkautodetect",
        "videoplaybackmode",
        "audiocapturemode",
        "audiomode",
        "encode redirected video capture",
        "keyboardhook",
        "redirectclipboard",
        "redirectcomports",
        "redirected video capture encoding quality",
        "redirectlocation",
        "redirectprinters",
        "redirectsmartcards",
        "redirectwebauthn",
        "desktop size id",
        "desktopheight",
        "desktopscalefactor",
        "desktopwidth",
        "dynamic resolution",
        "maximizetocurrentdisplays",
        "screen mode id",
        "singlemoninwindowedmode",
        "smart sizing",
        "use multimon",
        "remoteapplicationexpandcmdline",
        "remoteapplicationexpandworkingdir",
        "remoteapplicationmode",
        "server port",
        "session bpp",
        "connection type",
        "displayconnectionbar",
        "disable wallpaper",
        "allow font smoothing",
        "allow desktop composition",
        "disable full window drag",
        "disable menu anims",
        "disable themes",
        "disable cursor setting",
        "bitmapcachepersistenable",
        "redirectdrives",
        "redirectposdevices",
        "administrative session",
        "negotiate security layer",
        "prompt for credentials",
        "prompt for credentials on client",
        "use redirection server name",
        "autoreconnect max retries",
        "span monitors",
        "audioqualitymode");
    add(Source.MICROSOFT, 'b', "password 51");
    add(
        Source.FREERDP,
        's',
        "password",
        "remoteapplicationguid",
        "resourceprovider",
        "winposstr",
        "pcb",
        "wvd endpoint pool",
        "geo",
        "armpath",
        "aadtenantid",
        "diagnosticserviceurl",
        "hubdiscoverygeourl",
        "activityhint");
    add(
        Source.FREERDP,
        'i',
        "rdgiskdcproxy",
        "disableremoteappcapscheck",
        "public mode",
        "connect to console",
        "disableclipboardredirection",
        "disableprinterredirection",
        "redirectdirectx",
        "bitmapcachesize",
        "enableworkspacereconnect",
        "workspaceid",
        "pinconnectionbar",
        "disable ctrl+alt+del",
        "superpanaccelerationfactor",
        "enablesuperpan");
    add(
        Source.MICROSOFT_CLIENTS,
        's',
        "workspace id",
        "remotedesktopname",
        "gatewayserver",
        "eventloguploadaddress",
        "authoring tool",
        "gatewayusername",
        "remoteapplicationappid",
        "redirectedvideocaptureencodingquality");
    add(
        Source.MICROSOFT_CLIENTS,
        'i',
        "gatewaybrokeringtype",
        "clientrejectinjectedinput",
        "forcehidpioptimizations",
        "smartcardlogon",
        "gatewayusagemethodoverride",
        "remoteappmousemoveinject",
        "clientaudiocapture");
  }

  private static void add(Source source, char type, String... names) {
    for (String n : names) {
      TABLE.putIfAbsent(n, new Known(type, source));
    }
  }

  private KnownSettings() {}

  static Optional<Character> type(String key) {
    return Optional.ofNullable(TABLE.get(key)).map(Known::type);
  }

  /** Where the name comes from, for a setting the table knows. */
  static Optional<Source> source(String key) {
    return Optional.ofNullable(TABLE.get(key)).map(Known::source);
  }

  static Set<String> names() {
    return Collections.unmodifiableSet(TABLE.keySet());
  }

  /**
   * The known name closest to a typo, if it is close enough to be meant: edit distance 2, or 1 for
   * names under {@link #SHORT} characters (so "foo" is not taken for "geo").
   */
  static Optional<String> suggestion(String key) {
    String best = null;
    int bestDistance = key.length() < SHORT ? 2 : 3;
    for (String k : TABLE.keySet()) {
      int limit = k.length() < SHORT ? Math.min(bestDistance, 2) : bestDistance;
      int d = distance(key, k, limit);
      if (d < limit) {
        bestDistance = d;
        best = k;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance, giving up (returning limit) once it cannot be below limit. */
  static int distance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) >= limit || a.length() > 64 || b.length() > 64) {
      return limit;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin >= limit) {
        return limit;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return Math.min(prev[b.length()], limit);
  }
}

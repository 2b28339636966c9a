package dev.rdpdoctor.sources.rdpfile;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The .rdp settings current clients read, with their type (Microsoft's RDP properties list and
 * FreeRDP's file.c). Anything else is reported as unknown: a typo, or an entry left behind by
 * an old client that today's clients silently ignore.
 */
final class KnownSettings {
  private static final Map<String, Character> TYPES = new TreeMap<>();

  static {
    for (String s : new String[] {"full address", "alternate full address", "username",
        "domain", "gatewayhostname", "gatewayaccesstoken", "loadbalanceinfo", "alternate shell",
        "shell working directory", "remoteapplicationprogram", "remoteapplicationname",
        "remoteapplicationcmdline", "remoteapplicationfile", "remoteapplicationicon",
        "drivestoredirect", "devicestoredirect", "camerastoredirect", "usbdevicestoredirect",
        "kdcproxyname", "selectedmonitors", "signature", "signscope", "winposstr",
        "resourceprovider", "remotedesktopname", "pcb", "redirectedvideocaptureencodingquality",
        "eventloguploadaddress", "workspace id", "gatewayserver"}) {
      TYPES.put(s, 's');
    }
    for (String s : new String[] {"server port", "screen mode id", "use multimon",
        "desktopwidth", "desktopheight", "session bpp", "compression", "keyboardhook",
        "audiocapturemode", "audiomode", "audioqualitymode", "videoplaybackmode",
        "connection type", "networkautodetect", "bandwidthautodetect", "displayconnectionbar",
        "enableworkspacereconnect", "disable wallpaper", "allow font smoothing",
        "allow desktop composition", "disable full window drag", "disable menu anims",
        "disable themes", "disable cursor setting", "bitmapcachepersistenable",
        "bitmapcachesize", "redirectprinters", "redirectcomports", "redirectsmartcards",
        "redirectclipboard", "redirectposdevices", "redirectdrives", "redirectdirectx",
        "redirectwebauthn", "redirectlocation", "autoreconnection enabled",
        "autoreconnect max retries", "authentication level", "prompt for credentials",
        "prompt for credentials on client", "negotiate security layer", "remoteapplicationmode",
        "remoteapplicationexpandcmdline", "remoteapplicationexpandworkingdir",
        "disableremoteappcapscheck", "gatewayusagemethod", "gatewaycredentialssource",
        "gatewayprofileusagemethod", "gatewaybrokeringtype", "promptcredentialonce",
        "use redirection server name", "enablecredsspsupport", "enablerdsaadauth",
        "targetisaadjoined", "administrative session", "disableconnectionsharing",
        "smart sizing", "dynamic resolution", "desktopscalefactor", "desktop size id",
        "maximizetocurrentdisplays", "singlemoninwindowedmode", "span monitors",
        "encode redirected video capture", "rdgiskdcproxy", "enablesuperpan",
        "superpanaccelerationfactor", "disableprinterredirection", "disableclipboardredirection",
        "public mode", "smartcardlogon", "usbdevicestoredirect", "gatewayusagemethodoverride",
        "remoteappmousemoveinject", "clientaudiocapture"}) {
      TYPES.putIfAbsent(s, 'i');
    }
    TYPES.put("password 51", 'b');
  }

  private KnownSettings() {}

  static Optional<Character> type(String key) {
    return Optional.ofNullable(TYPES.get(key));
  }

  /** The known name closest to a typo, if it is close enough to be meant (edit distance 2). */
  static Optional<String> suggestion(String key) {
    String best = null;
    int bestDistance = 3;
    for (String k : TYPES.keySet()) {
      int d = distance(key, k, bestDistance);
      if (d < bestDistance) {
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

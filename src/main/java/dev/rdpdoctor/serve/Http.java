package dev.rdpdoctor.serve;

import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Small request/response helpers shared by the exporter and the page's API. */
final class Http {
  private Http() {}

  static void send(ServerResponse res, int status, String contentType, String body) {
    send(res, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  static void send(ServerResponse res, int status, String contentType, byte[] body) {
    res.status(status);
    res.header("Content-Type", contentType);
    res.send(body);
  }

  /** A refusal with its reason: JSON {"error": ...} for the page's API, plain text otherwise. */
  static void refuse(ServerResponse res, int status, String reason, boolean json) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("error", reason);
      m.put("status", status);
      send(res, status, "application/json", Json.write(m));
    } else {
      send(res, status, "text/plain; charset=utf-8", "rdpdoctor: " + reason + "\n");
    }
  }

  /** The peer's address: the key of the per-client rate limit. */
  static String client(ServerRequest req) {
    return req.remotePeer().host();
  }

  static String query(ServerRequest req, String name) {
    return req.query().contains(name) ? req.query().get(name) : null;
  }

  /**
   * The request body, refused with 413 above {@code cap} bytes: by its Content-Length before
   * reading, and by counting for a body sent in chunks.
   */
  static byte[] body(ServerRequest req, long cap) throws ProbeService.Refused {
    var len = req.headers().contentLength();
    if (len.isPresent() && len.getAsLong() > cap) {
      throw new ProbeService.Refused(
          413,
          "the upload is " + len.getAsLong() + " bytes; this" + " server takes at most " + cap);
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, cap + 1));
      if (b.length > cap) {
        throw new ProbeService.Refused(
            413, "the upload is larger than " + cap + " bytes, this server's limit");
      }
      return b;
    } catch (IOException | RuntimeException e) {
      if (e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("payload")) {
        throw new ProbeService.Refused(413, "the upload is larger than this server's limit");
      }
      throw new ProbeService.Refused(400, "the request body could not be read");
    }
  }

  /** One field of an application/x-www-form-urlencoded body. */
  static String formValue(String body, String name) {
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      if (URLDecoder.decode(k, StandardCharsets.UTF_8).equals(name)) {
        return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}

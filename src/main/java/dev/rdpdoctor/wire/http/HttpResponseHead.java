package dev.rdpdoctor.wire.http;

import dev.rdpdoctor.wire.MalformedPduException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The status line and header fields of an HTTP/1.x response (RFC 9112 section 4 and 5):
 *
 * <pre>
 * HTTP/1.1 SP 401 SP Unauthorized CRLF
 * WWW-Authenticate: Negotiate CRLF
 * WWW-Authenticate: NTLM CRLF
 * ... CRLF
 * CRLF
 * </pre>
 *
 * Parsed from bytes a gateway (or whatever answers in its place) sent, so every bound is named and
 * a line that is not a header is an error with its offset, not a guess.
 */
public record HttpResponseHead(String version, int status, String reason, List<Header> headers) {
  /** Larger heads are refused: IIS and nginx send well under 8 KiB. */
  public static final int MAX_HEAD_BYTES = 16 * 1024;

  public static final int MAX_HEADERS = 100;

  public record Header(String name, String value) {}

  public HttpResponseHead {
    headers = List.copyOf(headers);
  }

  /** The first value of a header, case-insensitive name. */
  public Optional<String> header(String name) {
    return headers.stream()
        .filter(h -> h.name.equalsIgnoreCase(name))
        .map(Header::value)
        .findFirst();
  }

  /** Every value of a header, split on commas where the header is a list. */
  public List<String> all(String name) {
    return headers.stream().filter(h -> h.name.equalsIgnoreCase(name)).map(Header::value).toList();
  }

  /**
   * The auth schemes the server offers: the first token of each WWW-Authenticate value
   * ("Negotiate", "NTLM", "Basic realm=..." gives "Basic").
   */
  public List<String> authSchemes() {
    List<String> out = new ArrayList<>();
    for (String v : all("WWW-Authenticate")) {
      // several challenges may share one header, comma-separated; a scheme is a bare token
      for (String part : v.split(",")) {
        String t = part.strip();
        if (t.isEmpty() || t.contains("=") && !t.contains(" ")) {
          continue;
        }
        String scheme = t.split("\\s+", 2)[0];
        if (!scheme.contains("=") && out.stream().noneMatch(scheme::equalsIgnoreCase)) {
          out.add(scheme);
        }
      }
    }
    return List.copyOf(out);
  }

  /** The token after a scheme in WWW-Authenticate ("NTLM TlRMTVNTUAAC..."), if any. */
  public Optional<String> authToken(String scheme) {
    for (String v : all("WWW-Authenticate")) {
      String[] p = v.strip().split("\\s+", 2);
      if (p.length == 2 && p[0].equalsIgnoreCase(scheme) && !p[1].contains(",")) {
        return Optional.of(p[1].strip());
      }
    }
    return Optional.empty();
  }

  /** Index just past the CRLFCRLF (or LFLF) that ends the head in {@code b[0..len)}, or -1. */
  public static int endOfHead(byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      if (b[i] == '\n') {
        if (i + 1 < len && b[i + 1] == '\n') {
          return i + 2;
        }
        if (i + 2 < len && b[i + 1] == '\r' && b[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  /** Parses a complete head (status line through the empty line). */
  public static HttpResponseHead parse(byte[] b, int len) throws MalformedPduException {
    if (len > MAX_HEAD_BYTES) {
      throw new MalformedPduException("response head longer than " + MAX_HEAD_BYTES, 0);
    }
    // ISO-8859-1: header bytes are octets; anything non-ASCII survives without an exception
    String text = new String(b, 0, len, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n", -1);
    String status = lines[0];
    if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
      throw new MalformedPduException("not an HTTP/1.x status line: " + printable(status, 40), 0);
    }
    int code;
    try {
      code = Integer.parseInt(status.substring(9, 12));
    } catch (NumberFormatException e) {
      throw new MalformedPduException("status code is not three digits", 9);
    }
    if (code < 100 || code > 599) {
      throw new MalformedPduException("status code " + code + " outside 100..599", 9);
    }
    String reason = status.length() > 13 ? status.substring(13).strip() : "";
    List<Header> headers = new ArrayList<>();
    int offset = status.length() + 1;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new MalformedPduException(
            "header line without a name: " + printable(line, 40), offset);
      }
      if (headers.size() == MAX_HEADERS) {
        throw new MalformedPduException("more than " + MAX_HEADERS + " header fields", offset);
      }
      headers.add(new Header(line.substring(0, colon).strip(), line.substring(colon + 1).strip()));
      offset += line.length() + 1;
    }
    return new HttpResponseHead(status.substring(0, 8), code, reason, headers);
  }

  /** At most {@code max} characters, control characters replaced: safe to show. */
  public static String printable(String s, int max) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < max; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c > 0x7E ? '.' : c);
    }
    return sb.toString();
  }

  public boolean chunked() {
    return header("Transfer-Encoding")
        .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
        .orElse(false);
  }

  /** Content-Length when present and sane, else -1. */
  public long contentLength() {
    try {
      return header("Content-Length")
          .map(String::strip)
          .map(Long::parseLong)
          .filter(n -> n >= 0)
          .orElse(-1L);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

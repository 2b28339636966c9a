package dev.rdpdoctor.serve;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who may use the server: anyone on loopback without a token; beyond loopback only holders of the
 * token, as a bearer header (Prometheus' {@code authorization} setting) or as the login cookie the
 * page sets. The cookie holds a digest of the token, never the token.
 */
final class Access {
  static final String COOKIE = "rdpdoctor_session";

  /** A guessable token is no fence. */
  static final int MIN_TOKEN_CHARS = 16;

  static final int MAX_TOKEN_BYTES = 4096;

  private final byte[] token;
  private final String cookieValue;

  private Access(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.cookieValue = token == null ? null : digest(token);
  }

  static Access open() {
    return new Access(null);
  }

  static Access withToken(String token) {
    return new Access(token);
  }

  /** Reads the token file: its first line, at least {@link #MIN_TOKEN_CHARS} characters. */
  static String readToken(Path file) throws ServeConfig.BadConfig {
    try {
      if (Files.size(file) > MAX_TOKEN_BYTES) {
        throw new ServeConfig.BadConfig(
            "--token-file " + file + ": larger than " + MAX_TOKEN_BYTES + " bytes");
      }
      String t = Files.readString(file, StandardCharsets.UTF_8).strip();
      int nl = t.indexOf('\n');
      t = (nl < 0 ? t : t.substring(0, nl)).strip();
      if (t.length() < MIN_TOKEN_CHARS) {
        throw new ServeConfig.BadConfig(
            "--token-file "
                + file
                + ": the token must be at least "
                + MIN_TOKEN_CHARS
                + " characters");
      }
      return t;
    } catch (IOException e) {
      throw new ServeConfig.BadConfig(
          "--token-file " + file + ": cannot read (" + e.getMessage() + ")");
    }
  }

  /** Why serve must not start with these settings, or null. */
  static String refusalToStart(String host, boolean hasToken, boolean hasAllowlist) {
    if (isLoopback(host)) {
      return null;
    }
    if (!hasToken || !hasAllowlist) {
      return "listening on "
          + host
          + " (beyond loopback) needs --token-file (who may use it) and"
          + " --allow (which targets it may probe): a page that opens connections for anyone is"
          + " an open proxy";
    }
    return null;
  }

  static boolean isLoopback(String host) {
    try {
      // a literal or "localhost": no network lookup
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  boolean required() {
    return token != null;
  }

  /** Whether the Authorization header or the cookie header carries the token. */
  boolean admits(String authorization, String cookieHeader) {
    if (token == null) {
      return true;
    }
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
      if (MessageDigest.isEqual(given, token)) {
        return true;
      }
    }
    String c = cookie(cookieHeader, COOKIE);
    return c != null
        && MessageDigest.isEqual(
            c.getBytes(StandardCharsets.US_ASCII), cookieValue.getBytes(StandardCharsets.US_ASCII));
  }

  /** Whether a login form's token is right; if so the cookie to set. */
  String login(String given) {
    if (token == null || given == null) {
      return null;
    }
    return MessageDigest.isEqual(given.strip().getBytes(StandardCharsets.UTF_8), token)
        ? cookieValue
        : null;
  }

  static String cookie(String header, String name) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String p = part.strip();
      if (p.startsWith(name + "=")) {
        return p.substring(name.length() + 1);
      }
    }
    return null;
  }

  private static String digest(String token) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update("rdpdoctor-session\0".getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}

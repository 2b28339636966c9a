package dev.rdpdoctor.probe;

import dev.rdpdoctor.evidence.IpLiteral;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one Don't-Fragment ping said, read from its exit code and its output.
 *
 * <p>The exit code alone is enough on Linux and macOS (0 only when an echo reply came), but not on
 * Windows: its ping exits 0 when any "Reply from" line was printed, and a router's "Destination
 * host unreachable" is printed as one. An echo reply from the target is the line naming the
 * target's address with a round-trip time in milliseconds (IPv4 also carries {@code TTL=}); the
 * words around them are localised, the address, "TTL=" and "ms" are not.
 */
public final class PingOutput {
  /** Ping prints a few hundred bytes per echo; anything past this is not ping's own output. */
  static final int MAX_OUTPUT_CHARS = 8 * 1024;

  /** What a ping's reply means for the MTU search. */
  public enum Verdict {
    /** The echo came back at this size. */
    REPLY,
    /** This machine or a router on the path said the size needs fragmenting. */
    TOO_BIG,
    /** Nothing came back (lost, filtered, or dropped silently for its size). */
    NO_REPLY
  }

  /**
   * @param verdict what the ping means
   * @param reportedMtu the MTU a "fragmentation needed" message named, null when none did
   */
  public record Result(Verdict verdict, Integer reportedMtu) {}

  // Linux iputils: "Frag needed and DF set (mtu = 1400)", "message too long, mtu=1400"
  private static final Pattern MTU = Pattern.compile("mtu\\s*=\\s*(\\d{2,5})(?!\\d)");
  // "Reply from 198.19.1.2: ...", "Reply from 2001:db8::9%12: ...", in any language
  private static final Pattern ADDRESS_COLON =
      Pattern.compile("(?<![0-9a-z.:%])([0-9a-f:][0-9a-f.:]*[0-9a-f])(?:%[0-9a-z]{1,32})?: ");
  private static final Pattern TIME_MS = Pattern.compile("[=<]\\s*\\d+\\s*ms");

  private PingOutput() {}

  /**
   * @param address the target's numeric address as it was given to ping
   */
  public static Result read(MtuProbe.Os os, int exit, String output, String address) {
    String text =
        output.length() > MAX_OUTPUT_CHARS ? output.substring(0, MAX_OUTPUT_CHARS) : output;
    String lower = text.toLowerCase(Locale.ROOT);
    return os == MtuProbe.Os.WINDOWS ? windows(exit, lower, address) : unix(exit, lower);
  }

  private static Result unix(int exit, String lower) {
    if (exit == 0) {
      return new Result(Verdict.REPLY, null);
    }
    Matcher m = MTU.matcher(lower);
    if (m.find()) {
      return new Result(Verdict.TOO_BIG, Integer.valueOf(m.group(1)));
    }
    return new Result(
        lower.contains("frag needed") || lower.contains("message too long")
            ? Verdict.TOO_BIG
            : Verdict.NO_REPLY,
        null);
  }

  private static Result windows(int exit, String lower, String address) {
    InetAddress target = IpLiteral.parse(address).orElse(null);
    boolean v6 = target instanceof Inet6Address;
    for (String line : lower.split("\\R")) {
      Matcher m = ADDRESS_COLON.matcher(line);
      while (m.find()) {
        // compared as addresses: ping prints IPv6 compressed, Java writes it out in full
        if (target == null || !IpLiteral.parse(m.group(1)).map(target::equals).orElse(false)) {
          continue;
        }
        String rest = line.substring(m.end());
        if (exit == 0 && TIME_MS.matcher(rest).find() && (v6 || rest.contains("ttl="))) {
          return new Result(Verdict.REPLY, null);
        }
      }
    }
    // "Packet needs to be fragmented but DF set." (English Windows); other languages fall back
    // to no reply, which the search reads the same way
    return new Result(
        lower.contains("needs to be fragmented") ? Verdict.TOO_BIG : Verdict.NO_REPLY, null);
  }
}

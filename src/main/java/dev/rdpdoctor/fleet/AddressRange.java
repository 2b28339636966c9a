package dev.rdpdoctor.fleet;

import dev.rdpdoctor.evidence.IpLiteral;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A block of consecutive addresses of one family, from a CIDR ({@code 10.0.0.0/24}, {@code
 * 2001:db8::/120}) or a range ({@code 10.0.0.5-10.0.0.20}, {@code 10.0.0.5-20}). Its addresses are
 * walked lazily, so a /16 is never held in memory.
 */
record AddressRange(BigInteger first, BigInteger last, boolean v6) {
  /** The largest block one target may name; larger ones are almost always a typo. */
  static final BigInteger MAX_ADDRESSES = BigInteger.ONE.shiftLeft(24);

  private static final Pattern OCTET = Pattern.compile("25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d");

  /** Thrown with a message fit to show the user. */
  static final class BadRange extends Exception {
    private static final long serialVersionUID = 1L;

    BadRange(String message) {
      super(message);
    }
  }

  BigInteger size() {
    return last.subtract(first).add(BigInteger.ONE);
  }

  boolean contains(BigInteger a, boolean family6) {
    return family6 == v6 && a.compareTo(first) >= 0 && a.compareTo(last) <= 0;
  }

  /** Whether the text is meant as a block (it has a '/' or an address range's '-'). */
  static boolean looksLikeBlock(String s) {
    if (s.indexOf('/') >= 0) {
      return true;
    }
    int dash = s.indexOf('-');
    return dash > 0 && literal(s.substring(0, dash)).isPresent();
  }

  static AddressRange parse(String text) throws BadRange {
    String s = text.strip();
    int slash = s.indexOf('/');
    if (slash >= 0) {
      InetAddress base =
          literal(s.substring(0, slash))
              .orElseThrow(
                  () ->
                      new BadRange(
                          "'" + s + "': '" + s.substring(0, slash) + "' is not an IP address"));
      boolean v6 = base instanceof Inet6Address;
      int bits = v6 ? 128 : 32;
      String p = s.substring(slash + 1);
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
        throw new BadRange("'" + s + "': the prefix length must be 0-" + bits);
      }
      int prefix = Integer.parseInt(p);
      if (prefix == 0) {
        throw new BadRange(
            "'" + s + "': a /0 is every address there is; name your own " + "networks");
      }
      BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
      BigInteger a = toBig(base);
      BigInteger first = a.andNot(hostMask);
      return checked(s, new AddressRange(first, first.or(hostMask), v6));
    }
    int dash = s.indexOf('-');
    if (dash <= 0) {
      throw new BadRange("'" + s + "' is neither a CIDR nor an address range");
    }
    String left = s.substring(0, dash).strip();
    String right = s.substring(dash + 1).strip();
    InetAddress from =
        literal(left)
            .orElseThrow(() -> new BadRange("'" + s + "': '" + left + "' is not an IP address"));
    boolean v6 = from instanceof Inet6Address;
    InetAddress to;
    if (!v6 && OCTET.matcher(right).matches()) {
      // 10.0.0.5-20: the last octet only, as nmap writes it
      to = literal(left.substring(0, left.lastIndexOf('.') + 1) + right).orElseThrow();
    } else {
      to =
          literal(right)
              .orElseThrow(() -> new BadRange("'" + s + "': '" + right + "' is not an IP address"));
    }
    if ((to instanceof Inet6Address) != v6) {
      throw new BadRange("'" + s + "': the two ends are of different address families");
    }
    BigInteger a = toBig(from);
    BigInteger b = toBig(to);
    if (b.compareTo(a) < 0) {
      throw new BadRange("'" + s + "': the range ends before it starts");
    }
    return checked(s, new AddressRange(a, b, v6));
  }

  private static AddressRange checked(String s, AddressRange r) throws BadRange {
    if (r.size().compareTo(MAX_ADDRESSES) > 0) {
      throw new BadRange(
          "'"
              + s
              + "' holds "
              + r.size()
              + " addresses, more than the "
              + MAX_ADDRESSES
              + " one target may name; split it");
    }
    return r;
  }

  /** An IP literal, parsed without any DNS lookup. */
  static Optional<InetAddress> literal(String t) {
    return IpLiteral.parse(t);
  }

  static BigInteger toBig(InetAddress a) {
    return new BigInteger(1, a.getAddress());
  }

  static String text(BigInteger a, boolean v6) {
    byte[] raw = a.toByteArray();
    byte[] out = new byte[v6 ? 16 : 4];
    int n = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - n, out, out.length - n, n);
    try {
      return InetAddress.getByAddress(out).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // a 4 or 16 byte array is always an address
    }
  }

  /** The addresses in order, as text. */
  Iterator<String> addresses() {
    return new Iterator<>() {
      private BigInteger next = first;

      @Override
      public boolean hasNext() {
        return next.compareTo(last) <= 0;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String s = text(next, v6);
        next = next.add(BigInteger.ONE);
        return s;
      }
    };
  }
}

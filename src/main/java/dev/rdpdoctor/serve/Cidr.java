package dev.rdpdoctor.serve;

import dev.rdpdoctor.evidence.IpLiteral;
import java.net.InetAddress;

/** An address block: {@code 198.18.0.0/15}, {@code fd00:ec2::254/128}. */
record Cidr(byte[] network, int bits, String text) {

  /** Parses a literal block; never resolves a name. */
  static Cidr parse(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + s + "' is not ADDRESS/BITS");
    }
    String addr = s.substring(0, slash);
    byte[] net =
        IpLiteral.parse(addr)
            .map(InetAddress::getAddress)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "'" + s + "': '" + addr + "' is not an IP address"));
    int bits;
    try {
      bits = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      bits = -1;
    }
    if (bits < 0 || bits > net.length * 8) {
      throw new IllegalArgumentException(
          "'" + s + "': the prefix length must be 0-" + net.length * 8);
    }
    return new Cidr(net, bits, s);
  }

  boolean contains(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length != network.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (b[i] != network[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (b[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}

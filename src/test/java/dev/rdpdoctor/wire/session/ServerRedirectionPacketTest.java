package dev.rdpdoctor.wire.session;

import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_DOMAIN;
import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_LOAD_BALANCE_INFO;
import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_NOREDIRECT;
import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_PASSWORD;
import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_REDIRECTION_GUID;
import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_TARGET_FQDN;
import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_TARGET_NETBIOS_NAME;
import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_TARGET_NET_ADDRESS;
import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_TARGET_NET_ADDRESSES;
import static dev.rdpdoctor.wire.session.ServerRedirectionPacket.LB_USERNAME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.testing.Bytes;
import dev.rdpdoctor.wire.MalformedPduException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * RDP_SERVER_REDIRECTION_PACKET ([MS-RDPBCGR] 2.2.13.1) from bytes laid out field by field as the
 * spec orders them, in both wrappers (2.2.13.2.1 Standard, 2.2.13.3.1 Enhanced), with a malformed
 * twin per check. No lab server redirects (xrdp and FreeRDP 2 have no broker), so {@link Packet}
 * below writes what a broker would.
 */
public class ServerRedirectionPacketTest {
  public static final String COOKIE = "Brok3r-Cookie!";

  @Test
  void everyFieldInSpecOrderDecodesAndTheCookieIsNeverKept() throws Exception {
    byte[] p = broker().bytes();
    ServerRedirectionPacket r = ServerRedirectionPacket.decode(p);
    assertThat(r.sessionId()).isEqualTo(7);
    assertThat(r.targetNetAddress()).isEqualTo("10.0.0.21");
    assertThat(r.loadBalanceInfo()).isEqualTo("tsv://MS Terminal Services Plugin.1.Desktops");
    assertThat(r.userName()).isEqualTo("alice");
    assertThat(r.domain()).isEqualTo("CORP");
    assertThat(r.passwordCookieLength()).isEqualTo(utf16z(COOKIE).length);
    assertThat(r.targetFqdn()).isEqualTo("rdsh02.corp.example");
    assertThat(r.targetNetBiosName()).isEqualTo("RDSH02");
    assertThat(r.targetNetAddresses()).containsExactly("10.0.0.21", "fe80::21");
    assertThat(r.target()).isEqualTo("rdsh02.corp.example");
    assertThat(r.noRedirect()).isFalse();
    assertThat(r.toString())
        .doesNotContain(COOKIE)
        .contains("withheld")
        .contains("LB_TARGET_NET_ADDRESS|LB_LOAD_BALANCE_INFO");
  }

  @Test
  void theEnhancedWrapperHasAShareControlHeaderAndPad2Octets() throws Exception {
    byte[] inner = broker().bytes();
    ServerRedirectionPacket r = ServerRedirectionPacket.decodeEnhanced(enhanced(inner, true));
    assertThat(r.target()).isEqualTo("rdsh02.corp.example");
    // pad1Octet is optional: Windows leaves it out at times
    assertThat(ServerRedirectionPacket.decodeEnhanced(enhanced(inner, false)).sessionId())
        .isEqualTo(7);
  }

  @Test
  void withoutAnFqdnTheTargetIsTheAddressAndNoRedirectIsKnown() throws Exception {
    Packet p = new Packet(3, LB_TARGET_NET_ADDRESS | LB_NOREDIRECT).string("192.0.2.9");
    ServerRedirectionPacket r = ServerRedirectionPacket.decode(p.bytes());
    assertThat(r.target()).isEqualTo("192.0.2.9");
    assertThat(r.noRedirect()).isTrue();
    assertThat(ServerRedirectionPacket.describeFlags(0x40000 | LB_NOREDIRECT))
        .isEqualTo("LB_NOREDIRECT|0x40000");
  }

  @Test
  void aBinaryRoutingTokenIsShownBySizeOnly() throws Exception {
    Packet p = new Packet(1, LB_LOAD_BALANCE_INFO).blob(new byte[] {1, 2, (byte) 0xFE});
    assertThat(ServerRedirectionPacket.decode(p.bytes()).loadBalanceInfo())
        .isEqualTo("(3 bytes, not text)");
  }

  @Test
  void malformedTwinsNameTheirField() {
    byte[] good = broker().bytes();
    byte[] flags = good.clone();
    flags[1] = 0x08;
    byte[] length = good.clone();
    length[2] = (byte) 0xFF;
    length[3] = (byte) 0xFF;
    byte[] oddString =
        new Packet(1, LB_TARGET_NET_ADDRESS).raw(le32(3), new byte[] {1, 0, 2}).bytes();
    byte[] hugeString = new Packet(1, LB_TARGET_FQDN).raw(le32(514), new byte[514]).bytes();
    byte[] blobPastEnd = new Packet(1, LB_PASSWORD).raw(le32(100), new byte[4]).bytes();
    byte[] manyAddresses = new Packet(1, LB_TARGET_NET_ADDRESSES).raw(le32(4), le32(33)).bytes();
    byte[] listPastEnd = new Packet(1, LB_TARGET_NET_ADDRESSES).raw(le32(400), le32(1)).bytes();
    byte[] truncated = Arrays.copyOf(good, good.length - 30);
    assertMalformed(flags, "SEC_REDIRECTION_PKT");
    assertMalformed(length, "Length 65535");
    assertMalformed(oddString, "must be even");
    assertMalformed(hugeString, "at most 512");
    assertMalformed(blobPastEnd, "Password length 100");
    assertMalformed(manyAddresses, "over the cap of 32");
    assertMalformed(listPastEnd, "TargetNetAddresses length 400");
    assertThatThrownBy(() -> ServerRedirectionPacket.decode(truncated))
        .isInstanceOf(MalformedPduException.class);
    assertThatThrownBy(() -> ServerRedirectionPacket.decode(new byte[3]))
        .isInstanceOf(MalformedPduException.class);
    byte[] notRedirect = enhanced(good, false);
    notRedirect[2] = 0x17; // PDUTYPE_DATAPDU
    assertThatThrownBy(() -> ServerRedirectionPacket.decodeEnhanced(notRedirect))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void mutationsEndInAValueOrMalformedPduException() {
    RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(0x2ED1_2026L);
    byte[] good = enhanced(broker().bytes(), true);
    int values = 0;
    int malformed = 0;
    for (int i = 0; i < 2000; i++) {
      byte[] b = Bytes.mutate(i % 2 == 0 ? good : broker().bytes(), rnd);
      try {
        if (i % 2 == 0) {
          ServerRedirectionPacket.decodeEnhanced(b);
        } else {
          ServerRedirectionPacket.decode(b);
        }
        values++;
      } catch (MalformedPduException e) {
        malformed++;
      }
    }
    assertThat(values).isPositive();
    assertThat(malformed).isPositive();
  }

  private static void assertMalformed(byte[] b, String message) {
    assertThatThrownBy(() -> ServerRedirectionPacket.decode(b))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining(message);
  }

  /** A broker's packet with every field this decoder reads, in the spec's order. */
  public static Packet broker() {
    return new Packet(
            7,
            LB_TARGET_NET_ADDRESS
                | LB_LOAD_BALANCE_INFO
                | LB_USERNAME
                | LB_DOMAIN
                | LB_PASSWORD
                | LB_TARGET_FQDN
                | LB_TARGET_NETBIOS_NAME
                | LB_REDIRECTION_GUID
                | LB_TARGET_NET_ADDRESSES)
        .string("10.0.0.21")
        .blob(
            "tsv://MS Terminal Services Plugin.1.Desktops\r\n".getBytes(StandardCharsets.US_ASCII))
        .string("alice")
        .string("CORP")
        .blob(utf16z(COOKIE))
        .string("rdsh02.corp.example")
        .string("RDSH02")
        .blob(new byte[16])
        .addresses("10.0.0.21", "fe80::21")
        .pad();
  }

  /** 2.2.13.3.1: share control header (type 0xA), pad2Octets, the packet, pad1Octet. */
  public static byte[] enhanced(byte[] packet, boolean pad1) {
    int total = 6 + 2 + packet.length + (pad1 ? 1 : 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(le16(total));
    out.writeBytes(le16(0x0010 | ShareControlHeader.PDUTYPE_SERVER_REDIR_PKT));
    out.writeBytes(le16(0x03EA));
    out.writeBytes(new byte[2]);
    out.writeBytes(packet);
    if (pad1) {
      out.write(0);
    }
    return out.toByteArray();
  }

  /** Writes an RDP_SERVER_REDIRECTION_PACKET: header, then fields in the order added. */
  public static final class Packet {
    private final int sessionId;
    private final int flags;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public Packet(int sessionId, int flags) {
      this.sessionId = sessionId;
      this.flags = flags;
    }

    public Packet string(String s) {
      return blob(utf16z(s));
    }

    public Packet blob(byte[] b) {
      body.writeBytes(le32(b.length));
      body.writeBytes(b);
      return this;
    }

    public Packet addresses(String... addresses) {
      ByteArrayOutputStream list = new ByteArrayOutputStream();
      list.writeBytes(le32(addresses.length));
      for (String a : addresses) {
        byte[] s = utf16z(a);
        list.writeBytes(le32(s.length));
        list.writeBytes(s);
      }
      body.writeBytes(le32(list.size()));
      body.writeBytes(list.toByteArray());
      return this;
    }

    public Packet raw(byte[]... parts) {
      for (byte[] p : parts) {
        body.writeBytes(p);
      }
      return this;
    }

    public Packet pad() {
      body.writeBytes(new byte[8]);
      return this;
    }

    public byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(le16(ServerRedirectionPacket.SEC_REDIRECTION_PKT));
      out.writeBytes(le16(12 + body.size()));
      out.writeBytes(le32(sessionId));
      out.writeBytes(le32(flags));
      out.writeBytes(body.toByteArray());
      return out.toByteArray();
    }
  }

  static byte[] utf16z(String s) {
    return (s + "\0").getBytes(StandardCharsets.UTF_16LE);
  }

  static byte[] le16(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8)};
  }

  static byte[] le32(int v) {
    return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }
}

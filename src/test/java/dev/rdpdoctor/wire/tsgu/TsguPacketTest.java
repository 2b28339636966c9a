package dev.rdpdoctor.wire.tsgu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.codes.ProxyError;
import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.MalformedPduException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every HTTP transport packet against bytes laid out by hand from [MS-TSGU] 2.2.10 (little endian,
 * header = type u16, reserved u16, length u32), each with a malformed twin.
 */
class TsguPacketTest {

  @Test
  void handshakeRequestMatchesSpecLayout() throws Exception {
    byte[] spec = Hex.parse("0100 0000 0e000000 01 00 0000 0000");
    assertThat(HandshakeRequest.standard().encode()).isEqualTo(spec);
    assertThat(HandshakeRequest.decode(spec)).isEqualTo(new HandshakeRequest(1, 0, 0, 0));
  }

  @Test
  void handshakeRequestTruncatedIsMalformed() {
    assertThatThrownBy(() -> HandshakeRequest.decode(Hex.parse("0100 0000 0e000000 01 00")))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void handshakeResponseCarriesHresult() throws Exception {
    byte[] spec = Hex.parse("0200 0000 12000000 d8590780 01 00 0000 0000");
    HandshakeResponse r = HandshakeResponse.decode(spec);
    assertThat(r.errorCode()).isEqualTo(0x800759D8);
    assertThat(ProxyError.of(r.errorCode()).name()).isEqualTo("E_PROXY_INTERNALERROR");
    assertThat(r.encode()).isEqualTo(spec);
  }

  @Test
  void handshakeResponseLengthShorterThanBodyIsMalformed() {
    // packetLength says 10: header plus 2 body bytes, but the body needs 10
    assertThatThrownBy(
            () ->
                HandshakeResponse.decode(Hex.parse("0200 0000 0a000000 d8590780 01 00 0000 0000")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("body bytes");
  }

  @Test
  void wrongPacketTypeIsMalformed() {
    assertThatThrownBy(
            () ->
                HandshakeResponse.decode(Hex.parse("0500 0000 12000000 00000000 01 00 0000 0000")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("expected 0x2");
  }

  @Test
  void hugeLengthIsRefusedBeforeReading() {
    assertThatThrownBy(() -> PacketHeader.peek(Hex.parse("0900 0000 ffffff7f 00000000")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("outside");
  }

  @Test
  void tunnelCreateRoundTripsWithCookie() throws Exception {
    byte[] plain = Hex.parse("0400 0000 10000000 02000000 0000 0000");
    assertThat(TunnelCreate.of(TunnelCreate.CAP_IDLE_TIMEOUT).encode()).isEqualTo(plain);
    byte[] withCookie = Hex.parse("0400 0000 15000000 22000000 0100 0000 0300 616263");
    TunnelCreate t = TunnelCreate.decode(withCookie);
    assertThat(t.capsFlags()).isEqualTo(0x22);
    assertThat(t.paaCookie()).containsExactly('a', 'b', 'c');
  }

  @Test
  void tunnelCreateCookieRunningPastPacketIsMalformed() {
    assertThatThrownBy(
            () ->
                TunnelCreate.decode(Hex.parse("0400 0000 15000000 22000000 0100 0000 0900 616263")))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void tunnelResponseWithIdAndCaps() throws Exception {
    byte[] spec = Hex.parse("0500 0000 1a000000 0100 00000000 0300 0000 07000000 3f000000");
    TunnelResponse r = TunnelResponse.decode(spec);
    assertThat(r).isEqualTo(new TunnelResponse(1, 0, 3, 7, 0x3f, null));
    assertThat(r.encode()).isEqualTo(spec);
  }

  @Test
  void tunnelResponseMissingDeclaredTunnelIdIsMalformed() {
    assertThatThrownBy(
            () -> TunnelResponse.decode(Hex.parse("0500 0000 12000000 0100 00000000 0100 0000")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("tunnelId");
  }

  @Test
  void tunnelAuthCarriesClientNameUtf16WithNul() throws Exception {
    // "PC" = 50 00 43 00 + NUL 00 00: cbClientName 6
    byte[] spec = Hex.parse("0600 0000 12000000 0000 0600 5000 4300 0000");
    assertThat(new TunnelAuth("PC", null).encode()).isEqualTo(spec);
    assertThat(TunnelAuth.decode(spec).clientName()).isEqualTo("PC");
  }

  @Test
  void tunnelAuthOddNameLengthIsMalformed() {
    assertThatThrownBy(
            () -> TunnelAuth.decode(Hex.parse("0600 0000 11000000 0000 0500 5000 4300 00")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("odd");
  }

  @Test
  void tunnelAuthResponseCapDenial() throws Exception {
    byte[] spec = Hex.parse("0700 0000 10000000 db590780 0000 0000");
    TunnelAuthResponse r = TunnelAuthResponse.decode(spec);
    ProxyError e = ProxyError.of(r.errorCode());
    assertThat(e.name()).isEqualTo("E_PROXY_NAP_ACCESSDENIED");
    assertThat(e.side()).isEqualTo("CAP");
    assertThat(e.cause()).isEqualTo("gateway-forbidden");
    assertThat(new TunnelAuthResponse(0x800759DB, 0, null, null).encode()).isEqualTo(spec);
  }

  @Test
  void tunnelAuthResponseTruncatedIsMalformed() {
    assertThatThrownBy(() -> TunnelAuthResponse.decode(Hex.parse("0700 0000 0c000000 db590780")))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void channelCreateToTargetMatchesFreeRdpLayout() throws Exception {
    // 1 resource, 0 alt, port 3389 (0x0d3d), protocol 3, "h" + NUL = 4 bytes
    byte[] spec = Hex.parse("0800 0000 14000000 01 00 3d0d 0300 0400 6800 0000");
    assertThat(ChannelCreate.to("h", 3389).encode()).isEqualTo(spec);
    ChannelCreate c = ChannelCreate.decode(spec);
    assertThat(c.resources()).isEqualTo(List.of("h"));
    assertThat(c.port()).isEqualTo(3389);
    assertThat(c.protocol()).isEqualTo(ChannelCreate.PROTOCOL_RDP);
  }

  @Test
  void channelCreateWithZeroResourcesIsMalformed() {
    assertThatThrownBy(() -> ChannelCreate.decode(Hex.parse("0800 0000 0e000000 00 00 3d0d 0300")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("resource counts");
  }

  @Test
  void channelResponseRapDenialAndSuccess() throws Exception {
    byte[] denied = Hex.parse("0900 0000 10000000 da590780 0000 0000");
    ProxyError e = ProxyError.of(ChannelResponse.decode(denied).errorCode());
    assertThat(e.side()).isEqualTo("RAP");
    byte[] ok = Hex.parse("0900 0000 16000000 00000000 0500 0000 2a000000 470d");
    ChannelResponse r = ChannelResponse.decode(ok);
    assertThat(r).isEqualTo(new ChannelResponse(0, 5, 42, 3399));
    assertThat(r.encode()).isEqualTo(ok);
  }

  @Test
  void channelResponseMissingChannelIdIsMalformed() {
    assertThatThrownBy(
            () -> ChannelResponse.decode(Hex.parse("0900 0000 10000000 00000000 0100 0000")))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void proxyErrorIsOpenAndKnowsBareCodes() {
    assertThat(ProxyError.of(0x12345678).known()).isFalse();
    assertThat(ProxyError.of(0x12345678).failed()).isFalse();
    assertThat(ProxyError.of(0x8007FFFF).name()).isEqualTo("UNKNOWN(0x8007FFFF)");
    assertThat(ProxyError.of(0x8007FFFF).cause()).isEqualTo("gateway-error");
    assertThat(ProxyError.of(0x59E6).name()).isEqualTo("E_PROXY_MAXCONNECTIONSREACHED");
    assertThat(ProxyError.of(0x59E6).failed()).isTrue();
    assertThat(ProxyError.all())
        .extracting(ProxyError::cause)
        .allMatch(c -> c == null || c.startsWith("gateway-"));
  }
}

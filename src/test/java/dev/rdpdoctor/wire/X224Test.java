package dev.rdpdoctor.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.codes.NegotiationFailureCode;
import dev.rdpdoctor.codes.SecurityProtocol;
import org.junit.jupiter.api.Test;

/**
 * X.224 negotiation PDUs from captured bytes. The confirms were captured from xrdp 0.9.21 (Debian
 * 12) in the project's lab; each decoder also gets a malformed twin.
 */
class X224Test {
  /** xrdp security_layer=negotiate, asked for SSL|HYBRID: selects SSL, flags 0x01. */
  static final String XRDP_CC_SSL = "03 00 00 13 0e d0 00 00 12 34 00 02 01 08 00 01 00 00 00";

  /** xrdp security_layer=rdp, asked for anything: selects PROTOCOL_RDP. */
  static final String XRDP_CC_RDP = "03 00 00 13 0e d0 00 00 12 34 00 02 01 08 00 00 00 00 00";

  /** xrdp asked for RDSAAD: answers with an X.224 Data TPDU carrying an MCS DPUM. */
  static final String XRDP_DPUM = "03 00 00 09 02 f0 80 21 80";

  /** A legacy server: Connection Confirm without negotiation data. */
  static final String LEGACY_CC = "03 00 00 0b 06 d0 00 00 12 34 00";

  /** RDP_NEG_FAILURE HYBRID_REQUIRED_BY_SERVER as [MS-RDPBCGR] 2.2.1.2.2 lays it out. */
  static final String FAILURE_5 = "03 00 00 13 0e d0 00 00 12 34 00 03 00 08 00 05 00 00 00";

  @Test
  void encodesConnectionRequestAsTheSpecLaysItOut() {
    byte[] cr =
        new X224ConnectionRequest(
                "rdpdoctor",
                new RdpNegotiation.Request(
                    0, SecurityProtocol.PROTOCOL_SSL | SecurityProtocol.PROTOCOL_HYBRID))
            .encode();
    assertThat(Hex.of(cr))
        .isEqualTo(
            "0300002f2ae00000000000"
                + "436f6f6b69653a206d737473686173683d726470646f63746f720d0a"
                + "0100080003000000");
  }

  @Test
  void connectionRequestRoundTrips() throws Exception {
    X224ConnectionRequest cr =
        new X224ConnectionRequest(
            "eltons", new RdpNegotiation.Request(0, SecurityProtocol.PROTOCOL_RDP));
    assertThat(X224ConnectionRequest.decode(cr.encode())).isEqualTo(cr);
    X224ConnectionRequest bare = new X224ConnectionRequest(null, null);
    assertThat(X224ConnectionRequest.decode(bare.encode())).isEqualTo(bare);
  }

  @Test
  void decodesXrdpSelectingTls() throws Exception {
    X224ConnectionConfirm cc = X224ConnectionConfirm.decode(Hex.parse(XRDP_CC_SSL));
    assertThat(cc.srcRef()).isEqualTo(0x1234);
    assertThat(cc.negotiation())
        .isEqualTo(
            new RdpNegotiation.Response(
                RdpNegotiation.EXTENDED_CLIENT_DATA_SUPPORTED, SecurityProtocol.PROTOCOL_SSL));
  }

  @Test
  void decodesXrdpSelectingStandardSecurity() throws Exception {
    X224ConnectionConfirm cc = X224ConnectionConfirm.decode(Hex.parse(XRDP_CC_RDP));
    assertThat(cc.negotiation()).isEqualTo(new RdpNegotiation.Response(1, 0));
  }

  @Test
  void decodesLegacyConfirmWithoutNegotiationData() throws Exception {
    assertThat(X224ConnectionConfirm.decode(Hex.parse(LEGACY_CC)).negotiation()).isNull();
  }

  @Test
  void decodesFailureWithItsCode() throws Exception {
    X224ConnectionConfirm cc = X224ConnectionConfirm.decode(Hex.parse(FAILURE_5));
    assertThat(cc.negotiation())
        .isEqualTo(new RdpNegotiation.Failure(0, NegotiationFailureCode.HYBRID_REQUIRED_BY_SERVER));
  }

  @Test
  void unknownFailureCodeDecodesInsteadOfThrowing() throws Exception {
    byte[] pdu = Hex.parse("03 00 00 13 0e d0 00 00 12 34 00 03 00 08 00 2a 00 00 00");
    RdpNegotiation.Failure f =
        (RdpNegotiation.Failure) X224ConnectionConfirm.decode(pdu).negotiation();
    assertThat(f.failureCode().isKnown()).isFalse();
    assertThat(f.failureCode().name()).isEqualTo("UNKNOWN(0x2a)");
  }

  @Test
  void unknownNegotiationTypeIsKept() throws Exception {
    byte[] pdu = Hex.parse("03 00 00 13 0e d0 00 00 12 34 00 09 00 08 00 01 00 00 00");
    assertThat(X224ConnectionConfirm.decode(pdu).negotiation())
        .isEqualTo(new RdpNegotiation.Unknown(9, 0, 1));
  }

  @Test
  void confirmRoundTripsThroughItsEncoder() throws Exception {
    X224ConnectionConfirm cc =
        new X224ConnectionConfirm(
            0x1234, new RdpNegotiation.Response(1, SecurityProtocol.PROTOCOL_SSL));
    assertThat(Hex.of(cc.encode())).isEqualTo(Hex.of(Hex.parse(XRDP_CC_SSL)));
  }

  @Test
  void decodesXrdpDisconnectUltimatum() throws Exception {
    byte[] pdu = Hex.parse(XRDP_DPUM);
    assertThat(McsDisconnectProviderUltimatum.isDataTpdu(pdu)).isTrue();
    assertThat(McsDisconnectProviderUltimatum.decode(pdu).reasonName())
        .isEqualTo("rn-user-requested");
  }

  // ---------------------------------------------------------------- malformed twins

  @Test
  void rejectsTpktWithWrongVersion() {
    assertThatThrownBy(
            () ->
                X224ConnectionConfirm.decode(
                    Hex.parse("04 00 00 13 0e d0 00 00 12 34 00 02 01 08 00 01 00 00 00")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("version 4");
  }

  @Test
  void rejectsTpktLengthDisagreeingWithBytes() {
    assertThatThrownBy(
            () ->
                X224ConnectionConfirm.decode(
                    Hex.parse("03 00 00 20 0e d0 00 00 12 34 00 02 01 08 00 01 00 00 00")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("TPKT length 32");
  }

  @Test
  void rejectsLengthIndicatorBeyondThePdu() {
    assertThatThrownBy(
            () ->
                X224ConnectionConfirm.decode(
                    Hex.parse("03 00 00 13 7f d0 00 00 12 34 00 02 01 08 00 01 00 00 00")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("LI 127");
  }

  @Test
  void rejectsConnectionRequestWhereConfirmExpected() {
    assertThatThrownBy(
            () ->
                X224ConnectionConfirm.decode(
                    Hex.parse("03 00 00 13 0e e0 00 00 12 34 00 02 01 08 00 01 00 00 00")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("not CC");
  }

  @Test
  void rejectsNegotiationWithWrongLength() {
    assertThatThrownBy(
            () ->
                X224ConnectionConfirm.decode(
                    Hex.parse("03 00 00 13 0e d0 00 00 12 34 00 02 01 09 00 01 00 00 00")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("negotiation length 9");
  }

  @Test
  void rejectsTruncatedNegotiation() {
    assertThatThrownBy(
            () ->
                X224ConnectionConfirm.decode(
                    Hex.parse("03 00 00 0f 0a d0 00 00 12 34 00 02 01 08 00")))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void rejectsTpktShorterThanAnyTpdu() {
    assertThatThrownBy(() -> Tpkt.decodeHeader(Hex.parse("03 00 00 03")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("shorter");
  }

  @Test
  void rejectsDataTpduThatIsNotAnUltimatum() {
    assertThatThrownBy(
            () -> McsDisconnectProviderUltimatum.decode(Hex.parse("03 00 00 09 02 f0 80 04 01")))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("not a Disconnect");
  }

  @Test
  void rejectsConnectionRequestCookieWithoutCrlf() {
    byte[] pdu = Hex.parse("03 00 00 0e 09 e0 00 00 00 00 00 41 42 43");
    assertThatThrownBy(() -> X224ConnectionRequest.decode(pdu))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("CRLF");
  }

  @Test
  void peerProtocolSnifferNamesCommonServices() {
    byte[] tls = Hex.parse("16 03 01 00 5a");
    assertThat(PeerProtocol.identify(tls, tls.length)).startsWith("TLS handshake");
    byte[] ssh = "SSH-2.0-OpenSSH_9.2\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(PeerProtocol.identify(ssh, ssh.length)).isEqualTo("SSH");
    byte[] http = "HTTP/1.1 400 Bad Request".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(PeerProtocol.identify(http, http.length)).isEqualTo("HTTP");
    assertThat(PeerProtocol.identify(new byte[] {0x00, 0x01}, 2)).isEqualTo("unrecognised bytes");
  }
}

package dev.rdpdoctor.wire.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.McsConnectResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session PDUs: server answers captured from the lab's xrdp over TLS, our requests as xrdp
 * accepted them, and the PDUs no lab peer sends (Set Error Info, Demand Active from a Windows
 * layout, Save Session Info) built field by field from [MS-RDPBCGR]. Each has a malformed twin.
 */
public class SessionPduTest {
  public static byte[] fixture(String name) throws IOException {
    try (InputStream in = SessionPduTest.class.getResourceAsStream("/session/" + name)) {
      return Hex.parse(
          new String(in.readAllBytes(), StandardCharsets.US_ASCII)
              .replaceAll("#[^\n]*", "")
              .replaceAll("\\s", ""));
    }
  }

  /** Wraps userData as the server sends it: TPKT, X.224 Data, MCS Send Data Indication. */
  public static byte[] indication(byte[] userData) {
    return new McsSendData(true, 1002, 1003, userData).encode();
  }

  /** Set Error Info ([MS-RDPBCGR] 2.2.5.1.1) as a TLS server sends it: no security header. */
  public static byte[] setErrorInfo(int errorInfo) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    le16(b, 22); // totalLength: 6 + 12 + 4
    le16(b, 0x17); // PDUTYPE_DATAPDU | TS_PROTOCOL_VERSION
    le16(b, 1002); // pduSource
    le32(b, 0x103EA); // shareId
    b.write(0); // pad1
    b.write(1); // STREAM_LOW
    le16(b, 8); // uncompressedLength
    b.write(0x2F); // PDUTYPE2_SET_ERROR_INFO_PDU
    b.write(0); // compressedType
    le16(b, 0); // compressedLength
    le32(b, errorInfo);
    return b.toByteArray();
  }

  /** Demand Active ([MS-RDPBCGR] 2.2.1.13.1.1) with General and Share capability sets. */
  public static byte[] demandActive() {
    ByteArrayOutputStream caps = new ByteArrayOutputStream();
    le16(caps, 2); // numberCapabilities
    le16(caps, 0); // pad2Octets
    le16(caps, 0x01); // CAPSTYPE_GENERAL
    le16(caps, 24);
    caps.writeBytes(new byte[20]);
    le16(caps, 0x09); // CAPSTYPE_SHARE
    le16(caps, 8);
    caps.writeBytes(new byte[4]);
    byte[] c = caps.toByteArray();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int total = 6 + 4 + 2 + 2 + 4 + c.length + 4;
    le16(b, total);
    le16(b, 0x11); // PDUTYPE_DEMANDACTIVEPDU | TS_PROTOCOL_VERSION
    le16(b, 1002);
    le32(b, 0x103EA); // shareId
    le16(b, 4); // lengthSourceDescriptor
    le16(b, c.length);
    b.writeBytes("RDP\0".getBytes(StandardCharsets.US_ASCII));
    b.writeBytes(c);
    le32(b, 0); // sessionId
    return b.toByteArray();
  }

  static void le16(ByteArrayOutputStream b, int v) {
    b.write(v & 0xFF);
    b.write((v >> 8) & 0xFF);
  }

  static void le32(ByteArrayOutputStream b, int v) {
    le16(b, v & 0xFFFF);
    le16(b, v >>> 16);
  }

  @Test
  void ourRequestsAreTheBytesXrdpAccepted() throws Exception {
    assertThat(new McsErectDomainRequest().encode())
        .isEqualTo(fixture("rdpdoctor-erect-domain.hex"));
    assertThat(new McsAttachUserRequest().encode())
        .isEqualTo(fixture("rdpdoctor-attach-user-request.hex"));
    assertThat(new McsChannelJoinRequest(1002, 1002).encode())
        .isEqualTo(fixture("rdpdoctor-channel-join-request-user.hex"));
    assertThat(new McsSendData(false, 1002, 1003, ClientInfoPdu.probe().encode()).encode())
        .isEqualTo(fixture("rdpdoctor-client-info.hex"));
  }

  @Test
  void clientInfoCarriesNoCredentialsAndAsksForLogonErrors() throws Exception {
    McsSendData d = McsSendData.decode(fixture("rdpdoctor-client-info.hex"));
    assertThat(d.indication()).isFalse();
    assertThat(d.channelId()).isEqualTo(1003);
    byte[] info = d.data();
    // basic security header SEC_INFO_PKT, then CodePage and flags
    assertThat(info[0] & 0xFF).isEqualTo(ClientInfoPdu.SEC_INFO_PKT);
    int flags = (info[8] & 0xFF) | (info[9] & 0xFF) << 8 | (info[10] & 0xFF) << 16;
    assertThat(flags & ClientInfoPdu.INFO_LOGONERRORS).isNotZero();
    assertThat(flags & ClientInfoPdu.INFO_UNICODE).isNotZero();
    // cbDomain .. cbWorkingDir all zero: nothing secret in it
    assertThat(Arrays.copyOfRange(info, 12, 22)).containsOnly(0);
  }

  @Test
  void xrdpConnectResponseOverTlsNamesTheIoChannel() throws Exception {
    McsConnectResponse r = McsConnectResponse.decode(fixture("xrdp-connect-response-tls.hex"));
    assertThat(r.result()).isZero();
    assertThat(r.network().ioChannelId()).isEqualTo(1003);
    assertThat(r.security().encryptionMethod()).isZero();
  }

  @Test
  void xrdpAttachUserConfirmGivesTheUserChannel() throws Exception {
    McsAttachUserConfirm c = McsAttachUserConfirm.decode(fixture("xrdp-attach-user-confirm.hex"));
    assertThat(c.result()).isZero();
    assertThat(c.userId()).isEqualTo(1002);
    assertThat(c.encode()).isEqualTo(fixture("xrdp-attach-user-confirm.hex"));
  }

  @Test
  void attachUserConfirmTwins() throws Exception {
    byte[] ok = fixture("xrdp-attach-user-confirm.hex");
    byte[] cut = Arrays.copyOf(ok, ok.length - 1);
    cut[3] = (byte) cut.length;
    assertThatThrownBy(() -> McsAttachUserConfirm.decode(cut))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("initiator");
    byte[] wrong = ok.clone();
    wrong[7] = 0x3E; // a Channel Join Confirm's CHOICE
    assertThatThrownBy(() -> McsAttachUserConfirm.decode(wrong))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("not an Attach User");
  }

  @Test
  void xrdpChannelJoinConfirmsAndTheirTwins() throws Exception {
    McsChannelJoinConfirm user =
        McsChannelJoinConfirm.decode(fixture("xrdp-channel-join-confirm-user.hex"));
    assertThat(user).isEqualTo(new McsChannelJoinConfirm(0, 1002, 1002, 1002));
    McsChannelJoinConfirm io =
        McsChannelJoinConfirm.decode(fixture("xrdp-channel-join-confirm-io.hex"));
    assertThat(io.channelId()).isEqualTo(1003);
    assertThat(io.encode()).isEqualTo(fixture("xrdp-channel-join-confirm-io.hex"));

    byte[] lying = fixture("xrdp-channel-join-confirm-io.hex");
    lying[3] = 0x20; // TPKT length beyond the bytes present
    assertThatThrownBy(() -> McsChannelJoinConfirm.decode(lying))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("TPKT length");
    byte[] cut = Arrays.copyOf(fixture("xrdp-channel-join-confirm-io.hex"), 12);
    cut[3] = 12;
    assertThatThrownBy(() -> McsChannelJoinConfirm.decode(cut))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void xrdpLicenseRequestIsRecognisedAsTheStartOfLicensing() throws Exception {
    byte[] pdu = fixture("xrdp-license-request.hex");
    assertThat(McsSendData.choice(pdu)).isEqualTo(McsSendData.INDICATION);
    McsSendData d = McsSendData.decode(pdu);
    assertThat(d.channelId()).isEqualTo(1003);
    assertThat(ShareControlHeader.looksLike(d.data())).isFalse();
    assertThat(LicensingPdu.isLicensing(d.data())).isTrue();
    LicensingPdu l = LicensingPdu.decode(d.data());
    assertThat(l.msgType()).isEqualTo(LicensingPdu.LICENSE_REQUEST);
    assertThat(l.msgSize()).isEqualTo(d.data().length - 4);
    assertThat(l.validClient()).isFalse();
    assertThat(l.describe()).isEqualTo("LICENSE_REQUEST");
  }

  @Test
  void licensingTwins() throws Exception {
    byte[] data = McsSendData.decode(fixture("xrdp-license-request.hex")).data();
    byte[] big = data.clone();
    big[6] = (byte) 0xFF; // wMsgSize beyond the PDU
    big[7] = (byte) 0x7F;
    assertThatThrownBy(() -> LicensingPdu.decode(big))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("wMsgSize");
    // STATUS_VALID_CLIENT ([MS-RDPBCGR] 4.1.12 layout), then the same with its blob cut short
    byte[] valid = Hex.parse("80000000ff031000070000000200000004000000");
    LicensingPdu v = LicensingPdu.decode(valid);
    assertThat(v.validClient()).isTrue();
    assertThat(v.describe()).isEqualTo("STATUS_VALID_CLIENT");
    byte[] shortBlob = valid.clone();
    shortBlob[18] = 9; // wBlobLen 9, no bytes follow
    assertThatThrownBy(() -> LicensingPdu.decode(shortBlob))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("blob");
  }

  @Test
  void sendDataTwins() throws Exception {
    byte[] pdu = fixture("xrdp-license-request.hex");
    byte[] longer = pdu.clone();
    longer[13] = (byte) 0x81;
    longer[14] = 0x50; // PER length 0x150, more than follows
    assertThatThrownBy(() -> McsSendData.decode(longer))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("Send Data length");
    byte[] fragmented = pdu.clone();
    fragmented[13] = (byte) 0xC1;
    assertThatThrownBy(() -> McsSendData.decode(fragmented))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("fragmented");
  }

  @Test
  void setErrorInfoServerDeniedConnection() throws Exception {
    byte[] pdu = indication(setErrorInfo(0x7));
    byte[] data = McsSendData.decode(pdu).data();
    assertThat(ShareControlHeader.looksLike(data)).isTrue();
    SetErrorInfoPdu s = SetErrorInfoPdu.decode(data);
    assertThat(s.errorInfo()).isEqualTo(7);
    assertThat(s.shareId()).isEqualTo(0x103EA);
  }

  @Test
  void setErrorInfoTwins() {
    byte[] cut = Arrays.copyOf(setErrorInfo(0x7), 20);
    cut[0] = 20; // consistent totalLength, errorInfo cut in half
    assertThatThrownBy(() -> SetErrorInfoPdu.decode(cut))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("errorInfo");
    byte[] lying = setErrorInfo(0x7);
    lying[0] = 40;
    assertThatThrownBy(() -> SetErrorInfoPdu.decode(lying))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("totalLength");
    byte[] other = setErrorInfo(0x7);
    other[14] = 0x26;
    assertThatThrownBy(() -> SetErrorInfoPdu.decode(other))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("not a Set Error Info");
  }

  @Test
  void demandActiveHeaderAndCapabilities() throws Exception {
    DemandActivePdu d = DemandActivePdu.decode(demandActive());
    assertThat(d.shareId()).isEqualTo(0x103EA);
    assertThat(d.sourceDescriptor()).isEqualTo("RDP");
    assertThat(d.capabilityTypes()).containsExactly(1, 9);
    assertThat(d.capabilityTypes().stream().map(DemandActivePdu::capabilityName).toList())
        .isEqualTo(List.of("General", "Share"));
    assertThat(d.sessionId()).isZero();
  }

  @Test
  void demandActiveTwins() {
    byte[] tooMany = demandActive();
    tooMany[18] = (byte) 0xFF; // numberCapabilities 255
    assertThatThrownBy(() -> DemandActivePdu.decode(tooMany))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("beyond cap");
    byte[] badCap = demandActive();
    badCap[24] = 2; // General capability length 2: shorter than its own header
    assertThatThrownBy(() -> DemandActivePdu.decode(badCap))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("below its own header");
    byte[] overrun = demandActive();
    overrun[13] = 0x7F; // lengthCombinedCapabilities beyond the PDU
    assertThatThrownBy(() -> DemandActivePdu.decode(overrun))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void saveSessionInfoLogonErrorAndTwin() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    le16(b, 6 + 12 + 4 + 2 + 4 + 4 + 8);
    le16(b, 0x17);
    le16(b, 1002);
    le32(b, 0x103EA);
    b.write(0);
    b.write(1);
    le16(b, 0);
    b.write(0x26); // PDUTYPE2_SAVE_SESSION_INFO
    b.write(0);
    le16(b, 0);
    le32(b, 3); // INFOTYPE_LOGON_EXTENDED_INFO
    le16(b, 18);
    le32(b, 0x2); // LOGON_EX_LOGONERRORS
    le32(b, 8);
    le32(b, 0xFFFFFFFC); // LOGON_MSG_DISCONNECT_REFUSED
    le32(b, 0);
    SaveSessionInfoPdu s = SaveSessionInfoPdu.decode(b.toByteArray());
    assertThat(SaveSessionInfoPdu.logonErrorName(s.logonErrorType()))
        .isEqualTo("LOGON_MSG_DISCONNECT_REFUSED");
    byte[] bad = b.toByteArray();
    bad[28] = 9; // cbFieldData 9 instead of 8
    assertThatThrownBy(() -> SaveSessionInfoPdu.decode(bad))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("cbFieldData");
  }

  @Test
  void xrdpDemandActiveAndValidClient() throws Exception {
    DemandActivePdu d =
        DemandActivePdu.decode(McsSendData.decode(fixture("xrdp-demand-active.hex")).data());
    assertThat(d.capabilityTypes()).hasSize(10);
    assertThat(d.capabilityTypes()).contains(0x01, 0x02);
    assertThat(d.sourceDescriptor()).isEqualTo("RDP");
    LicensingPdu v =
        LicensingPdu.decode(McsSendData.decode(fixture("xrdp-valid-client.hex")).data());
    assertThat(v.validClient()).isTrue();
    byte[] cut = McsSendData.decode(fixture("xrdp-demand-active.hex")).data();
    byte[] shorter = Arrays.copyOf(cut, cut.length - 40);
    shorter[0] = (byte) shorter.length;
    shorter[1] = (byte) (shorter.length >> 8);
    assertThatThrownBy(() -> DemandActivePdu.decode(shorter))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void xrdpLicenseRequestCarriesItsRsaKeyAndTwin() throws Exception {
    byte[] data = McsSendData.decode(fixture("xrdp-license-request.hex")).data();
    ServerLicenseRequest r = ServerLicenseRequest.decode(data);
    assertThat(r.serverRandom()).hasSize(32);
    assertThat(r.certificate().kind()).isEqualTo("proprietary");
    assertThat(r.certificate().modulusBits()).isEqualTo(512);
    assertThat(r.certificate().exponent()).isEqualTo(65537L);
    byte[] lying = data.clone();
    lying[8 + 32 + 4] = (byte) 0xFF; // cbCompanyName far beyond the PDU
    lying[8 + 32 + 5] = (byte) 0xFF;
    assertThatThrownBy(() -> ServerLicenseRequest.decode(lying))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("cbCompanyName");
  }

  @Test
  void premasterEncryptionIsLittleEndianRsaThatTheKeyHolderCanUndo() throws Exception {
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(512);
    java.security.KeyPair kp = g.generateKeyPair();
    var pub = (java.security.interfaces.RSAPublicKey) kp.getPublic();
    var priv = (java.security.interfaces.RSAPrivateKey) kp.getPrivate();
    byte[] premaster = new byte[48];
    new java.util.Random(7).nextBytes(premaster);
    byte[] enc =
        dev.rdpdoctor.wire.security.RdpRsa.encrypt(
            premaster, pub.getModulus(), pub.getPublicExponent().longValueExact());
    assertThat(enc).hasSize(64 + 8);
    assertThat(Arrays.copyOfRange(enc, 64, 72)).containsOnly(0);
    java.math.BigInteger c = new java.math.BigInteger(1, reverse(Arrays.copyOf(enc, 64)));
    byte[] back = c.modPow(priv.getPrivateExponent(), pub.getModulus()).toByteArray();
    byte[] le = reverse(back);
    assertThat(Arrays.copyOf(le, 48)).isEqualTo(premaster);
    byte[] pdu = new ClientNewLicenseRequest(new byte[32], enc).encode();
    LicensingPdu l = LicensingPdu.decode(pdu);
    assertThat(l.msgType()).isEqualTo(ClientNewLicenseRequest.NEW_LICENSE_REQUEST);
    assertThat(l.msgSize()).isEqualTo(pdu.length - 4);
  }

  /** Byte order flip, written here so the test does not trust the code it checks. */
  static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }
}

package dev.rdpdoctor.codes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Values and names checked against protocol-facts.md §1 and the specifications it cites. */
class CodeTablesTest {
  private static List<Integer> codes(java.util.Collection<? extends OpenCode> known) {
    return known.stream().map(OpenCode::code).toList();
  }

  @Test
  void disconnectReasonTableIsComplete() {
    assertThat(codes(DisconnectReason.known()))
        .containsExactlyInAnyOrder(
            0x0, 0x1, 0x2, 0x3, 0x104, 0x106, 0x108, 0x204, 0x206, 0x208, 0x304, 0x306, 0x308,
            0x404, 0x406, 0x408, 0x506, 0x508, 0x604, 0x606, 0x608, 0x704, 0x706, 0x804, 0x807,
            0x808, 0x904, 0x906, 0x908, 0xA06, 0xA07, 0xB06, 0xB07, 0xC06, 0xC07, 0xC08, 0xD07,
            0xE07, 0xF07, 0x1207, 0x1607, 0x1707, 0x1807, 0x1B07, 0x1C07, 0x2107, 0x2207);
  }

  @Test
  void fdCloseIsTheServerClosingTheConnection() {
    DisconnectReason r = DisconnectReason.valueOf(2308);
    assertThat(r).isSameAs(DisconnectReason.AT_CLIENT_WINSOCK_FDCLOSE);
    assertThat(r.name()).isEqualTo("AtClientWinsockFDCLOSE");
    assertThat(r.symbol()).isEqualTo("disconnectReasonAtClientWinsockFDCLOSE");
    assertThat(r.description())
        .isEqualTo("the server (or something on the path) closed the connection");
    assertThat(r.causes())
        .startsWith("server-closed-connection")
        .contains(
            "pmtu-blackhole",
            "tls-handshake-failed",
            "nla-required",
            "packet-loss",
            "connection-limit");
    assertThat(r.layer()).isEqualTo("network layer");
  }

  @Test
  void disconnectReasonCausesMatchTheLayer() {
    assertThat(DisconnectReason.valueOf(0x204).causes())
        .containsExactly("port-closed", "port-filtered", "host-unreachable", "dns-wrong-address");
    for (int dns : new int[] {0x104, 0x208, 0x508, 0x604}) {
      assertThat(DisconnectReason.valueOf(dns).causes()).containsExactly("dns-unresolvable");
    }
    for (int timeout : new int[] {0x108, 0x704}) {
      assertThat(DisconnectReason.valueOf(timeout).causes())
          .containsExactly("port-filtered", "host-unreachable", "high-latency");
    }
    assertThat(DisconnectReason.valueOf(0x807).causes()).startsWith("logon-failed");
    assertThat(DisconnectReason.valueOf(0x1B07).causes()).containsExactly("cert-expired");
    assertThat(DisconnectReason.valueOf(0xD07).causes()).containsExactly("account-locked");
    // The SSL_ERR_* names are Wincred.h constants and keep their own spelling.
    assertThat(DisconnectReason.valueOf(0x807).symbol()).isEqualTo("SSL_ERR_LOGON_FAILURE");
    assertThat(DisconnectReason.valueOf(0x1104).isKnown()).isFalse();
    assertThat(DisconnectReason.valueOf(0x1104).layer()).isEqualTo("network layer");
  }

  @Test
  void extendedReasonCoversLicensingAndCredentials() {
    assertThat(codes(ExtendedDisconnectReason.known()))
        .containsAll(IntStream.rangeClosed(256, 267).boxed().toList());
    assertThat(codes(ExtendedDisconnectReason.known()))
        .contains(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 25, 26, 768);
    assertThat(ExtendedDisconnectReason.valueOf(7))
        .isSameAs(ExtendedDisconnectReason.SERVER_DENIED_CONNECTION);
    assertThat(ExtendedDisconnectReason.valueOf(7).causes())
        .containsExactly("server-denied-connection");
    assertThat(ExtendedDisconnectReason.valueOf(12).symbol()).isEqualTo("exDiscReasonLogoffByUser");
    assertThat(ExtendedDisconnectReason.valueOf(258).causes()).containsExactly("licensing-failed");
    assertThat(ExtendedDisconnectReason.valueOf(768).causes()).containsExactly("logon-failed");
  }

  @Test
  void extendedProtocolRangeIsTheServersErrorInfo() {
    ExtendedDisconnectReason x = ExtendedDisconnectReason.valueOf(0x10F3);
    assertThat(x.isKnown()).isTrue();
    assertThat(x.errorInfo()).isSameAs(ErrorInfo.REMOTEAPP_NOT_ENABLED);
    assertThat(x.symbol()).isEqualTo("ERRINFO_REMOTEAPP_NOT_ENABLED");
    assertThat(x.causes()).containsExactly("rdp-file-misconfigured");
    // Inside the range but unnamed: decoded, honest, not claimed as known.
    ExtendedDisconnectReason odd = ExtendedDisconnectReason.valueOf(0x2000);
    assertThat(odd.isKnown()).isFalse();
    assertThat(odd.description()).contains("protocol error");
    assertThat(ExtendedDisconnectReason.isProtocolRange(4096)).isTrue();
    assertThat(ExtendedDisconnectReason.isProtocolRange(32767)).isTrue();
    assertThat(ExtendedDisconnectReason.isProtocolRange(32768)).isFalse();
    assertThat(ExtendedDisconnectReason.valueOf(40000).isKnown()).isFalse();
  }

  @Test
  void extendedAndErrorInfoAgreeWhereBothDefineAValue() {
    for (ExtendedDisconnectReason x : ExtendedDisconnectReason.known()) {
      ErrorInfo info = ErrorInfo.valueOf(x.code());
      if (info.isKnown() && x.code() != 0) {
        assertThat(x.errorInfo()).isSameAs(info);
        assertThat(x.causes()).as(x.symbol()).isEqualTo(info.causes());
      }
    }
  }

  @Test
  void errorInfoRangesAreComplete() {
    List<Integer> all = codes(ErrorInfo.known());
    assertThat(all).containsAll(IntStream.rangeClosed(0x100, 0x10A).boxed().toList());
    assertThat(all).containsAll(IntStream.rangeClosed(0x1111, 0x1126).boxed().toList());
    assertThat(all).containsAll(IntStream.rangeClosed(0x1129, 0x1136).boxed().toList());
    assertThat(all).containsAll(IntStream.rangeClosed(0x1191, 0x1195).boxed().toList());
    assertThat(all)
        .contains(0x400, 0x402, 0x404, 0x405, 0x406, 0x407, 0x408, 0x409, 0x410, 0x411, 0x412);
    assertThat(all)
        .contains(
            0x10C9, 0x10CA, 0x10CB, 0x10CD, 0x10CE, 0x10CF, 0x10D0, 0x10D1, 0x10D2, 0x10D3, 0x10D4,
            0x10D5, 0x10DA, 0x10DB, 0x10DC, 0x10DD, 0x10DE, 0x10DF, 0x10E0, 0x10E1, 0x10E2, 0x10E3,
            0x10E5, 0x10E7, 0x10E8, 0x10E9, 0x10EA, 0x10EC, 0x10ED, 0x10EF, 0x10F0, 0x10F3, 0x10F4,
            0x10F5, 0x10F6, 0x10F7, 0x10F8);
    // Gaps in the spec stay gaps.
    assertThat(all).doesNotContain(0x0D, 0x0E, 0x401, 0x403, 0x10CC, 0x10E4, 0x10F1, 0x1127);
    assertThat(ErrorInfo.valueOf(0x1111).symbol()).isEqualTo("ERRINFO_SECURITY_DATA_TOO_SHORT2");
    assertThat(ErrorInfo.valueOf(0x1126).symbol()).isEqualTo("ERRINFO_SECURITY_DATA_TOO_SHORT23");
  }

  @Test
  void errorInfoCausesFollowTheCatalogue() {
    assertThat(ErrorInfo.valueOf(0x7).causes()).containsExactly("server-denied-connection");
    assertThat(ErrorInfo.valueOf(0x9).causes()).startsWith("server-insufficient-privileges");
    assertThat(ErrorInfo.valueOf(0x5).causes()).containsExactly("session-replaced");
    for (int lic = 0x100; lic <= 0x10A; lic++) {
      assertThat(ErrorInfo.valueOf(lic).causes()).startsWith("licensing-failed");
      assertThat(ErrorInfo.valueOf(lic).group()).isEqualTo("licensing");
    }
    for (ErrorInfo e : ErrorInfo.known()) {
      if (e.code() >= 0x400 && e.code() <= 0x412) {
        assertThat(e.causes()).as(e.symbol()).startsWith("broker-redirect-failed");
      }
    }
    assertThat(ErrorInfo.valueOf(0x1194).causes()).containsExactly("standard-security-only");
    assertThat(ErrorInfo.valueOf(0x3).causes()).as("idle timeout is policy, not a fault").isEmpty();
    assertThat(ErrorInfo.valueOf(0x4FF).group()).isEqualTo("connection broker");
  }

  @Test
  void ntStatusDecodesSignedAndUnsignedAlike() {
    assertThat(NtStatus.valueOf(-1073741715)).isSameAs(NtStatus.LOGON_FAILURE);
    assertThat(NtStatus.valueOf(0xC000006D).hex()).isEqualTo("0xC000006D");
    assertThat(NtStatus.LOGON_FAILURE.symbol()).isEqualTo("STATUS_LOGON_FAILURE");
    assertThat(NtStatus.valueOf(0xC0000001).description()).contains("error");
    assertThat(NtStatus.valueOf(0x00000103).description()).contains("success");
  }

  @Test
  void ntStatusCausesAreTheLogonIds() {
    assertThat(NtStatus.valueOf(0xC000006D).causes()).startsWith("logon-failed");
    assertThat(NtStatus.valueOf(0xC0000234).causes()).containsExactly("account-locked");
    assertThat(NtStatus.valueOf(0xC0000072).causes()).containsExactly("account-disabled");
    assertThat(NtStatus.valueOf(0xC0000193).causes()).containsExactly("account-expired");
    assertThat(NtStatus.valueOf(0xC0000071).causes()).containsExactly("password-expired");
    assertThat(NtStatus.valueOf(0xC0000224).causes()).containsExactly("password-must-change");
    assertThat(NtStatus.valueOf(0xC000015B).causes()).containsExactly("logon-right-missing");
    assertThat(NtStatus.valueOf(0xC000006E).causes()).containsExactly("account-restriction");
    assertThat(NtStatus.valueOf(0xC000005E).causes()).containsExactly("no-logon-authority");
    assertThat(NtStatus.valueOf(0xC0000133).causes()).containsExactly("clock-skew");
    assertThat(NtStatus.valueOf(0xC0000016).causes()).isEmpty();
    assertThat(NtStatus.known()).hasSize(24);
  }

  @Test
  void errConnectTableAndCombinedCodes() {
    assertThat(codes(ErrConnect.known()))
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 0x1E).boxed().toList());
    assertThat(ErrConnect.valueOf(0x1E).causes()).containsExactly("nla-required");

    ErrConnect.Combined denied = ErrConnect.decodeCombined(0x00010007);
    assertThat(denied.errorClass()).isEqualTo(ErrConnect.CLASS_ERRINFO);
    assertThat(denied.detail()).isSameAs(ErrorInfo.SERVER_DENIED_CONNECTION);
    assertThat(denied.symbol()).isEqualTo("FREERDP_ERROR_SERVER_DENIED_CONNECTION");
    assertThat(denied.isKnown()).isTrue();

    ErrConnect.Combined transport = ErrConnect.decodeCombined(0x0002000D);
    assertThat(transport.className()).isEqualTo("CONNECT");
    assertThat(transport.detail()).isSameAs(ErrConnect.CONNECT_TRANSPORT_FAILED);

    assertThat(ErrConnect.decodeCombined(0x00090001).isKnown()).isFalse();
    assertThat(ErrConnect.decodeCombined(0x00090001).detail()).isNull();
    assertThat(ErrConnect.decodeCombined(0x0002FFFF).isKnown()).isFalse();
    assertThat(ErrConnect.isCombined(0x7)).isFalse();
    assertThat(ErrConnect.isCombined(0x00010007)).isTrue();
  }

  @Test
  void tlsAlertsCoverTheRegistryUpTo120() {
    assertThat(codes(TlsAlert.known()))
        .containsExactlyInAnyOrder(
            0, 10, 20, 21, 22, 30, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 60, 70, 71,
            80, 86, 90, 100, 109, 110, 111, 112, 113, 114, 115, 116, 120);
    assertThat(TlsAlert.valueOf(40).name()).isEqualTo("handshake_failure");
    assertThat(TlsAlert.valueOf(70).causes()).startsWith("tls-legacy-only");
    assertThat(TlsAlert.valueOf(45).causes()).startsWith("cert-expired");
    assertThat(TlsAlert.valueOf(0).causes()).isEmpty();
    assertThat(TlsAlert.valueOf(255).isKnown()).isFalse();
  }
}

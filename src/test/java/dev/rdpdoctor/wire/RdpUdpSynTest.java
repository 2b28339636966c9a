package dev.rdpdoctor.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** [MS-RDPEUDP] SYN / SYN+ACK bytes written out from the spec's layout (2.2.2.1, 2.2.2.5). */
class RdpUdpSynTest {
  /** SYN: snSourceAck -1, window 64, flags SYN, ISN 0x11223344, MTUs 1232/1232. */
  static final String SYN_HEADER = "ffffffff" + "0040" + "0001" + "11223344" + "04d0" + "04d0";

  /** SYN+ACK: acks ISN 0x11223344, window 64, SYN|ACK, server ISN 0xa1b2c3d4, MTUs 1232/1132. */
  static final byte[] SYN_ACK =
      Hex.parse("11223344" + "0040" + "0005" + "a1b2c3d4" + "04d0" + "046c");

  @Test
  void clientSynIsBigEndianAndPaddedTo1232Bytes() {
    byte[] b = RdpUdpSyn.clientSyn(0x11223344).encode();
    assertThat(b).hasSize(1232);
    assertThat(Hex.of(Arrays.copyOf(b, 16))).isEqualToIgnoringCase(SYN_HEADER);
    for (int i = 16; i < b.length; i++) {
      assertThat(b[i]).as("padding byte %d", i).isZero();
    }
  }

  @Test
  void decodesSynAck() throws MalformedPduException {
    RdpUdpSyn s = RdpUdpSyn.decode(SYN_ACK, SYN_ACK.length);
    assertThat(s.isSynAck()).isTrue();
    assertThat(s.snSourceAck()).isEqualTo(0x11223344);
    assertThat(s.initialSequenceNumber()).isEqualTo(0xa1b2c3d4);
    assertThat(s.receiveWindowSize()).isEqualTo(64);
    assertThat(s.upStreamMtu()).isEqualTo(1232);
    assertThat(s.downStreamMtu()).isEqualTo(1132);
  }

  @Test
  void roundTripsAndToleratesTrailingPayloads() throws MalformedPduException {
    RdpUdpSyn s =
        new RdpUdpSyn(
            7,
            32,
            RdpUdpSyn.FLAG_SYN | RdpUdpSyn.FLAG_ACK | RdpUdpSyn.FLAG_CORRELATION_ID,
            9,
            1132,
            1200);
    byte[] b = s.encode(1232);
    assertThat(RdpUdpSyn.decode(b, b.length)).isEqualTo(s);
    assertThat(RdpUdpSyn.decode(RdpUdpSyn.clientSyn(1).encode(), 1232).isSynAck()).isFalse();
  }

  @Test
  void malformedTwinTruncated() {
    assertThatThrownBy(() -> RdpUdpSyn.decode(SYN_ACK, 15))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("uDownStreamMtu");
    assertThatThrownBy(() -> RdpUdpSyn.decode(SYN_ACK, 0))
        .isInstanceOf(MalformedPduException.class);
  }

  @Test
  void malformedTwinWithoutSynFlagOrWithMtuOutOfRange() {
    byte[] noSyn = SYN_ACK.clone();
    noSyn[7] = 0x04; // ACK only
    assertThatThrownBy(() -> RdpUdpSyn.decode(noSyn, noSyn.length))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("SYN");
    byte[] bigMtu = SYN_ACK.clone();
    bigMtu[12] = 0x05; // 0x05d0 = 1488 > 1232
    assertThatThrownBy(() -> RdpUdpSyn.decode(bigMtu, bigMtu.length))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("MTU");
  }

  @Test
  void refusesOversizedDatagramsAndLengths() {
    byte[] huge = new byte[RdpUdpSyn.MAX_DATAGRAM + 1];
    assertThatThrownBy(() -> RdpUdpSyn.decode(huge, huge.length))
        .isInstanceOf(MalformedPduException.class);
    assertThatThrownBy(() -> RdpUdpSyn.clientSyn(1).encode(15))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package dev.rdpdoctor.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.rdpdoctor.testing.ServerInput;

/**
 * Coverage-guided fuzz targets (Jazzer) for every decoder that reads bytes from a server or a file,
 * one per {@link ServerInput} group, each method named after its seed directory
 * (DecoderFuzzTestInputs/&lt;method&gt;/). A decoder may return a value or throw its documented
 * error, which {@link ServerInput#decode} absorbs; any other exception, a hang or an allocation
 * blow-up is a finding.
 *
 * <p>In a normal build (no JAZZER_FUZZ) each target only replays its seeds and any crash files kept
 * beside them, so it costs a few milliseconds. With JAZZER_FUZZ=1 and one method selected, Jazzer
 * mutates from those seeds for {@link #MAX_DURATION}; see docs/fuzzing.md.
 */
class DecoderFuzzTest {
  /** How long one fuzzing run of one target lasts when JAZZER_FUZZ is set. */
  static final String MAX_DURATION = "60s";

  @FuzzTest(maxDuration = MAX_DURATION)
  void x224(byte[] data) {
    ServerInput.X224.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void tsRequest(byte[] data) {
    ServerInput.TS_REQUEST.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void ntlmChallenge(byte[] data) {
    ServerInput.NTLM_CHALLENGE.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void mcsConnectResponse(byte[] data) {
    ServerInput.MCS_CONNECT_RESPONSE.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void mcsDomainPdu(byte[] data) {
    ServerInput.MCS_DOMAIN_PDU.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void shareData(byte[] data) {
    ServerInput.SHARE_DATA.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void tsgu(byte[] data) {
    ServerInput.TSGU.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void httpHead(byte[] data) {
    ServerInput.HTTP_HEAD.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void rdpUdp(byte[] data) {
    ServerInput.RDP_UDP.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void evtx(byte[] data) {
    ServerInput.EVTX.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void eventLogFile(byte[] data) {
    ServerInput.EVENT_LOG_FILE.decode(data);
  }

  @FuzzTest(maxDuration = MAX_DURATION)
  void rdpFile(byte[] data) {
    ServerInput.RDP_FILE.decode(data);
  }
}

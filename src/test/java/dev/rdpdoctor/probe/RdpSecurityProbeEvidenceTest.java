package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.RdpSecurityEvidence;
import dev.rdpdoctor.evidence.RdpSecurityEvidence.Method;
import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.McsConnectResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * From a Connect Response to the rdp_security certificate facts: the spec's 4.1.4 example as the
 * server sent it, and the same response after a machine in the middle swapped one byte of the key
 * (what no lab server does, so the bytes stand in for it).
 */
class RdpSecurityProbeEvidenceTest {
  static byte[] spec() throws IOException {
    try (InputStream in =
        RdpSecurityProbeEvidenceTest.class.getResourceAsStream(
            "/mcs/spec-4.1.4-connect-response.hex")) {
      return Hex.parse(
          new String(in.readAllBytes(), StandardCharsets.US_ASCII)
              .replaceAll("#[^\n]*", "")
              .replaceAll("\\s", ""));
    }
  }

  static RdpSecurityEvidence.Certificate certificate(byte[] pdu) throws Exception {
    McsConnectResponse r = McsConnectResponse.decode(pdu);
    RdpSecurityProbe.Attempt accepted =
        new RdpSecurityProbe.Attempt(
            new Method("128-bit", 0x02, true, 0x02, 2, "accepted", null, 4), r);
    return RdpSecurityProbe.evidence("198.19.1.2:3389", List.of(accepted), 9).certificate();
  }

  @Test
  void specResponseRecordsAValidSignature() throws Exception {
    RdpSecurityEvidence.Certificate c = certificate(spec());
    assertThat(c.kind()).isEqualTo("proprietary");
    assertThat(c.modulusBits()).isEqualTo(512);
    assertThat(c.signatureValid()).isTrue();
    assertThat(c.signatureDetail()).isEqualTo("verified");
  }

  @Test
  void substitutedKeyRecordsAnInvalidSignature() throws Exception {
    byte[] pdu = spec();
    int rsa = new String(pdu, StandardCharsets.ISO_8859_1).indexOf("RSA1");
    pdu[rsa + 20 + 63] ^= 0x04; // the modulus' last (most significant) byte
    RdpSecurityEvidence.Certificate c = certificate(pdu);
    assertThat(c.signatureValid()).isFalse();
    assertThat(c.signatureDetail()).contains("does not match");
  }
}

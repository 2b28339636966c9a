package dev.rdpdoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.evidence.RdpSecurityEvidence.Certificate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** probes.rdp_security.certificate.signature_valid as the JSON contract names it. */
class RdpSecurityJsonTest {
  static JsonNode json(Certificate c) {
    return JsonReport.MAPPER.readTree(JsonReport.MAPPER.writeValueAsString(c));
  }

  @Test
  void signatureResultIsSnakeCaseAndAbsentForX509() {
    JsonNode bad =
        json(
            new Certificate(
                "proprietary",
                false,
                512,
                65537L,
                null,
                false,
                "signature does not match the certificate's MD5 hash"));
    assertThat(bad.path("signature_valid").isBoolean()).isTrue();
    assertThat(bad.path("signature_valid").asBoolean()).isFalse();
    assertThat(bad.path("signature_detail").asString()).contains("MD5");
    JsonNode good =
        json(new Certificate("proprietary", false, 2048, 65537L, null, true, "verified"));
    assertThat(good.path("signature_valid").asBoolean()).isTrue();
    // the report leaves nulls out: no signature_valid means "not a proprietary certificate"
    JsonNode x509 = json(new Certificate("x509", true, null, null, 2, null, null));
    assertThat(x509.has("signature_valid")).isFalse();
    assertThat(x509.path("x509_count").asInt()).isEqualTo(2);
  }
}

package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.testing.Bytes;
import dev.rdpdoctor.wire.session.McsSendData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The connection sequence under Standard RDP Security on real xrdp at its three encrypting levels
 * (issue 3 item 3): the Security Exchange after the channel joins, an encrypted Client Info, and
 * the server's PDUs decrypted and their MACs checked where the level encrypts them, up to Demand
 * Active. A wrong key, MAC or cipher state shows up as a server that closes on the Client Info (it
 * cannot decrypt it) or as a MAC mismatch here, never as Demand Active.
 */
class StandardSessionIT {
  static final String HOST = "srv.lab.test";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "mcs-rdp      | 40-bit RC4, level Low (client to server only)          | 40  | false",
        "mcs-rdp-high | 128-bit RC4, level High (both directions)              | 128 | true",
        "mcs-rdp-fips | FIPS 140-1 (3DES), level FIPS Compliant (both directions) | 168 | true"
      })
  void xrdpAcceptsTheEncryptedSequenceUpToDemandActive(
      String scenario, String protection, int bits, boolean serverEncrypts) throws Exception {
    Lab.requireUsable();
    Lab.Scenario lab = Lab.up(scenario);
    try {
      Lab.Run r =
          Lab.inClient(
              lab,
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  System.getProperty("rdpdoctor.jar"),
                  "diagnose",
                  HOST,
                  "--json",
                  "--trace"),
              60);
      assertThat(r.timedOut()).as(r.describe()).isFalse();
      JsonNode j = Lab.JSON.readTree(r.stdout());
      JsonNode s = j.path("probes").path("session");
      assertThat(s.path("status").asString()).as(s.toString()).isEqualTo("demand_active");
      assertThat(s.path("security").asString()).isEqualTo("Standard RDP Security, " + protection);
      assertThat(s.path("licensing").asString()).isEqualTo("STATUS_VALID_CLIENT");
      assertThat(s.path("capability_count").asInt()).isEqualTo(10);
      List<String> steps = new ArrayList<>();
      for (JsonNode step : s.path("steps")) {
        steps.add(step.path("name").asString());
      }
      assertThat(steps)
          .containsExactly(
              "X.224",
              "MCS Connect Response",
              "MCS Attach User Confirm",
              "MCS Channel Join Confirm 1002",
              "MCS Channel Join Confirm 1003",
              "Security Exchange",
              "Client Info",
              "Licensing",
              "New License Request",
              "Licensing",
              "Demand Active");
      assertThat(s.path("steps").get(6).path("detail").asString())
          .isEqualTo("no credentials, encrypted (" + bits + "-bit)");
      // the server's own choice still leads the diagnosis; the sequence is a check
      assertThat(j.path("findings").get(0).path("cause").asString())
          .isEqualTo("standard-security-only");
      assertThat(j.path("checked").toString())
          .contains("connection sequence under Standard RDP Security, " + protection);

      String trace = r.stderr();
      McsSendData info =
          McsSendData.decode(SessionIT.hexAfter(trace, ">> [session] Client Info PDU"));
      int flags = (info.data()[0] & 0xFF) | (info.data()[1] & 0xFF) << 8;
      assertThat(flags).as("SEC_INFO_PKT | SEC_ENCRYPT").isEqualTo(0x0048);
      byte[] dll = "mstscax.dll".getBytes(StandardCharsets.UTF_16LE);
      assertThat(Bytes.indexOf(info.data(), dll))
          .as("plaintext in the encrypted Client Info")
          .isNegative();
      if (serverEncrypts) {
        // the last decrypted server PDU is the Demand Active: a share control header saying
        // PDUTYPE_DEMANDACTIVEPDU (0x11) after decryption proves the server's keys are right
        int at = trace.lastIndexOf("<< [session] server PDU, decrypted");
        byte[] demand =
            SessionIT.hexAfter(trace.substring(at), "<< [session] server PDU, decrypted");
        assertThat(demand[2]).isEqualTo((byte) 0x11);
        assertThat(demand[3]).isEqualTo((byte) 0x00);
      } else {
        assertThat(trace).doesNotContain("server PDU, decrypted");
      }
    } finally {
      Lab.down(scenario);
    }
  }
}

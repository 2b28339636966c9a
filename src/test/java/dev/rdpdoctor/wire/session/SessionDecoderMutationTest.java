package dev.rdpdoctor.wire.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.testing.Bytes;
import dev.rdpdoctor.wire.MalformedPduException;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * A seeded batch of mutations (byte flips, truncations, trailing junk) of the captured and
 * spec-built session PDUs through every server-facing session decoder. A decoder may return a value
 * or throw MalformedPduException; anything else is a defect.
 */
class SessionDecoderMutationTest {
  static final long SEED = 0x5E55_1017L;
  static final int MUTATIONS = 3000;

  interface Decoder {
    Object decode(byte[] b) throws MalformedPduException;
  }

  static final List<Decoder> PDU_DECODERS =
      List.of(McsAttachUserConfirm::decode, McsChannelJoinConfirm::decode, McsSendData::decode);
  static final List<Decoder> DATA_DECODERS =
      List.of(
          LicensingPdu::decode,
          DemandActivePdu::decode,
          SetErrorInfoPdu::decode,
          SaveSessionInfoPdu::decode,
          ServerLicenseRequest::decode);

  @Test
  void mutatedPdusEndInAValueOrMalformedPduException() throws Exception {
    List<byte[]> pdus =
        List.of(
            SessionPduTest.fixture("xrdp-attach-user-confirm.hex"),
            SessionPduTest.fixture("xrdp-channel-join-confirm-io.hex"),
            SessionPduTest.fixture("xrdp-license-request.hex"),
            SessionPduTest.indication(SessionPduTest.setErrorInfo(7)),
            SessionPduTest.indication(SessionPduTest.demandActive()));
    List<byte[]> data =
        List.of(
            McsSendData.decode(pdus.get(2)).data(),
            SessionPduTest.setErrorInfo(7),
            SessionPduTest.demandActive());
    RandomGenerator rnd = RandomGeneratorFactory.of("L64X128MixRandom").create(SEED);
    List<String> defects = new ArrayList<>();
    int values = 0;
    int malformed = 0;
    for (int i = 0; i < MUTATIONS; i++) {
      boolean whole = i % 2 == 0;
      List<byte[]> seeds = whole ? pdus : data;
      byte[] b = Bytes.mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      for (Decoder d : whole ? PDU_DECODERS : DATA_DECODERS) {
        try {
          d.decode(b);
          values++;
        } catch (MalformedPduException e) {
          malformed++;
        } catch (RuntimeException e) {
          defects.add("mutation " + i + ": " + e);
        }
      }
      if (whole) {
        ShareControlHeader.looksLike(b);
        LicensingPdu.isLicensing(b);
        McsSendData.choice(b);
      }
    }
    assertThat(defects).isEmpty();
    // both outcomes really occur: the batch exercises the checks and the happy paths
    assertThat(values).isPositive();
    assertThat(malformed).isPositive();
  }
}

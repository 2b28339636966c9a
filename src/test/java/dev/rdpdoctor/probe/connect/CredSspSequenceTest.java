package dev.rdpdoctor.probe.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.codes.SecurityProtocol;
import dev.rdpdoctor.evidence.NlaEvidence.Outcome;
import dev.rdpdoctor.evidence.NlaEvidence.Status;
import dev.rdpdoctor.testing.Bytes;
import dev.rdpdoctor.wire.Le;
import dev.rdpdoctor.wire.NtlmChallenge;
import dev.rdpdoctor.wire.NtlmVersion;
import dev.rdpdoctor.wire.TsRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CredSSP phase fed a server's TSRequests with no socket and no TLS. NTLM is a stand-in whose
 * sealing is the identity, so what the sequence binds and checks (the nonce-bound hash of the
 * server's key) is visible in the bytes; each answer has a malformed twin.
 */
class CredSspSequenceTest {
  static final byte[] SERVER_KEY =
      "the server's SubjectPublicKey".getBytes(StandardCharsets.US_ASCII);
  static final byte[] SERVER_MAGIC =
      "CredSSP Server-To-Client Binding Hash\0".getBytes(StandardCharsets.US_ASCII);
  static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  /** NTLM with no cryptography: enough to see what the sequence carries. */
  record Plain(String account) implements Ntlm {
    @Override
    public byte[] negotiate() {
      return "NEGOTIATE".getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public boolean hasCredentials() {
      return account != null;
    }

    @Override
    public byte[] authenticate(byte[] challengeBytes, NtlmChallenge challenge) {
      return "AUTHENTICATE".getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public byte[] seal(byte[] message) {
      return message.clone();
    }

    @Override
    public byte[] unseal(byte[] message) {
      return message.clone();
    }

    @Override
    public byte[] sealedCredentials() {
      return "CREDENTIALS".getBytes(StandardCharsets.US_ASCII);
    }
  }

  static CredSspSequence sequence(String account, int selected, boolean delegate) {
    return new CredSspSequence(
        new Plain(account),
        selected,
        SERVER_KEY,
        delegate,
        () -> NOW,
        () -> 5,
        new SplittableRandom(3));
  }

  /** A CHALLENGE whose clock runs {@code skew} seconds ahead of ours. */
  static byte[] challengeTsRequest(int version, long skewSeconds) {
    long ticks = NOW.plusSeconds(skewSeconds).toEpochMilli() * 10_000L + 116_444_736_000_000_000L;
    byte[] ft = new byte[8];
    for (int i = 0; i < 8; i++) {
      ft[i] = (byte) (ticks >>> (8 * i));
    }
    byte[] info =
        NtlmChallenge.encodeAvPairs(
            List.of(
                NtlmChallenge.text(NtlmChallenge.AV_NB_COMPUTER, "RDS01"),
                NtlmChallenge.text(NtlmChallenge.AV_DNS_COMPUTER, "rds01.corp.example"),
                new NtlmChallenge.AvPair(NtlmChallenge.AV_TIMESTAMP, ft)));
    return TsRequest.negotiate(
            version,
            NtlmChallenge.encode(
                0xE28A8235,
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8},
                "CORP",
                info,
                new NtlmVersion(10, 0, 17763, 15)))
        .encode();
  }

  static byte[] sentBytes(Next<?> n, int index) {
    return n.out().stream()
        .filter(o -> o instanceof Out.Send)
        .map(o -> ((Out.Send) o).bytes())
        .toList()
        .get(index);
  }

  /** The server's proof for version 5+: the hash bound to the client's nonce. */
  static byte[] proof(Next<?> authenticate) throws Exception {
    byte[] nonce = TsRequest.decode(sentBytes(authenticate, 0)).clientNonce();
    return new TsRequest(6, null, null, Bytes.sha256(SERVER_MAGIC, nonce, SERVER_KEY), null, null)
        .encode();
  }

  @Test
  void withoutAnAccountTheChallengeIsTheEnd() {
    CredSspSequence s = sequence(null, SecurityProtocol.PROTOCOL_HYBRID, false);
    Next<CredSspOutcome> start = s.start();
    assertThat(start.read()).isEqualTo(Frame.TS_REQUEST);
    assertThat(start.out())
        .anyMatch(o -> o instanceof Out.Phase p && p.phase().equals("NEGOTIATE sent"));
    Next<CredSspOutcome> end = s.received(challengeTsRequest(6, 90));
    CredSspOutcome r = end.result();
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.serverVersion()).isEqualTo(6);
    assertThat(r.info().dnsComputerName()).isEqualTo("rds01.corp.example");
    assertThat(r.info().skewSeconds()).isEqualTo(90);
    assertThat(r.logon()).isNull();
    assertThat(end.goodbye()).isFalse();
  }

  @Test
  void theNegotiateAnswersTwins() {
    CredSspSequence garbage = sequence(null, SecurityProtocol.PROTOCOL_HYBRID, false);
    garbage.start();
    byte[] cut = challengeTsRequest(6, 0);
    CredSspOutcome r = garbage.received(Arrays.copyOf(cut, cut.length - 9)).result();
    assertThat(r.status()).isEqualTo(Status.MALFORMED);
    assertThat(r.detail())
        .startsWith("the server's answer to the NTLM NEGOTIATE is not a" + " TSRequest");
    CredSspSequence refused = sequence("CORP\\alice", SecurityProtocol.PROTOCOL_HYBRID, false);
    refused.start();
    r = refused.received(new TsRequest(6, null, null, null, 0xC000006D, null).encode()).result();
    assertThat(r.status()).isEqualTo(Status.REFUSED);
    assertThat(r.errorName()).isEqualTo("LOGON_FAILURE");
    CredSspSequence quiet = sequence(null, SecurityProtocol.PROTOCOL_HYBRID, false);
    quiet.start();
    assertThat(quiet.ended(Ending.TIMEOUT, null).result().status()).isEqualTo(Status.TIMEOUT);
    assertThat(quiet.ended(Ending.RESET, null).result().detail())
        .isEqualTo("the connection ended after the NTLM NEGOTIATE: the server reset it");
  }

  @Test
  void aHybridExLogonBindsTheKeyDelegatesAndReadsTheEarlyAuthorization() throws Exception {
    CredSspSequence s = sequence("CORP\\alice", SecurityProtocol.PROTOCOL_HYBRID_EX, false);
    s.start();
    Next<CredSspOutcome> auth = s.received(challengeTsRequest(6, 0));
    Out.Send sent =
        (Out.Send) auth.out().stream().filter(o -> o instanceof Out.Send).findFirst().orElseThrow();
    assertThat(sent.withheld()).as("the AUTHENTICATE never reaches a trace").isTrue();
    TsRequest req = TsRequest.decode(sent.bytes());
    assertThat(req.pubKeyAuth())
        .isEqualTo(
            Bytes.sha256(
                "CredSSP Client-To-Server Binding Hash\0".getBytes(StandardCharsets.US_ASCII),
                req.clientNonce(),
                SERVER_KEY));
    Next<CredSspOutcome> creds = s.received(proof(auth));
    assertThat(creds.read()).isEqualTo(Frame.EARLY_USER_AUTHORIZATION);
    assertThat(TsRequest.decode(sentBytes(creds, 0)).authInfo())
        .isEqualTo("CREDENTIALS".getBytes(StandardCharsets.US_ASCII));
    CredSspOutcome ok = s.received(Le.u32(0)).result();
    assertThat(ok.accepted()).isTrue();
    assertThat(ok.logon().earlyAuthorization()).isZero();
    CredSspSequence denied = sequence("CORP\\alice", SecurityProtocol.PROTOCOL_HYBRID_EX, false);
    denied.start();
    Next<CredSspOutcome> a2 = denied.received(challengeTsRequest(6, 0));
    denied.received(proof(a2));
    CredSspOutcome no = denied.received(Le.u32(5)).result();
    assertThat(no.logon().outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(no.why()).contains("ACCESS_DENIED");
  }

  @Test
  void aWrongProofIsAKeyMismatchAndAnErrorCodeARejection() throws Exception {
    CredSspSequence s = sequence("CORP\\alice", SecurityProtocol.PROTOCOL_HYBRID, true);
    s.start();
    s.received(challengeTsRequest(6, 0));
    byte[] wrong = new TsRequest(6, null, null, new byte[32], null, null).encode();
    assertThat(s.received(wrong).result().logon().outcome()).isEqualTo(Outcome.KEY_MISMATCH);
    CredSspSequence r = sequence("CORP\\alice", SecurityProtocol.PROTOCOL_HYBRID, true);
    r.start();
    r.received(challengeTsRequest(6, 0));
    CredSspOutcome o =
        r.received(new TsRequest(6, null, null, null, 0xC000006D, null).encode()).result();
    assertThat(o.logon().outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(o.logon().ntStatusName()).isEqualTo("LOGON_FAILURE");
    CredSspSequence closed = sequence("CORP\\alice", SecurityProtocol.PROTOCOL_HYBRID, true);
    closed.start();
    closed.received(challengeTsRequest(6, 0));
    assertThat(closed.ended(Ending.CLOSED, null).result().logon().detail())
        .isEqualTo(
            "the server closed the connection after the NTLM AUTHENTICATE without an error code");
  }

  @Test
  void hybridWithDelegationEndsWithTheCredentialsSent() throws Exception {
    CredSspSequence s = sequence("CORP\\alice", SecurityProtocol.PROTOCOL_HYBRID, true);
    s.start();
    Next<CredSspOutcome> auth = s.received(challengeTsRequest(6, 0));
    Next<CredSspOutcome> end = s.received(proof(auth));
    assertThat(end.result().accepted()).isTrue();
    assertThat(end.result().why()).endsWith("credentials delegated");
    assertThat(TsRequest.decode(sentBytes(end, 0)).authInfo()).isNotEmpty();
    assertThat(s.ended(Ending.RESET, null).result().logon().outcome())
        .as("a write of the credentials that fails")
        .isEqualTo(Outcome.CLOSED);
  }
}

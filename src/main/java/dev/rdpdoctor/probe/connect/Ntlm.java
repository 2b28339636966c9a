package dev.rdpdoctor.probe.connect;

import dev.rdpdoctor.wire.NtlmChallenge;

/**
 * The NTLM security context CredSSP runs on ([MS-NLMP] 3.1.5), as the sequence needs it. The
 * password stays behind this interface: the sequence sees only the messages it must carry.
 */
public interface Ntlm {
  /** The NEGOTIATE message. */
  byte[] negotiate();

  /** Whether a logon is wanted: without an account the sequence stops at the CHALLENGE. */
  boolean hasCredentials();

  /** The account as the evidence names it ("DOMAIN\\user"), never the password. */
  String account();

  /** The AUTHENTICATE answering the CHALLENGE; keys the context for sealing. */
  byte[] authenticate(byte[] challengeBytes, NtlmChallenge challenge);

  byte[] seal(byte[] message);

  /** The unsealed message, or null when its signature does not verify. */
  byte[] unseal(byte[] message);

  /** The TSCredentials ([MS-CSSP] 2.2.1.2) sealed for the server; the plaintext is wiped. */
  byte[] sealedCredentials();
}

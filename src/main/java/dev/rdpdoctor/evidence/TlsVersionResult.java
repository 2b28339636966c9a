package dev.rdpdoctor.evidence;

/**
 * One handshake limited to a single TLS version.
 *
 * @param detail the alert or error when the version was refused
 */
public record TlsVersionResult(
    String version, boolean accepted, String cipherSuite, String detail, long millis) {}

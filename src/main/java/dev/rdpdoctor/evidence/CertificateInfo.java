package dev.rdpdoctor.evidence;

import java.time.Instant;
import java.util.List;

/**
 * The facts of one X.509 certificate the server presented.
 *
 * @param serverAuthEku true/false when an EKU extension is present, null when absent (which permits
 *     any use)
 * @param nameMatches for the leaf: does it cover the host the user typed; null for CA certs
 */
public record CertificateInfo(
    String subject,
    String commonName,
    List<String> subjectAltNames,
    String issuer,
    String serial,
    Instant notBefore,
    Instant notAfter,
    String keyAlgorithm,
    int keyBits,
    String signatureAlgorithm,
    Boolean serverAuthEku,
    boolean selfSigned,
    String sha256,
    Boolean nameMatches) {}

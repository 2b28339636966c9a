package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.ByteReader;
import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.ServerCertificate;

/**
 * Server License Request ([MS-RDPELE] 2.2.2.1) after the security header and preamble: only what a
 * client needs to answer it, the server random and the server certificate whose RSA key encrypts
 * the client's premaster secret.
 *
 * <pre>
 * ServerRandom(32)
 * ProductInfo: dwVersion(4) cbCompanyName(4) CompanyName cbProductId(4) ProductId
 * KeyExchangeList: wBlobType(2) wBlobLen(2) data
 * ServerCertificate: wBlobType(2) wBlobLen(2) data   (proprietary or X.509, may be empty)
 * ScopeList: ScopeCount(4) { wBlobType(2) wBlobLen(2) data } ...
 * </pre>
 *
 * @param certificate null when the server sent an empty certificate blob
 */
public record ServerLicenseRequest(byte[] serverRandom, ServerCertificate certificate) {
  static final int MAX_STRING = 1024;

  /** Decodes from the licensing PDU's userData (security header included). */
  public static ServerLicenseRequest decode(byte[] userData) throws MalformedPduException {
    LicensingPdu l = LicensingPdu.decode(userData);
    if (l.msgType() != LicensingPdu.LICENSE_REQUEST) {
      throw new MalformedPduException(
          "licensing message " + l.describe() + " is not a LICENSE_REQUEST", 4);
    }
    ByteReader r = new ByteReader(userData, 8, userData.length - 8);
    byte[] random = r.bytes(32, "ServerRandom");
    r.u32le("ProductInfo dwVersion");
    skipCounted(r, "CompanyName");
    skipCounted(r, "ProductId");
    r.u16le("KeyExchangeList wBlobType");
    r.skip(r.u16le("KeyExchangeList wBlobLen"), "KeyExchangeList");
    r.u16le("ServerCertificate wBlobType");
    int certLen = r.u16le("ServerCertificate wBlobLen");
    byte[] cert = r.bytes(certLen, "ServerCertificate");
    return new ServerLicenseRequest(random, certLen == 0 ? null : ServerCertificate.decode(cert));
  }

  private static void skipCounted(ByteReader r, String what) throws MalformedPduException {
    int n = r.u32le("cb" + what);
    if (n < 0 || n > MAX_STRING) {
      throw new MalformedPduException(
          "cb" + what + " " + Integer.toUnsignedString(n) + " beyond cap " + MAX_STRING,
          r.position() - 4);
    }
    r.skip(n, what);
  }
}

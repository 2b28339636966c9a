package dev.rdpdoctor.wire.session;

import static dev.rdpdoctor.wire.Le.u16;
import static dev.rdpdoctor.wire.Le.u32;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Client New License Request ([MS-RDPELE] 2.2.2.2), the answer to a Server License Request: an RSA
 * key exchange with a random premaster secret encrypted to the server's licensing key ([MS-RDPBCGR]
 * 5.3.4.1: little-endian RSA, 8 zero bytes of padding). A server that needs no licence answers
 * STATUS_VALID_CLIENT; a licensing server goes on with a Platform Challenge, where the probe stops.
 *
 * <pre>
 * flags(2)=SEC_LICENSE_PKT flagsHi(2)       basic security header
 * bMsgType(1)=0x13 flags(1) wMsgSize(2)     preamble
 * PreferredKeyExchangeAlg(4)=KEY_EXCHANGE_ALG_RSA  PlatformId(4)  ClientRandom(32)
 * EncryptedPreMasterSecret: wBlobType(2)=BB_RANDOM_BLOB wBlobLen(2) RSA(premaster) + 8 zeros
 * ClientUserName: wBlobType(2)=BB_CLIENT_USER_NAME_BLOB wBlobLen(2) name NUL
 * ClientMachineName: wBlobType(2)=BB_CLIENT_MACHINE_NAME_BLOB wBlobLen(2) name NUL
 * </pre>
 */
public record ClientNewLicenseRequest(byte[] clientRandom, byte[] encryptedPremaster) {
  public static final int NEW_LICENSE_REQUEST = 0x13;

  /** PREAMBLE_VERSION_3_0 | EXTENDED_ERROR_MSG_SUPPORTED. */
  static final int PREAMBLE_FLAGS = 0x03 | 0x80;

  static final int KEY_EXCHANGE_ALG_RSA = 1;

  /** CLIENT_OS_ID_WINNT_POST_52 | CLIENT_IMAGE_ID_MICROSOFT. */
  static final int PLATFORM_ID = 0x04000000 | 0x00010000;

  static final int BB_RANDOM_BLOB = 0x0002;
  static final int BB_CLIENT_USER_NAME_BLOB = 0x000F;
  static final int BB_CLIENT_MACHINE_NAME_BLOB = 0x0010;

  /** No user: the probe never logs on. */
  static final String NAME = "rdpdoctor";

  /** The userData of the MCS Send Data Request. */
  public byte[] encode() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u32(body, KEY_EXCHANGE_ALG_RSA);
    u32(body, PLATFORM_ID);
    body.writeBytes(clientRandom);
    blob(body, BB_RANDOM_BLOB, encryptedPremaster);
    byte[] name = (NAME + "\0").getBytes(StandardCharsets.US_ASCII);
    blob(body, BB_CLIENT_USER_NAME_BLOB, name);
    blob(body, BB_CLIENT_MACHINE_NAME_BLOB, name);
    byte[] b = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    u16(out, LicensingPdu.SEC_LICENSE_PKT);
    u16(out, 0);
    out.write(NEW_LICENSE_REQUEST);
    out.write(PREAMBLE_FLAGS);
    u16(out, 4 + b.length);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static void blob(ByteArrayOutputStream b, int type, byte[] data) {
    u16(b, type);
    u16(b, data.length);
    b.writeBytes(data);
  }
}

package dev.rdpdoctor.wire;

/**
 * The VERSION structure of NTLM messages ([MS-NLMP] 2.2.2.10): the sender's Windows version.
 *
 * <pre>
 *  0        1        2                 4                          7        8
 * +--------+--------+-----------------+--------------------------+--------+
 * | major  | minor  | build (u16 LE)  | reserved (3)             | rev    |
 * +--------+--------+-----------------+--------------------------+--------+
 * </pre>
 */
public record NtlmVersion(int major, int minor, int build, int ntlmRevision) {
  public static final int LENGTH = 8;

  /** NTLMSSP_REVISION_W2K3: what every current client sends. */
  public static final int REVISION_W2K3 = 0x0F;

  static NtlmVersion read(ByteReader r) throws MalformedPduException {
    int major = r.u8("version major");
    int minor = r.u8("version minor");
    int build = r.u16le("version build");
    r.skip(3, "version reserved");
    return new NtlmVersion(major, minor, build, r.u8("NTLM revision"));
  }

  byte[] encode() {
    return new byte[] {
      (byte) major, (byte) minor, (byte) build, (byte) (build >>> 8), 0, 0, 0, (byte) ntlmRevision
    };
  }

  /** "6.1.7601", as nmap's rdp-ntlm-info prints Product_Version. */
  public String product() {
    return major + "." + minor + "." + build;
  }
}

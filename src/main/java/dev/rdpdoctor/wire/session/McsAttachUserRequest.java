package dev.rdpdoctor.wire.session;

import dev.rdpdoctor.wire.X224Data;

/**
 * MCS Attach User Request ([MS-RDPBCGR] 2.2.1.6, T.125 AttachUserRequest): a bare CHOICE.
 *
 * <pre>
 * +------+
 * | 28   |   CHOICE 10 (<<2), no fields
 * +------+
 * </pre>
 */
public record McsAttachUserRequest() {
  public static final int CHOICE = 10;

  public byte[] encode() {
    return X224Data.frame(new byte[] {(byte) (CHOICE << 2)});
  }
}

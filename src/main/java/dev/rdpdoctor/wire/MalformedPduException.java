package dev.rdpdoctor.wire;

/**
 * A peer sent bytes that do not parse as the PDU we expected. Checked on purpose: every caller must
 * decide what a malformed answer means as evidence, because a hostile or broken server is an
 * outcome to report, not a bug.
 */
public final class MalformedPduException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int offset;

  public MalformedPduException(String message, int offset) {
    super(message + " (at offset " + offset + ")");
    this.offset = offset;
  }

  /** Offset into the PDU where decoding stopped. */
  public int offset() {
    return offset;
  }
}

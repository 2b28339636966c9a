package dev.rdpdoctor.sources.eventlog.evtx;

/** Something in a file that was skipped or read with a caveat, at a file offset. */
public record EvtxIssue(long offset, String message) {
  @Override
  public String toString() {
    return "0x" + Long.toHexString(offset) + ": " + message;
  }
}

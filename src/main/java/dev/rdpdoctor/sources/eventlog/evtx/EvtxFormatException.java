package dev.rdpdoctor.sources.eventlog.evtx;

/** A structure in an EVTX file that cannot be read; {@link #offset()} is its file offset. */
public final class EvtxFormatException extends Exception {
  private final long offset;

  public EvtxFormatException(String message, long offset) {
    super(message);
    this.offset = offset;
  }

  public long offset() {
    return offset;
  }
}

package dev.rdpdoctor.probe.connect;

/**
 * A stretch of the connection sequence as a state machine without I/O, in the manner of IronRDP's
 * connector: each step maps the bytes received to the bytes to send and the next read, or to an
 * outcome. The driver that owns the socket calls {@link #start} once, then {@link #received} with
 * each whole frame, or {@link #ended} when no frame came.
 *
 * @param <R> the outcome
 */
public interface Sequence<R> {
  Next<R> start();

  /** One whole frame of the kind the last {@link Next#read()} asked for. */
  Next<R> received(byte[] frame);

  /** No frame: the connection ended, the deadline passed, or the frame did not parse. */
  Next<R> ended(Ending how, String detail);

  /**
   * How a frame just received shows in the trace: by default under the name of what the client
   * waited for, with its bytes; a phase withholds bytes that may carry secrets.
   */
  Out.Note view(byte[] frame);
}

package dev.rdpdoctor.probe.connect;

import java.util.List;

/**
 * A phase's answer: what to write (and trace) now, then either the frame to read next or the
 * result. With a result, {@code goodbye} asks the driver to end the MCS domain politely (a
 * Disconnect Provider Ultimatum), which a server that has already hung up or said goodbye itself
 * does not get.
 *
 * @param <R> the sequence's result
 */
public record Next<R>(List<Out> out, Frame read, R result, boolean goodbye) {
  public Next {
    out = List.copyOf(out);
    if ((read == null) == (result == null)) {
      throw new IllegalArgumentException("either a frame to read or a result");
    }
  }

  public static <R> Next<R> read(Frame frame, List<Out> out) {
    return new Next<>(out, frame, null, false);
  }

  public static <R> Next<R> end(R result, boolean goodbye, List<Out> out) {
    return new Next<>(out, null, result, goodbye);
  }

  public boolean done() {
    return result != null;
  }
}

package dev.rdpdoctor.probe;

/**
 * Paired phase callbacks for every probe. The single source for timings, live progress and
 * metrics: nothing else measures time. Implementations must be thread-safe, since probes run
 * concurrently.
 */
public interface ProbeListener {
  ProbeListener NONE = new ProbeListener() {};

  /** A probe starts; subject names what it looks at ("198.51.100.7:3389", "TLSv1.2"). */
  default void probeStart(String probe, String subject) {}

  /** A probe finished with an outcome word ("open", "refused", "RESPONSE SSL" ...). */
  default void probeEnd(String probe, String subject, String outcome, long millis) {}

  static ProbeListener compose(ProbeListener... listeners) {
    return new ProbeListener() {
      @Override
      public void probeStart(String probe, String subject) {
        for (ProbeListener l : listeners) {
          l.probeStart(probe, subject);
        }
      }

      @Override
      public void probeEnd(String probe, String subject, String outcome, long millis) {
        for (ProbeListener l : listeners) {
          l.probeEnd(probe, subject, outcome, millis);
        }
      }
    };
  }
}

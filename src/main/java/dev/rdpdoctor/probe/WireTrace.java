package dev.rdpdoctor.probe;

import dev.rdpdoctor.probe.event.ProbeEvent;
import dev.rdpdoctor.probe.event.RunClock;
import dev.rdpdoctor.wire.Hex;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The --trace wire dump: {@code >> [neg SSL] X.224 CR 19 bytes} then hex. Probes hand their PDUs to
 * {@link ProbeContext#trace()}, which turns them into {@link ProbeEvent.Pdu} events; the printer is
 * one listener of that stream. Only bytes at the RDP layer travel this way; passwords never travel
 * through RDP-level PDUs in this tool, and TLS payload is traced as records, never decrypted.
 */
public interface WireTrace {
  WireTrace NONE =
      new WireTrace() {
        @Override
        public boolean enabled() {
          return false;
        }

        @Override
        public void bytes(
            String direction, String stream, String what, byte[] b, int off, int len) {}
      };

  boolean enabled();

  void bytes(String direction, String stream, String what, byte[] b, int off, int len);

  default void sent(String stream, String what, byte[] b) {
    if (enabled()) {
      bytes(">>", stream, what, b, 0, b.length);
    }
  }

  default void received(String stream, String what, byte[] b) {
    if (enabled()) {
      bytes("<<", stream, what, b, 0, b.length);
    }
  }

  /** PDUs as events on a run's stream, copied only when a listener wants them. */
  static WireTrace emitter(ProbeListener listener, RunClock clock) {
    if (!listener.wantsPdus()) {
      return NONE;
    }
    return new WireTrace() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public void bytes(String direction, String stream, String what, byte[] b, int off, int len) {
        listener.on(
            new ProbeEvent.Pdu(
                clock.nanos(),
                ">>".equals(direction),
                stream,
                what,
                Arrays.copyOfRange(b, off, off + len),
                len));
      }
    };
  }

  /** The printer: writes each PDU event to a stream (stderr in the CLI), one block per call. */
  static Printer to(PrintStream out, int maxBytes) {
    return new Printer(out, maxBytes);
  }

  /** A listener that prints PDU events; also usable as a {@link ProbeContext} trace argument. */
  final class Printer implements WireTrace, ProbeListener {
    private final PrintStream out;
    private final int maxBytes;

    Printer(PrintStream out, int maxBytes) {
      this.out = out;
      this.maxBytes = maxBytes;
    }

    @Override
    public boolean wantsPdus() {
      return true;
    }

    @Override
    public void on(ProbeEvent event) {
      if (event instanceof ProbeEvent.Pdu p) {
        bytes(p.sent() ? ">>" : "<<", p.stream(), p.what(), p.bytes(), 0, p.bytes().length);
      }
    }

    @Override
    public boolean enabled() {
      return true;
    }

    @Override
    public void bytes(String direction, String stream, String what, byte[] b, int off, int len) {
      int shown = Math.min(len, maxBytes);
      String block =
          String.format("%s [%s] %s %d bytes%n", direction, stream, what, len)
              + Hex.dump(b, off, shown)
              + (shown < len ? "    ... " + (len - shown) + " more bytes\n" : "");
      // one print per block: PrintStream writes a string whole under its own lock, which (unlike
      // synchronized on Java 21-23) does not pin a probe's virtual thread to its carrier
      out.print(block);
      out.flush();
    }
  }
}

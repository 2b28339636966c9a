package dev.rdpdoctor.probe;

import dev.rdpdoctor.wire.Hex;
import java.io.PrintStream;

/**
 * The --trace wire dump: {@code >> [neg SSL] X.224 CR 19 bytes} then hex. Only bytes we send
 * or receive at the RDP layer reach it; passwords never travel through RDP-level PDUs in this
 * tool, and TLS payload is traced as records, never decrypted.
 */
public interface WireTrace {
  WireTrace NONE = new WireTrace() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public void bytes(String direction, String stream, String what, byte[] b, int off, int len) {}
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

  /** Writes to a stream (stderr in the CLI), one whole block per call so lines never mix. */
  static WireTrace to(PrintStream out, int maxBytes) {
    return new WireTrace() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public void bytes(String direction, String stream, String what, byte[] b, int off, int len) {
        int shown = Math.min(len, maxBytes);
        String block = String.format("%s [%s] %s %d bytes%n", direction, stream, what, len)
            + Hex.dump(b, off, shown)
            + (shown < len ? "    ... " + (len - shown) + " more bytes\n" : "");
        synchronized (out) {
          out.print(block);
          out.flush();
        }
      }
    };
  }
}

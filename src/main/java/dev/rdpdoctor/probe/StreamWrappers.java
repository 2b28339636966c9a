package dev.rdpdoctor.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Bases for the socket stream wrappers that watch every read or write (deadline, trace, how the
 * peer ended): each defines only its array method, and the single-byte one goes through it. Not
 * {@link java.io.FilterInputStream}: that one's single-byte read bypasses the override, and its
 * close would close the socket under a TLS engine that still owns it.
 */
final class StreamWrappers {
  private StreamWrappers() {}

  abstract static class In extends InputStream {
    final InputStream raw;

    In(InputStream raw) {
      this.raw = raw;
    }

    @Override
    public final int read() throws IOException {
      byte[] one = new byte[1];
      int r = read(one, 0, 1);
      return r < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;

    @Override
    public int available() throws IOException {
      return raw.available();
    }
  }

  abstract static class Out extends OutputStream {
    final OutputStream raw;

    Out(OutputStream raw) {
      this.raw = raw;
    }

    @Override
    public final void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public abstract void write(byte[] b, int off, int len) throws IOException;

    @Override
    public void flush() throws IOException {
      raw.flush();
    }
  }
}

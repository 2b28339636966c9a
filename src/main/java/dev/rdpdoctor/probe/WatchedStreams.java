package dev.rdpdoctor.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;

/**
 * The socket's streams as the TLS engine uses them, remembering what BouncyCastle hides in its
 * errors: whether the peer closed or reset, and the first bytes it sent (to name a non-TLS peer).
 */
final class WatchedStreams {
  /** First bytes of the server's answer kept to name a non-TLS peer. */
  static final int SNIFF = 16;

  private WatchedStreams() {}

  /** Remembers how the input ended, and the first bytes, since BC hides both in its errors. */
  static final class In extends InputStream {
    private final InputStream raw;
    final byte[] first = new byte[SNIFF];
    int sniffed;
    volatile boolean eof;
    volatile boolean reset;

    In(InputStream raw) {
      this.raw = raw;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int r = read(one, 0, 1);
      return r < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int r = raw.read(b, off, len);
        if (r < 0) {
          eof = true;
        } else if (sniffed < SNIFF) {
          int n = Math.min(r, SNIFF - sniffed);
          System.arraycopy(b, off, first, sniffed, n);
          sniffed += n;
        }
        return r;
      } catch (SocketException e) {
        reset = true;
        throw e;
      }
    }

    @Override
    public int available() throws IOException {
      return raw.available();
    }
  }

  static final class Out extends OutputStream {
    private final OutputStream raw;
    volatile boolean reset;

    Out(OutputStream raw) {
      this.raw = raw;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        raw.write(b, off, len);
      } catch (SocketException e) {
        reset = true;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      raw.flush();
    }
  }
}

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
  static final class In extends StreamWrappers.In {
    final byte[] first = new byte[SNIFF];
    int sniffed;
    volatile boolean eof;
    volatile boolean reset;

    In(InputStream raw) {
      super(raw);
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
  }

  static final class Out extends StreamWrappers.Out {
    volatile boolean reset;

    Out(OutputStream raw) {
      super(raw);
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
  }
}

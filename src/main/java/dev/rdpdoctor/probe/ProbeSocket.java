package dev.rdpdoctor.probe;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connected socket whose every read is bounded by the probe's deadline, so a peer that trickles
 * one byte a second still ends on time. Reads and writes go to the wire trace.
 */
public final class ProbeSocket implements Closeable {
  private final Socket socket;
  private final Deadline deadline;
  private final WireTrace trace;
  private final String stream;
  private final InputStream in;
  private final OutputStream out;
  private final Runnable onClose;
  private final AtomicBoolean closed = new AtomicBoolean();
  private long bytesIn;

  ProbeSocket(Socket socket, Deadline deadline, WireTrace trace, String stream, Runnable onClose)
      throws IOException {
    this.onClose = onClose;
    this.socket = socket;
    this.deadline = deadline;
    this.trace = trace;
    this.stream = stream;
    this.in = new BoundedIn(socket.getInputStream());
    this.out = new TracedOut(socket.getOutputStream());
  }

  public Socket socket() {
    return socket;
  }

  public Deadline deadline() {
    return deadline;
  }

  /** Raw input, deadline-bound; traced as "TLS" when used under a TLS engine. */
  public InputStream in() {
    return in;
  }

  public OutputStream out() {
    return out;
  }

  public long bytesIn() {
    return bytesIn;
  }

  /** Sends one whole PDU and traces it under its name. */
  public void send(String what, byte[] pdu) throws IOException {
    trace.sent(stream, what, pdu);
    socket.getOutputStream().write(pdu);
    socket.getOutputStream().flush();
  }

  /** Reads exactly n bytes or throws EOFException (peer closed) / SocketTimeoutException. */
  public byte[] readFully(int n) throws IOException {
    byte[] b = new byte[n];
    int got = 0;
    while (got < n) {
      int r = in.read(b, got, n - got);
      if (r < 0) {
        throw new EOFException("peer closed after " + got + " of " + n + " bytes");
      }
      got += r;
    }
    return b;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a probe socket cannot fail in a way that changes the evidence
    } finally {
      onClose.run();
    }
  }

  private final class BoundedIn extends StreamWrappers.In {
    BoundedIn(InputStream raw) {
      super(raw);
    }

    private void arm() throws IOException {
      long left = deadline.remainingMillis();
      if (left <= 0) {
        throw new SocketTimeoutException("probe deadline reached");
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      arm();
      int r = raw.read(b, off, len);
      if (r > 0) {
        bytesIn += r;
        if (trace.enabled()) {
          trace.bytes("<<", stream, "bytes", b, off, r);
        }
      }
      return r;
    }
  }

  private final class TracedOut extends StreamWrappers.Out {
    TracedOut(OutputStream raw) {
      super(raw);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (trace.enabled()) {
        trace.bytes(">>", stream, "bytes", b, off, len);
      }
      raw.write(b, off, len);
    }
  }
}

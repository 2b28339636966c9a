package dev.rdpdoctor.testing;

import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.RdpUdpSyn;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;

/**
 * The project's own RDP-UDP listener for tests, from [MS-RDPEUDP] 3.1.5.1.2 only (no open
 * source RDP server speaks RDP-UDP): answers a SYN with a SYN+ACK that acknowledges the
 * client's initial sequence number, and ignores anything else. {@code minLength} makes it
 * behave like a path that drops datagrams of at least that size.
 */
public final class RdpUdpResponder implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final int dropAtLeast;
  private volatile int answered;

  /** @param dropAtLeast datagrams this long or longer are ignored (Integer.MAX_VALUE: none) */
  public RdpUdpResponder(int dropAtLeast) throws SocketException {
    this.dropAtLeast = dropAtLeast;
    this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    this.thread = Thread.ofPlatform().daemon().start(this::serve);
  }

  public int port() {
    return socket.getLocalPort();
  }

  public int answered() {
    return answered;
  }

  private void serve() {
    byte[] buf = new byte[RdpUdpSyn.MAX_DATAGRAM + 1];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (IOException e) {
        return;   // closed
      }
      if (p.getLength() >= dropAtLeast) {
        continue;
      }
      try {
        RdpUdpSyn syn = RdpUdpSyn.decode(buf, p.getLength());
        if ((syn.flags() & RdpUdpSyn.FLAG_ACK) != 0) {
          continue;
        }
        // The server's MTUs are at most the client's (3.1.5.1.2): echo them back.
        byte[] out = new RdpUdpSyn(syn.initialSequenceNumber(), 64,
            RdpUdpSyn.FLAG_SYN | RdpUdpSyn.FLAG_ACK, 0x5eed, syn.upStreamMtu(),
            syn.downStreamMtu()).encode(RdpUdpSyn.HEADER_LENGTH);
        socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
        answered++;
      } catch (MalformedPduException | IOException e) {
        // not a SYN: a real server ignores it too
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(2_000);
  }
}

package dev.rdpdoctor.testing;

import dev.rdpdoctor.wire.MalformedPduException;
import dev.rdpdoctor.wire.RdpUdpSyn;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;

/**
 * The project's own RDP-UDP listener for tests, from [MS-RDPEUDP] 3.1.5.1.2 only (no open source
 * RDP server speaks RDP-UDP): answers a SYN with a SYN+ACK that acknowledges the client's initial
 * sequence number, and ignores anything else. {@code minLength} makes it behave like a path that
 * drops datagrams of at least that size.
 */
public final class RdpUdpResponder implements AutoCloseable {
  /** Datagrams one SYN gets back in {@link Reply#FLOOD}. */
  public static final int FLOOD = 200;

  /** What a SYN gets back: the spec's answer, or a hostile one. */
  public enum Reply {
    /** SYN+ACK acknowledging the client's initial sequence number (3.1.5.1.2). */
    SYN_ACK,
    /** A SYN+ACK whose snSourceAck is not the client's initial sequence number. */
    WRONG_ACK,
    /** A SYN without ACK, as if the server were the one opening. */
    SYN_ONLY,
    /** Twelve bytes that are no RDP-UDP datagram. */
    GARBAGE,
    /** {@link #FLOOD} garbage datagrams for each SYN. */
    FLOOD
  }

  private final DatagramSocket socket;
  private final Thread thread;
  private final int dropAtLeast;
  private final Reply reply;
  private volatile int answered;

  /**
   * @param dropAtLeast datagrams this long or longer are ignored (Integer.MAX_VALUE: none)
   */
  public RdpUdpResponder(int dropAtLeast) throws SocketException {
    this(0, dropAtLeast, Reply.SYN_ACK);
  }

  /**
   * On a given loopback UDP port (0: any), e.g. the TCP port of a {@link FakeRdpServer}, since a
   * client tries RDP-UDP on the port it used for TCP.
   */
  public RdpUdpResponder(int port, int dropAtLeast, Reply reply) throws SocketException {
    this.dropAtLeast = dropAtLeast;
    this.reply = reply;
    this.socket = new DatagramSocket(port, InetAddress.getLoopbackAddress());
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
        return; // closed
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
        int ack =
            reply == Reply.WRONG_ACK ? ~syn.initialSequenceNumber() : syn.initialSequenceNumber();
        int flags =
            reply == Reply.SYN_ONLY ? RdpUdpSyn.FLAG_SYN : RdpUdpSyn.FLAG_SYN | RdpUdpSyn.FLAG_ACK;
        byte[] out =
            new RdpUdpSyn(ack, 64, flags, 0x5eed, syn.upStreamMtu(), syn.downStreamMtu())
                .encode(RdpUdpSyn.HEADER_LENGTH);
        if (reply == Reply.GARBAGE || reply == Reply.FLOOD) {
          out = new byte[] {0x13, 0x37, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        }
        int copies = reply == Reply.FLOOD ? FLOOD : 1;
        for (int i = 0; i < copies; i++) {
          socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
        }
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

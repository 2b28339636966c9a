package dev.rdpdoctor.testing;

import dev.rdpdoctor.testing.FakeRdpServer.TlsScript;
import dev.rdpdoctor.wire.Hex;
import dev.rdpdoctor.wire.session.SessionPduTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * What a working server does after TLS, from xrdp's recorded answers: MCS Connect Response, Attach
 * User Confirm, the two channel join confirms, then a valid-client licence and its Demand Active. A
 * fake server that stopped after TLS would leave the session probe waiting, and a server a client
 * cannot get past TLS with is not a healthy one.
 */
public final class AcceptingSession {
  /** STATUS_VALID_CLIENT licensing PDU ([MS-RDPBCGR] 2.2.1.12.1.3, 4.1.12 layout). */
  static final byte[] VALID_CLIENT = Hex.parse("80000000ff031000070000000200000004000000");

  /** Client PDUs read after Demand Active before the script gives up waiting for a goodbye. */
  static final int MAX_DRAIN = 4;

  private AcceptingSession() {}

  /** The script for {@link FakeRdpServer.Builder#afterTls}; TLS-only probes just hang up. */
  public static TlsScript script() {
    return (in, out) -> {
      read(in); // Connect Initial
      send(out, SessionPduTest.fixture("xrdp-connect-response-tls.hex"));
      read(in); // Erect Domain
      read(in); // Attach User Request
      send(out, SessionPduTest.fixture("xrdp-attach-user-confirm.hex"));
      read(in);
      send(out, SessionPduTest.fixture("xrdp-channel-join-confirm-user.hex"));
      read(in);
      send(out, SessionPduTest.fixture("xrdp-channel-join-confirm-io.hex"));
      read(in); // Client Info
      send(out, SessionPduTest.indication(VALID_CLIENT));
      send(out, SessionPduTest.indication(SessionPduTest.demandActive()));
      for (int i = 0; i < MAX_DRAIN; i++) {
        read(in);
      }
    };
  }

  private static void read(InputStream in) throws IOException {
    byte[] h = in.readNBytes(4);
    if (h.length < 4) {
      throw new IOException("client closed");
    }
    int len = (h[2] & 0xFF) << 8 | (h[3] & 0xFF);
    if (len < 4 || in.readNBytes(len - 4).length < len - 4) {
      throw new IOException("client closed mid-PDU");
    }
  }

  private static void send(OutputStream out, byte[] pdu) throws IOException {
    out.write(pdu);
    out.flush();
  }
}

package dev.rdpdoctor.probe.connect;

/**
 * What a phase hands its driver besides the next read: bytes to write, a view of what it received
 * for the trace, or a step worth an event. The phase never touches the socket.
 */
public sealed interface Out {
  /**
   * A PDU to write. {@code withheld}: the trace shows its name and length only, never its bytes (an
   * NTLM AUTHENTICATE, sealed credentials).
   */
  record Send(String what, byte[] bytes, boolean withheld) implements Out {
    public static Send of(String what, byte[] bytes) {
      return new Send(what, bytes, false);
    }
  }

  /** A view of received bytes for the trace (a decrypted PDU); empty bytes when withheld. */
  record Note(String what, byte[] bytes) implements Out {}

  /** A CredSSP step for the event stream ("NEGOTIATE sent", "pubKeyAuth verified" ...). */
  record Phase(String phase, String detail) implements Out {}
}

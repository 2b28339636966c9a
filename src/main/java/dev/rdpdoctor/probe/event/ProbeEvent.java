package dev.rdpdoctor.probe.event;

import dev.rdpdoctor.evidence.NegotiationAttempt;
import java.net.InetAddress;
import java.util.List;

/**
 * Something a probe did, stamped with the run's clock. The one stream that timings ({@code
 * probes.*.millis}, {@code probes.timings}), live progress, {@code --trace}, the fleet progress
 * bar, the web page's server-sent events and the exporter's metrics are all views of. Listeners
 * switch on the record type; layers above the probes (the engine, the diagnosis) add their own
 * event records, so this is an open interface, not a sealed one.
 */
public interface ProbeEvent {
  /** When it happened, in {@link RunClock} nanoseconds. */
  long at();

  /** A probe starts; {@code subject} names what it looks at ("198.51.100.7:3389", "TLSv1.2"). */
  record ProbeStarted(long at, String probe, String subject) implements ProbeEvent {}

  /**
   * A probe ended with an outcome word ("open", "refused", "selected SSL" ...); {@code millis} is
   * this event's time minus its {@link ProbeStarted}'s, and is what the evidence records.
   */
  record ProbeFinished(long at, String probe, String subject, String outcome, long millis)
      implements ProbeEvent {}

  /**
   * A probe could not produce its evidence normally: its deadline passed, the run's deadline passed
   * before it got a connection slot, or it failed in a way that is not a network outcome.
   */
  record ProbeFailed(long at, String probe, String subject, String reason, long millis)
      implements ProbeEvent {}

  /** The name resolved (or not: {@code addresses} empty). */
  record DnsResolved(long at, String host, List<InetAddress> addresses, long millis)
      implements ProbeEvent {}

  /** A TCP connect begins. */
  record ConnectStarted(long at, String probe, InetAddress address, int port)
      implements ProbeEvent {}

  /** A TCP connect completed after {@code millis}: one sample of the path's round trip. */
  record ConnectEnded(long at, String probe, InetAddress address, int port, long millis)
      implements ProbeEvent {}

  /** A TCP connect failed ("refused", "timeout", "host_unreachable" ...). */
  record ConnectFailed(
      long at, String probe, InetAddress address, int port, String outcome, long millis)
      implements ProbeEvent {}

  /**
   * One request/answer exchange on an open connection (X.224 request to confirm, a TLS flight),
   * from the last byte sent to the first byte of the answer: a sample of the path's round trip plus
   * the server's think time.
   */
  record RoundTrip(long at, String probe, String exchange, long micros) implements ProbeEvent {}

  /** An X.224 negotiation ended; the attempt is what the evidence keeps. */
  record NegotiationDone(long at, NegotiationAttempt attempt) implements ProbeEvent {}

  /** A TLS handshake on an RDP or gateway connection ended. */
  record TlsDone(
      long at,
      String probe,
      String subject,
      boolean ok,
      String version,
      String cipherSuite,
      String detail,
      long millis)
      implements ProbeEvent {}

  /** A CredSSP step ("NEGOTIATE sent", "CHALLENGE received", "pubKeyAuth verified" ...). */
  record CredSspPhase(long at, String phase, String detail) implements ProbeEvent {}

  /**
   * A PDU sent or received at the RDP layer, for {@code --trace}. Emitted only when a listener
   * asked for bytes. {@code bytes} is empty when the contents were withheld (a logon cookie).
   */
  record Pdu(long at, boolean sent, String stream, String what, byte[] bytes, int length)
      implements ProbeEvent {}
}

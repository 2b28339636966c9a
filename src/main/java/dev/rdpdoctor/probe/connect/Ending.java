package dev.rdpdoctor.probe.connect;

/** How a read or write of the driver ended without a message for the phase. */
public enum Ending {
  /** The server closed the connection (FIN). */
  CLOSED,
  /** The connection was reset. */
  RESET,
  /** The deadline passed. */
  TIMEOUT,
  /** Another I/O failure. */
  FAILED,
  /** The frame itself was malformed (a TPKT or DER length beyond its cap ...). */
  MALFORMED
}

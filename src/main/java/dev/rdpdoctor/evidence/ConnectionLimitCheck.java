package dev.rdpdoctor.evidence;

/**
 * Several TCP connections opened at once and held without sending anything (pending, as a
 * half-finished RDP connection is), then one RDP negotiation while they are held.
 *
 * @param attempted connections tried at once
 * @param opened how many the server accepted
 * @param refused refused or reset at connect
 * @param timedOut connects that did not complete
 * @param droppedWhileHeld accepted ones the server closed or reset while held
 * @param negotiationWhileHeld outcome of the X.224 request sent while the others were held
 */
public record ConnectionLimitCheck(
    String address,
    int port,
    int attempted,
    int opened,
    int refused,
    int timedOut,
    int droppedWhileHeld,
    String negotiationWhileHeld,
    boolean negotiationWorked,
    long millis,
    PathEvidence.Bounds bounds) {}

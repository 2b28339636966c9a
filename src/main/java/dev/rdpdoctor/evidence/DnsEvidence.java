package dev.rdpdoctor.evidence;

import java.util.List;

/**
 * Name resolution as the client's resolver sees it.
 *
 * @param addresses every A/AAAA answer, in resolver order
 * @param error the resolver's own words when it failed
 */
public record DnsEvidence(
    String host, Status status, List<String> addresses, long millis, String error) {

  public enum Status {
    /** The host is an IP literal: nothing was resolved. */
    SKIPPED_LITERAL,
    RESOLVED,
    /** The resolver answered that the name does not exist (or has no addresses). */
    NOT_FOUND,
    /** No answer within the deadline. */
    TIMEOUT
  }

  public boolean resolved() {
    return status == Status.RESOLVED || status == Status.SKIPPED_LITERAL;
  }
}

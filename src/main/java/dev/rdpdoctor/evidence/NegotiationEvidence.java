package dev.rdpdoctor.evidence;

import java.util.List;
import java.util.Optional;

/**
 * Every X.224 negotiation attempt against one address. The first attempt is the client profile's
 * own offer; the rest probe one security protocol each.
 */
public record NegotiationEvidence(String address, List<NegotiationAttempt> attempts) {
  public static final String CLIENT_LABEL = "client";

  public Optional<NegotiationAttempt> client() {
    return attempts.stream().filter(a -> a.label().equals(CLIENT_LABEL)).findFirst();
  }

  public Optional<NegotiationAttempt> forProtocol(int requested) {
    return attempts.stream()
        .filter(a -> !a.label().equals(CLIENT_LABEL) && a.requestedProtocols() == requested)
        .findFirst();
  }
}

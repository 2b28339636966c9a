package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebSocketAcceptTest {
  /** The worked example of RFC 6455 section 1.3. */
  @Test
  void theRfcExampleKeyHashesToItsAccept() {
    assertThat(GatewayConnection.webSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="))
        .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void anotherKeyGivesAnotherAccept() {
    String key = GatewayConnection.webSocketKey();
    assertThat(GatewayConnection.webSocketAccept(key))
        .isNotEqualTo(GatewayConnection.webSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="))
        .hasSize(28);
  }
}

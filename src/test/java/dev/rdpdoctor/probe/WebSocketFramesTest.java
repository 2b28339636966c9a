package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rdpdoctor.wire.MalformedPduException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WebSocketFramesTest {
  /** The worked example of RFC 6455 section 1.3. */
  @Test
  void theRfcExampleKeyHashesToItsAccept() {
    assertThat(WebSocketFrames.webSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="))
        .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void anotherKeyGivesAnotherAccept() {
    String key = WebSocketFrames.webSocketKey();
    assertThat(WebSocketFrames.webSocketAccept(key))
        .isNotEqualTo(WebSocketFrames.webSocketAccept("dGhlIHNhbXBsZSBub25jZQ=="))
        .hasSize(28);
  }

  /** RFC 6455 5.7's single-frame unmasked "Hello", as a gateway sends it (binary opcode). */
  private static final byte[] HELLO = {(byte) 0x82, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};

  @Test
  void readsAServerFrameAndItsFragmentedTwin() throws Exception {
    assertThat(read(HELLO, 1024)).isEqualTo("Hello".getBytes());
    // RFC 6455 5.7: "Hel" then "lo" in a continuation frame, with a ping between them
    byte[] fragmented = {
      0x02, 0x03, 0x48, 0x65, 0x6c, (byte) 0x89, 0x00, (byte) 0x80, 0x02, 0x6c, 0x6f
    };
    assertThat(read(fragmented, 1024)).isEqualTo("Hello".getBytes());
  }

  @Test
  void ourFramesAreMaskedAndReadBack() throws Exception {
    byte[] payload = new byte[300]; // the 16-bit length form
    Arrays.fill(payload, (byte) 7);
    byte[] frame = WebSocketFrames.binary(payload);
    assertThat(frame[1] & 0x80).as("MASK bit").isNotZero();
    assertThat(frame[1] & 0x7F).isEqualTo(126);
    assertThat(read(frame, 1024)).isEqualTo(payload);
  }

  @Test
  void malformedTwinsEndInAnExceptionNamingWhy() {
    byte[] truncated = Arrays.copyOf(HELLO, HELLO.length - 2);
    assertThatThrownBy(() -> read(truncated, 1024)).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> read(HELLO, 4))
        .isInstanceOf(MalformedPduException.class)
        .hasMessageContaining("exceeds 4");
    byte[] huge = {(byte) 0x82, 0x7F, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> read(huge, 1024)).isInstanceOf(MalformedPduException.class);
    byte[] close = {(byte) 0x88, 0x02, 0x03, (byte) 0xE8};
    assertThatThrownBy(() -> read(close, 1024))
        .isInstanceOf(EOFException.class)
        .hasMessageContaining("status 1000");
  }

  private static byte[] read(byte[] bytes, int cap) throws IOException, MalformedPduException {
    return WebSocketFrames.readMessage(new ByteArrayInputStream(bytes), cap);
  }
}

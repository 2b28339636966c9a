package dev.rdpdoctor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.probe.MtuProbe.Os;
import dev.rdpdoctor.probe.PingOutput.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PingOutputTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "windows-v4-reply.txt,             WINDOWS, 0, 198.19.1.2,           REPLY",
    "windows-v4-reply-de.txt,          WINDOWS, 0, 198.19.1.2,           REPLY",
    "windows-v6-reply.txt,             WINDOWS, 0, 2001:db8:0:0:0:0:0:9, REPLY",
    // Windows exits 0 here: a router's unreachable counts as a reply to ping.exe
    "windows-v4-router-unreachable.txt, WINDOWS, 0, 198.19.1.2,          NO_REPLY",
    "windows-v4-needs-fragment.txt,    WINDOWS, 1, 198.19.1.2,           TOO_BIG",
    "windows-v4-timed-out.txt,         WINDOWS, 1, 198.19.1.2,           NO_REPLY",
    "linux-local-too-long.txt,         LINUX,   1, 198.19.1.2,           TOO_BIG",
    "linux-frag-needed.txt,            LINUX,   1, 198.19.1.2,           TOO_BIG",
  })
  void readsEachFixture(String file, Os os, int exit, String address, Verdict expected)
      throws IOException {
    assertThat(PingOutput.read(os, exit, fixture(file), address).verdict()).isEqualTo(expected);
  }

  @Test
  void aRouterThatNamesItsMtuIsKept() throws IOException {
    assertThat(PingOutput.read(Os.LINUX, 1, fixture("linux-frag-needed.txt"), "198.19.1.2"))
        .isEqualTo(new PingOutput.Result(Verdict.TOO_BIG, 1400));
  }

  @Test
  void aReplyFromAnotherAddressIsNotTheTargets() throws IOException {
    // the same bytes, asked about 1.2.3.4: neither 198.19.1.2 nor a longer address containing it
    assertThat(PingOutput.read(Os.WINDOWS, 0, fixture("windows-v4-reply.txt"), "9.1.2.3").verdict())
        .isEqualTo(Verdict.NO_REPLY);
    String near = "Reply from 11.2.3.4: bytes=32 time=1ms TTL=64\r\n";
    assertThat(PingOutput.read(Os.WINDOWS, 0, near, "1.2.3.4").verdict())
        .isEqualTo(Verdict.NO_REPLY);
  }

  @Test
  void malformedTwinsNeverReadAsAReply() throws IOException {
    // each Windows reply fixture cut before its time, and with a non-zero exit: no reply
    for (String f : new String[] {"windows-v4-reply.txt", "windows-v6-reply.txt"}) {
      String text = fixture(f);
      String cut = text.substring(0, text.indexOf("time"));
      String address = f.contains("v6") ? "2001:db8::9" : "198.19.1.2";
      assertThat(PingOutput.read(Os.WINDOWS, 0, cut, address).verdict())
          .isEqualTo(Verdict.NO_REPLY);
      assertThat(PingOutput.read(Os.WINDOWS, 1, text, address).verdict())
          .isEqualTo(Verdict.NO_REPLY);
    }
    // output past the cap is not read; garbage is no reply, not an exception
    String flood =
        "x".repeat(PingOutput.MAX_OUTPUT_CHARS) + "Reply from 198.19.1.2: time=1ms TTL=1";
    assertThat(PingOutput.read(Os.WINDOWS, 0, flood, "198.19.1.2").verdict())
        .isEqualTo(Verdict.NO_REPLY);
    assertThat(PingOutput.read(Os.WINDOWS, 0, "\u0000:::: : 1ms", "198.19.1.2").verdict())
        .isEqualTo(Verdict.NO_REPLY);
    assertThat(PingOutput.read(Os.LINUX, 2, "mtu = 99999999", "198.19.1.2").reportedMtu()).isNull();
  }

  @Test
  void withNoFolderForTheOutputTheExitCodeDecides() {
    Path nowhere = Path.of("/nonexistent/rdpdoctor-test");
    assertThat(MtuProbe.ping(List.of("true"), Os.LINUX, "198.19.1.2", nowhere).verdict())
        .isEqualTo(Verdict.REPLY);
    assertThat(MtuProbe.ping(List.of("false"), Os.LINUX, "198.19.1.2", nowhere).verdict())
        .isEqualTo(Verdict.NO_REPLY);
    // and with a folder, the output is read: a Windows-style reply from another address is none
    assertThat(
            MtuProbe.ping(
                    List.of("echo", "Reply from 9.9.9.9: bytes=32 time=1ms TTL=64"),
                    Os.WINDOWS,
                    "198.19.1.2",
                    null)
                .verdict())
        .isEqualTo(Verdict.NO_REPLY);
    assertThat(
            MtuProbe.ping(
                    List.of("echo", "Reply from 198.19.1.2: bytes=32 time=1ms TTL=64"),
                    Os.WINDOWS,
                    "198.19.1.2",
                    null)
                .verdict())
        .isEqualTo(Verdict.REPLY);
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = PingOutputTest.class.getResourceAsStream("/ping/" + name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}

package dev.rdpdoctor.sources.rdpfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RdpFileParserTest {
  /** What mstsc's "Save As" writes (abridged), CRLF line ends. */
  static final String MSTSC =
      "screen mode id:i:2\r\nuse multimon:i:0\r\n"
          + "full address:s:srv.lab.test:3390\r\nprompt for credentials:i:0\r\n"
          + "authentication level:i:2\r\nenablecredsspsupport:i:1\r\n"
          + "gatewayhostname:s:\r\ngatewayusagemethod:i:4\r\n"
          + "alternate shell:s:\r\nusername:s:LAB\\alice\r\n";

  static byte[] bytes(byte[] bom, String text, Charset cs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bom);
    out.writeBytes(text.getBytes(cs));
    return out.toByteArray();
  }

  static byte[] utf16(String text) {
    return bytes(new byte[] {(byte) 0xFF, (byte) 0xFE}, text, StandardCharsets.UTF_16LE);
  }

  @Test
  void readsTheUtf16FileMstscWrites() {
    byte[] b = utf16(MSTSC);
    assertThat(b[0] & 0xFF).isEqualTo(0xFF);
    RdpFile f = RdpFileParser.parse(b);
    assertThat(f.encoding()).isEqualTo(RdpEncoding.UTF16LE_BOM);
    assertThat(f.lineSeparator()).isEqualTo("\r\n");
    assertThat(f.problems()).isEmpty();
    assertThat(f.settings()).hasSize(10);
    assertThat(f.string("full address")).contains("srv.lab.test:3390");
    assertThat(f.integer("authentication level")).contains(2);
    assertThat(f.string("gatewayhostname")).isEmpty(); // empty value = not set
    assertThat(f.string("username")).contains("LAB\\alice");
  }

  @Test
  void utf8WithAndWithoutBomAndAnsi() {
    String text = "full address:s:srv.lab.test\nusername:s:j\u00fcrgen\n";
    RdpFile bom =
        RdpFileParser.parse(
            bytes(
                new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, text, StandardCharsets.UTF_8));
    RdpFile plain = RdpFileParser.parse(text.getBytes(StandardCharsets.UTF_8));
    RdpFile ansi = RdpFileParser.parse(text.getBytes(Charset.forName("windows-1252")));
    assertThat(bom.encoding()).isEqualTo(RdpEncoding.UTF8_BOM);
    assertThat(plain.encoding()).isEqualTo(RdpEncoding.UTF8);
    assertThat(ansi.encoding()).isEqualTo(RdpEncoding.WINDOWS_1252);
    for (RdpFile f : new RdpFile[] {bom, plain, ansi}) {
      assertThat(f.string("username")).contains("j\u00fcrgen");
      assertThat(f.lineSeparator()).isEqualTo("\n");
      assertThat(f.problems()).isEmpty();
    }
  }

  @Test
  void utf16WithoutBomIsRecognised() {
    RdpFile f =
        RdpFileParser.parse("full address:s:a.example\r\n".getBytes(StandardCharsets.UTF_16LE));
    assertThat(f.encoding()).isEqualTo(RdpEncoding.UTF16LE);
    assertThat(f.string("full address")).contains("a.example");
  }

  @Test
  void namesAreCaseInsensitiveAndValuesKeepTheirColons() {
    RdpFile f =
        RdpFileParser.parse(
            "Full Address:S:[2001:db8::7]:3390\r\n".getBytes(StandardCharsets.UTF_8));
    assertThat(f.get("full address"))
        .hasValueSatisfying(
            s -> {
              assertThat(s.type()).isEqualTo('s');
              assertThat(s.value()).isEqualTo("[2001:db8::7]:3390");
            });
    assertThat(RdpAddress.parse(f.string("full address").orElseThrow()))
        .contains(new RdpAddress("2001:db8::7", 3390));
  }

  @Test
  void malformedLinesAreReportedWithLineAndColumnAndTheRestIsRead() {
    String text =
        "full address:s:srv\r\nno colon here\r\nusername:x:bob\r\n"
            + "domain:s\r\n:s:nameless\r\nserver port:i:3390\r\nbell\u0007:i:1\r\n";
    RdpFile f = RdpFileParser.parse(utf16(text));
    assertThat(f.problems())
        .extracting(Object::toString)
        .containsExactly(
            "2:1: expected name:type:value, found no ':'",
            "3:10: type must be s, i or b, found 'x'",
            "4:8: expected a type and a value after 'domain:' (e.g. domain:s:...)",
            "5:1: empty setting name",
            "7:5: control character U+0007: ignored line (binary data, or the wrong encoding?)");
    assertThat(f.settings())
        .extracting(RdpSetting::key)
        .containsExactly("full address", "server port");
  }

  @Test
  void problemsAndLinesAreCapped() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < RdpFileParser.MAX_LINES + 10; i++) {
      sb.append("garbage\n");
    }
    RdpFile f = RdpFileParser.parse(sb.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(f.truncated()).isTrue();
    assertThat(f.lines()).hasSize(RdpFileParser.MAX_LINES);
    assertThat(f.problems()).hasSize(RdpFileParser.MAX_PROBLEMS + 1);
    assertThat(f.problems().get(RdpFileParser.MAX_PROBLEMS).message())
        .contains("more problem(s) not listed");
  }

  @Test
  void binaryAndTruncatedInputNeverThrows() {
    byte[] odd = utf16("full address:s:srv\r\n");
    byte[] cut = java.util.Arrays.copyOf(odd, odd.length - 1);
    RdpFile f = RdpFileParser.parse(cut);
    assertThat(f.problems())
        .extracting(RdpFileProblem::message)
        .anyMatch(m -> m.contains("odd number of bytes"));
    java.util.Random r = new java.util.Random(6);
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[r.nextInt(400)];
      r.nextBytes(junk);
      RdpFile j = RdpFileParser.parse(junk);
      assertThat(j.problems().size()).isLessThanOrEqualTo(RdpFileParser.MAX_PROBLEMS + 1);
    }
    assertThat(RdpFileParser.parse(new byte[0]).settings()).isEmpty();
  }

  @Test
  void rewritingAnUnchangedFileGivesTheSameBytes() {
    for (byte[] b :
        new byte[][] {
          utf16(MSTSC),
          MSTSC.getBytes(StandardCharsets.UTF_8),
          "a:s:b\nc:i:1".getBytes(StandardCharsets.UTF_8),
          "x:s:caf\u00e9\r".getBytes(Charset.forName("windows-1252")),
          "junk line\r\nfull address:s:h\r\n\r\n".getBytes(StandardCharsets.UTF_8)
        }) {
      assertThat(RdpFileParser.parse(b).toBytes()).isEqualTo(b);
    }
  }
}

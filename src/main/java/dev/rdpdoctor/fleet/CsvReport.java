package dev.rdpdoctor.fleet;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One flat row per host (RFC 4180). A cell a spreadsheet would run as a formula (it starts with = +
 * - @) gets a leading apostrophe: certificate names and server answers are the server's words, not
 * ours.
 */
final class CsvReport implements AutoCloseable {
  static final List<String> COLUMNS =
      List.of(
          "target",
          "host",
          "port",
          "address",
          "verdict",
          "exit_code",
          "top_cause",
          "causes",
          "summary",
          "security_layers",
          "nla",
          "tls_versions",
          "cipher_suites",
          "cert_issuer",
          "cert_subject",
          "cert_not_after",
          "cert_key_bits",
          "rdp_version",
          "credssp_version",
          "offers_udp",
          "compliant",
          "violations",
          "millis");

  private final Writer out;

  CsvReport(Writer out) throws IOException {
    this.out = out;
    line(COLUMNS);
  }

  void row(HostSummary h) throws IOException {
    List<String> c = new ArrayList<>();
    c.add(h.target());
    c.add(h.host());
    c.add(String.valueOf(h.port()));
    c.add(h.address());
    c.add(h.verdict().name().toLowerCase(Locale.ROOT));
    c.add(String.valueOf(h.verdict().exitCode()));
    c.add(h.topCause());
    c.add(String.join(";", h.causes()));
    c.add(h.summary());
    c.add(h.layers() == null ? null : String.join(";", h.layers()));
    c.add(h.nla());
    c.add(h.tlsVersions() == null ? null : String.join(";", h.tlsVersions()));
    c.add(String.join(";", h.cipherSuites()));
    c.add(h.certIssuer());
    c.add(h.certSubject());
    c.add(h.certNotAfter() == null ? null : h.certNotAfter().toString());
    c.add(str(h.certKeyBits()));
    c.add(h.rdpVersion());
    c.add(str(h.credsspVersion()));
    c.add(str(h.offersUdp()));
    c.add(h.policy() == null ? null : String.valueOf(h.policy().compliant()));
    c.add(
        h.policy() == null
            ? null
            : String.join(
                "; ",
                h.policy().violations().stream().map(v -> v.rule() + ": " + v.found()).toList()));
    c.add(String.valueOf(h.millis()));
    line(c);
  }

  private static String str(Object o) {
    return o == null ? null : o instanceof Instant i ? i.toString() : o.toString();
  }

  private void line(List<String> cells) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(cell(cells.get(i)));
    }
    b.append("\r\n");
    out.write(b.toString());
    out.flush();
  }

  static String cell(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    String v = "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    if (v.indexOf(',') >= 0
        || v.indexOf('"') >= 0
        || v.indexOf('\n') >= 0
        || v.indexOf('\r') >= 0) {
      return '"' + v.replace("\"", "\"\"") + '"';
    }
    return v;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}

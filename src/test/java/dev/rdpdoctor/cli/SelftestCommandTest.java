package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SelftestCommandTest {
  @Test
  void fullDiagnosisAgainstTheLoopbackListenerPasses() {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int rc = cl.execute("selftest", "--show");
    assertThat(rc).as("stdout: %s%nstderr: %s", out, err).isZero();
    assertThat(out.toString())
        .contains("selftest: ok (TLSv1.3")
        // the report of the loopback run is the real thing, not a canned text
        .contains("x224      client offer SSL|HYBRID|HYBRID_EX -> server selected SSL")
        .contains("\"cause\" : \"cert-name-mismatch\"");
    assertThat(err.toString()).isEmpty();
  }
}

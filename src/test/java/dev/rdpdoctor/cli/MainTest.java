package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void topLevelHelpListsEverySubcommand() {
    CommandLine cl = Main.commandLine("--help");
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("--help")).isZero();
    assertThat(out.toString())
        .contains("diagnose", "explain", "logs", "rdpfile", "fix", "selftest");
  }

  @Test
  void aNamedSubcommandIsBuiltAloneAndStillRuns() {
    CommandLine cl = Main.commandLine("explain");
    assertThat(cl.getSubcommands()).containsOnlyKeys("explain");
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));
    assertThat(cl.execute("explain", "0x904")).isZero();
    assertThat(out.toString()).contains("0x904 (2308)");
  }

  @Test
  void anUnknownSubcommandIsAUsageError() {
    CommandLine cl = Main.commandLine("diagnos");
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    assertThat(cl.execute("diagnos", "host")).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(err.toString()).startsWith("rdpdoctor: ").doesNotContain("Exception");
  }
}

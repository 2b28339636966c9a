package dev.rdpdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The credential options of diagnose: bad input ends in a message and exit 3, before probing. */
class DiagnoseCredentialsTest {
  record Result(int exit, String out, String err) {}

  static Result run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void passwordFileWithoutUserIsAUsageError(@TempDir Path dir) throws Exception {
    Path f = Files.writeString(dir.resolve("pw"), "Hunter2!\n");
    Result r = run("diagnose", "127.0.0.1", "--password-file", f.toString());
    assertThat(r.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err()).contains("--password-file needs --user").doesNotContain("Exception");
    assertThat(r.out() + r.err()).doesNotContain("Hunter2!");
  }

  @Test
  void missingOrOversizedPasswordFileIsAClearError(@TempDir Path dir) throws Exception {
    Result missing =
        run(
            "diagnose",
            "127.0.0.1",
            "--user",
            "bob",
            "--password-file",
            dir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(missing.err()).contains("not a readable file").doesNotContain("Exception");
    Path big = Files.write(dir.resolve("big"), new byte[8192]);
    Result huge = run("diagnose", "127.0.0.1", "--user", "bob", "--password-file", big.toString());
    assertThat(huge.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(huge.err()).contains("larger than");
  }

  @Test
  void thePasswordIsNotAnOption() {
    Result r = run("diagnose", "127.0.0.1", "--password", "Hunter2!");
    assertThat(r.exit()).isEqualTo(Main.EXIT_UNKNOWN);
    assertThat(r.err()).contains("--password");
  }
}

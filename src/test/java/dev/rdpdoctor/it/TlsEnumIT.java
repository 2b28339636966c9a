package dev.rdpdoctor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * rdpdoctor's cipher enumeration against sslscan's on the same real xrdp servers: the comparison
 * script exits 0 only when rdpdoctor reports every TLS version and suite sslscan reports. Runs as
 * root (the lab), like the other ITs.
 */
class TlsEnumIT {
  @Test
  void rdpdoctorReportsEverySuiteSslscanReports() throws Exception {
    Process p =
        new ProcessBuilder("bench/compare-sslscan.sh", "tlsenum-modern", "tlsenum-legacy")
            .directory(Path.of(".").toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out)
        .contains("== tlsenum-modern", "== tlsenum-legacy")
        .contains("versions  sslscan: TLSv1.2, TLSv1.3", "versions  sslscan: TLSv1.0")
        .doesNotContain("rdpdoctor misses: [");
  }
}

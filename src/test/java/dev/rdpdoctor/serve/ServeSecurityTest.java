package dev.rdpdoctor.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.cli.Main;
import dev.rdpdoctor.engine.Doctor;
import dev.rdpdoctor.evidence.ClientProfile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fences of {@code serve}, each exercised over real HTTP on loopback. */
class ServeSecurityTest {
  static final String TOKEN = "t0ken-for-tests-0123456789";

  @Test
  void beyondLoopbackWithoutTokenOrAllowlistRefusesToStart(@TempDir Path dir) throws Exception {
    ServeConfig wide =
        new ServeConfig(
            "0.0.0.0",
            0,
            null,
            List.of(),
            4,
            60,
            10,
            1024,
            Duration.ZERO,
            false,
            ServeConfig.defaultModules());
    assertThat(ServeServer.refusalToStart(wide, false))
        .contains("--token-file")
        .contains("--allow");
    assertThat(ServeServer.refusalToStart(wide, true)).contains("--allow");
    ServeConfig allowed =
        new ServeConfig(
            "0.0.0.0",
            0,
            null,
            List.of("198.18.0.0/15"),
            4,
            60,
            10,
            1024,
            Duration.ZERO,
            false,
            ServeConfig.defaultModules());
    assertThat(ServeServer.refusalToStart(allowed, false)).contains("--token-file");
    assertThat(ServeServer.refusalToStart(allowed, true)).isNull();
    assertThat(ServeServer.refusalToStart(ServeConfig.defaults(), false)).isNull();

    // the command itself: exit 3 with the reason, nothing bound
    Path token = dir.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.run("serve", "--listen", "0.0.0.0:0")).isEqualTo(Main.EXIT_UNKNOWN);
      assertThat(Main.run("serve", "--listen", "0.0.0.0:0", "--token-file", token.toString()))
          .isEqualTo(Main.EXIT_UNKNOWN);
      Files.writeString(dir.resolve("short"), "abc");
      assertThat(Main.run("serve", "--token-file", dir.resolve("short").toString()))
          .isEqualTo(Main.EXIT_UNKNOWN);
    } finally {
      System.setErr(saved);
    }
    String said = err.toString(StandardCharsets.UTF_8);
    assertThat(said)
        .contains("refusing to start")
        .contains("needs --token-file")
        .contains("at least 16 characters");
  }

  @Test
  void targetOutsideTheAllowlistIs403() throws Exception {
    try (Harness h =
        new Harness(
            Harness.config(List.of("198.18.0.0/15", ".lab.test"), 4, 600, 1024, false),
            null,
            Map.of(
                "srv.lab.test",
                "198.18.7.2",
                "evil.lab.test",
                "10.9.9.9",
                "outside.example",
                "198.18.1.1"),
            Doctor.standard()::diagnose)) {
      HttpResponse<String> r = h.get("/probe?target=10.1.2.3&module=quick");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("10.1.2.3").contains("not in this server's allowlist");
      // a port outside the allowed ports
      r = h.get("/probe?target=198.18.7.2:22&module=quick");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("port 22");
      // the page's API says the same, as JSON
      r =
          h.post(
              "/api/diagnose",
              HttpRequest.BodyPublishers.ofString("{\"host\":\"10.1.2.3\"}"),
              "Content-Type",
              "application/json");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).startsWith("{\"error\":").contains("allowlist");
      // a gateway outside the allowlist
      r = h.get("/probe?target=srv.lab.test&module=gateway&gateway=10.1.2.3");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("gateway 10.1.2.3");
      // a name inside an allowed CIDR but not an allowed suffix is fine by address
      assertThat(
              TargetPolicy.of(
                      List.of("198.18.0.0/15"),
                      false,
                      n -> new InetAddress[] {InetAddress.getByName("198.18.1.1")})
                  .check(
                      new dev.rdpdoctor.evidence.Target(
                          "outside.example", 3389, false, ClientProfile.WINDOWS),
                      "target")
                  .allowed())
          .isTrue();
    }
  }

  @Test
  void namesResolvingToMetadataAddressesAre403EvenOnLoopback() throws Exception {
    try (Harness h =
        new Harness(
            Harness.config(List.of(), 4, 600, 1024, false),
            null,
            Map.of(
                "metadata.evil.test",
                "169.254.169.254",
                "v6.evil.test",
                "fd00:ec2::254",
                "mapped.evil.test",
                "::ffff:169.254.169.254"),
            Doctor.standard()::diagnose)) {
      for (String name :
          List.of("metadata.evil.test", "v6.evil.test", "mapped.evil.test", "169.254.169.254")) {
        HttpResponse<String> r = h.get("/probe?target=" + name + "&module=quick");
        assertThat(r.statusCode()).as(name).isEqualTo(403);
        assertThat(r.body()).as(name).contains("never probed");
      }
      HttpResponse<String> r = h.get("/probe?target=metadata.evil.test&module=quick");
      assertThat(r.body()).contains("resolves to 169.254.169.254");
      assertThat(h.get("/metrics").body())
          .contains("rdpdoctor_exporter_refusals_total{reason=\"forbidden\"}");
    }
  }

  @Test
  void tokenIsRequiredWhenSetAndTheCookieHoldsNoToken() throws Exception {
    try (Harness h =
        new Harness(
            Harness.config(List.of(), 4, 600, 1024, false),
            TOKEN,
            Map.of(),
            Doctor.standard()::diagnose)) {
      HttpResponse<String> r = h.get("/probe?target=127.0.0.1:1&module=quick");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.body()).contains("a token is required");
      assertThat(h.get("/metrics").statusCode()).isEqualTo(401);
      assertThat(h.get("/metrics", "Authorization", "Bearer wrong-token-000000000").statusCode())
          .isEqualTo(401);
      assertThat(h.get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
      // the page shell loads (it shows the login form), its API does not
      assertThat(h.get("/").statusCode()).isEqualTo(200);
      assertThat(h.get("/api/info").statusCode()).isEqualTo(401);
      r =
          h.post(
              "/login",
              HttpRequest.BodyPublishers.ofString("token=nope"),
              "Content-Type",
              "application/x-www-form-urlencoded");
      assertThat(r.statusCode()).isEqualTo(403);
      r =
          h.post(
              "/login",
              HttpRequest.BodyPublishers.ofString("token=" + TOKEN),
              "Content-Type",
              "application/x-www-form-urlencoded");
      assertThat(r.statusCode()).isEqualTo(303);
      String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(TOKEN);
      String pair = cookie.substring(0, cookie.indexOf(';'));
      assertThat(h.get("/api/info", "Cookie", pair).statusCode()).isEqualTo(200);
      // a cross-site POST is refused even with the cookie
      r =
          h.post(
              "/api/diagnose",
              HttpRequest.BodyPublishers.ofString("{\"host\":\"x\"}"),
              "Cookie",
              pair,
              "Origin",
              "http://evil.example");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.body()).contains("cross-site");
    }
  }

  @Test
  void uploadsOverTheCapAre413WithOrWithoutContentLength() throws Exception {
    try (Harness h = new Harness(Harness.config(List.of(), 4, 600, 4096, false))) {
      byte[] big = new byte[8192];
      HttpResponse<String> r =
          h.post("/api/logs?name=big.evtx", HttpRequest.BodyPublishers.ofByteArray(big));
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).contains("8192 bytes").contains("at most 4096");
      // chunked: no Content-Length, counted while reading
      r =
          h.post(
              "/api/rdpfile?name=big.rdp",
              HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body()).contains("larger than 4096");
      // under the cap it is read
      r =
          h.post(
              "/api/rdpfile?name=ok.rdp",
              HttpRequest.BodyPublishers.ofString(
                  "full address:s:srv.lab.test\r\nenablecredsspsupport:i:0\r\n"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("\"host\":\"srv.lab.test\"");
      // something that is no event log: read leniently, the reader's complaint shown
      r = h.post("/api/logs?name=junk.csv", HttpRequest.BodyPublishers.ofString("hello"));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains("\"name\":\"junk.csv\"")
          .contains("\"records\":0")
          .containsPattern("\"errors\":\\[\"[^\"]+");
    }
  }

  @Test
  void fiftyConcurrentProbesHoldTheCapAndNothingHangs() throws Exception {
    int cap = 4;
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Doctor doctor = Doctor.standard();
    ServeServer.Runner counting =
        (req, l) -> {
          peak.accumulateAndGet(now.incrementAndGet(), Math::max);
          try {
            return doctor.diagnose(req, l);
          } finally {
            now.decrementAndGet();
          }
        };
    ServeConfig d = ServeConfig.defaults();
    ServeConfig c =
        new ServeConfig(
            "127.0.0.1",
            0,
            null,
            List.of(),
            cap,
            10_000,
            1000,
            1024,
            d.scrapeOffset(),
            false,
            Map.of(
                "quick",
                new ServeConfig.Module(
                    "quick",
                    Duration.ofMillis(1500),
                    Duration.ofMillis(1000),
                    ClientProfile.WINDOWS,
                    "quick",
                    null)));
    try (ServerSocket silent = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Harness h = new Harness(c, null, Map.of(), counting)) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      while (!silent.isClosed() && held.size() < 500) {
                        held.add(
                            silent.accept()); // accepted, never answered: the X.224 wait runs out
                      }
                    } catch (IOException e) {
                      // closed at the end of the test
                    }
                  });
      ConcurrentLinkedQueue<Integer> codes = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
      long t0 = System.nanoTime();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          all.add(
              pool.submit(
                  () -> {
                    HttpResponse<String> r =
                        h.get("/probe?module=quick&target=127.0.0.1:" + silent.getLocalPort());
                    codes.add(r.statusCode());
                    bodies.add(r.body());
                    return null;
                  }));
        }
        for (Future<?> f : all) {
          f.get(60, TimeUnit.SECONDS);
        }
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      silent.close();
      acceptor.join(5000);
      for (Socket s : held) {
        s.close();
      }
      assertThat(codes).hasSize(50);
      assertThat(peak.get()).isLessThanOrEqualTo(cap).isPositive();
      long ok = codes.stream().filter(x -> x == 200).count();
      long busy = codes.stream().filter(x -> x == 503).count();
      assertThat(ok + busy).isEqualTo(50);
      assertThat(ok).isBetween(1L, 50L);
      assertThat(busy).isPositive();
      assertThat(bodies).anyMatch(b -> b.contains("already running " + cap + " diagnoses"));
      assertThat(bodies).anyMatch(b -> b.contains("probe_success 0.0"));
      assertThat(secs).isLessThan(30);
      assertThat(h.get("/metrics").body()).contains("rdpdoctor_exporter_probes_in_flight 0.0");
    }
  }

  @Test
  void perClientRateLimitIs429WithItsReason() throws Exception {
    try (Harness h = new Harness(Harness.config(List.of(), 4, 2, 1024, false))) {
      List<Integer> codes = new ArrayList<>();
      HttpResponse<String> last = null;
      for (int i = 0; i < 3; i++) {
        last = h.get("/probe?module=quick&target=127.0.0.1:1");
        codes.add(last.statusCode());
      }
      assertThat(codes).containsExactly(200, 200, 429);
      assertThat(last.body()).contains("too many diagnoses").contains("at most 2 a minute");
    }
  }

  @Test
  void passwordNeverInAResponseOrALog() throws Exception {
    String secret = "Sup3r-Secret-Pa55word";
    List<String> jul = new ArrayList<>();
    Handler catcher =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            jul.add(
                r.getMessage()
                    + " "
                    + java.util.Arrays.toString(r.getParameters())
                    + (r.getThrown() == null ? "" : " " + r.getThrown()));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(catcher);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(console, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    List<String> responses = new ArrayList<>();
    List<String> logs = new ArrayList<>();
    try {
      String form =
          "{\"host\":\"127.0.0.1:1\",\"user\":\"LAB\\\\labuser\",\"password\":\"" + secret + "\"}";
      try (Harness h = new Harness(Harness.config(List.of(), 4, 600, 1024, true))) {
        HttpResponse<String> r =
            h.post(
                "/api/diagnose",
                HttpRequest.BodyPublishers.ofString(form),
                "Content-Type",
                "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("event: result").contains("port-closed");
        responses.add(r.headers().map() + r.body());
        // malformed variants: refused with a reason that does not echo the body
        r =
            h.post(
                "/api/diagnose",
                HttpRequest.BodyPublishers.ofString(
                    "{\"host\":\"bad host!\",\"user\":\"u\",\"password\":\"" + secret + "\"}"));
        assertThat(r.statusCode()).isEqualTo(400);
        responses.add(r.headers().map() + r.body());
        r =
            h.post(
                "/api/diagnose",
                HttpRequest.BodyPublishers.ofString(
                    "{\"host\":\"127.0.0.1:1\",\"password\":\"" + secret + "\"}"));
        assertThat(r.statusCode()).isEqualTo(400);
        responses.add(r.headers().map() + r.body());
        responses.add(h.get("/metrics").body());
        logs.addAll(h.log);
      }
      // the logon test off: the password is refused, and not echoed either
      try (Harness h = new Harness(Harness.config(List.of(), 4, 600, 1024, false))) {
        HttpResponse<String> r =
            h.post(
                "/api/diagnose",
                HttpRequest.BodyPublishers.ofString(form),
                "Content-Type",
                "application/json");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("--allow-logon-test");
        responses.add(r.headers().map() + r.body());
        logs.addAll(h.log);
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
      root.removeHandler(catcher);
    }
    assertThat(logs).isNotEmpty();
    assertThat(String.join("\n", responses)).doesNotContain(secret);
    assertThat(String.join("\n", logs)).doesNotContain(secret);
    assertThat(String.join("\n", jul)).doesNotContain(secret);
    assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
  }

  @Test
  void everyResponseCarriesCspAndNosniff() throws Exception {
    try (Harness h = new Harness(Harness.config(List.of(), 4, 600, 1024, false))) {
      for (String p : List.of("/", "/static/app.js", "/metrics", "/probe", "/static/nope.js")) {
        HttpResponse<String> r = h.get(p);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).as(p).hasValue("nosniff");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElse(""))
            .as(p)
            .contains("default-src 'none'")
            .contains("script-src 'self'");
      }
      HttpResponse<String> r = h.get("/probe");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("no target given");
      r = h.get("/probe?target=127.0.0.1:1&module=nope");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("unknown module 'nope'").contains("full, gateway, quick");
      assertThat(h.get("/static/nope.js").statusCode()).isEqualTo(404);
    }
  }
}

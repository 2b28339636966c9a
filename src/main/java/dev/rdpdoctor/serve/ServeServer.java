package dev.rdpdoctor.serve;

import dev.rdpdoctor.engine.DiagnoseRequest;
import dev.rdpdoctor.engine.RunResult;
import dev.rdpdoctor.probe.ProbeListener;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * {@code rdpdoctor serve}: the exporter ({@code /probe}, {@code /metrics}) and the helpdesk page
 * ({@code /} and its {@code /api/}) on Helidon SE. Stateless: every request carries all it needs,
 * so replicas behind Prometheus' hashmod sharding need no coordination.
 */
public final class ServeServer {
  /** The Content-Security-Policy of every response: this origin only, no inline script. */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
          + "frame-ancestors 'none'";

  /** Request bodies that are not uploads (the diagnose form, the login form). */
  static final int MAX_FORM_BYTES = 16 * 1024;

  private final ServeConfig config;
  private final Access access;
  private final ProbeService probes;
  private final ExporterMetrics metrics;
  private final Consumer<String> log;
  private final Exporter exporter;
  private final WebApi web;
  private WebServer server;

  /**
   * @param token the bearer token, or null (loopback only)
   * @param log where one line per request goes (never a body, never a password)
   */
  public ServeServer(
      ServeConfig config,
      String token,
      TargetPolicy.Resolver resolver,
      Runner doctor,
      Consumer<String> log) {
    this.config = config;
    this.access = token == null ? Access.open() : Access.withToken(token);
    this.metrics = new ExporterMetrics();
    boolean any = Access.isLoopback(config.host()) && config.allow().isEmpty();
    TargetPolicy policy = TargetPolicy.of(config.allow(), any, resolver);
    this.probes =
        new ProbeService(
            config,
            policy,
            new Limits(config.ratePerMinute(), config.burst(), config.maxConcurrentProbes()),
            doctor,
            metrics);
    this.log = log;
    this.exporter = new Exporter(probes);
    this.web = new WebApi(probes, config, access.required());
  }

  /** Runs one diagnosis: {@code Doctor.standard()::diagnose}; tests wrap it to observe. */
  @FunctionalInterface
  public interface Runner {
    RunResult diagnose(DiagnoseRequest request, ProbeListener listener);
  }

  /** Why these settings must not start a server, or null. */
  public static String refusalToStart(ServeConfig config, boolean hasToken) {
    return Access.refusalToStart(config.host(), hasToken, !config.allow().isEmpty());
  }

  /** The token from its file (first line, at least 16 characters). */
  public static String readToken(Path file) throws ServeConfig.BadConfig {
    return Access.readToken(file);
  }

  /** Binds and starts; returns the port (useful with port 0). */
  public int start() {
    server =
        WebServer.builder()
            .host(config.host())
            .port(config.port())
            .maxPayloadSize(Math.max(config.maxUploadBytes(), MAX_FORM_BYTES) + 64 * 1024)
            .shutdownHook(false)
            .routing(this::routes)
            .build()
            .start();
    return server.port();
  }

  public void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private void routes(HttpRouting.Builder r) {
    r.addFilter(
        (chain, req, res) -> {
          res.header("X-Content-Type-Options", "nosniff");
          res.header("Content-Security-Policy", CSP);
          res.header("Referrer-Policy", "no-referrer");
          res.header("X-Frame-Options", "DENY");
          res.header("Cache-Control", "no-store");
          String path = req.path().path();
          boolean open = path.equals("/") || path.equals("/login") || path.startsWith("/static/");
          if (!open && !access.admits(header(req, "Authorization"), header(req, "Cookie"))) {
            metrics.refused("unauthorized");
            res.header("WWW-Authenticate", "Bearer realm=\"rdpdoctor\"");
            Http.refuse(
                res,
                401,
                "a token is required: send 'Authorization: Bearer TOKEN' or log"
                    + " in on the page",
                path.startsWith("/api/"));
            log(req, 401);
            return;
          }
          if (req.prologue().method() == Method.POST && crossSite(req)) {
            metrics.refused("forbidden");
            Http.refuse(res, 403, "cross-site request refused (Origin does not match Host)", true);
            log(req, 403);
            return;
          }
          chain.proceed();
          log(req, res.status().code());
        });
    r.get("/", guard(web::page));
    r.get("/static/{file}", guard(web::asset));
    r.post("/login", guard(this::login));
    r.get("/probe", guard(exporter::probe));
    r.get(
        "/metrics",
        guard(
            (req, res) ->
                Http.send(res, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render())));
    r.get("/api/info", guard(web::info));
    r.post("/api/diagnose", guard(web::diagnose));
    r.get("/api/explain", guard(web::explain));
    r.post("/api/rdpfile", guard(web::rdpFile));
    r.post("/api/logs", guard(web::logs));
  }

  /** Every refusal a clear 4xx with a reason; an unexpected failure a 500 without details. */
  private Handler guard(Handler h) {
    return (req, res) -> {
      try {
        h.handle(req, res);
      } catch (ProbeService.Refused e) {
        metrics.refused(
            e.status == 403
                ? "forbidden"
                : e.status == 429 ? "rate-limited" : e.status == 503 ? "busy" : "bad-request");
        if (!res.isSent()) {
          Http.refuse(res, e.status, e.getMessage(), req.path().path().startsWith("/api/"));
        }
      } catch (UncheckedIOException | IOException e) {
        // the client went away mid-answer: nothing to tell it
      } catch (Exception e) {
        log.accept(
            "rdpdoctor serve: internal error on "
                + req.path().path()
                + ": "
                + e.getClass().getSimpleName());
        if (!res.isSent()) {
          Http.refuse(
              res,
              500,
              "internal error (see the server's log)",
              req.path().path().startsWith("/api/"));
        }
      }
    };
  }

  /** POST /login with token=...: sets the session cookie and goes back to the page. */
  private void login(ServerRequest req, ServerResponse res) throws ProbeService.Refused {
    if (!access.required()) {
      res.status(303).header("Location", "/").send();
      return;
    }
    if (!probes.allowLogin(Http.client(req))) {
      throw new ProbeService.Refused(429, "too many login attempts; wait a minute");
    }
    String body = new String(Http.body(req, MAX_FORM_BYTES), StandardCharsets.UTF_8);
    String cookie = access.login(Http.formValue(body, "token"));
    if (cookie == null) {
      throw new ProbeService.Refused(403, "wrong token");
    }
    res.status(303)
        .header("Location", "/")
        .header("Set-Cookie", Access.COOKIE + "=" + cookie + "; HttpOnly; SameSite=Strict; Path=/")
        .send();
  }

  /** A POST whose Origin names another site than the Host it was sent to. */
  private static boolean crossSite(ServerRequest req) {
    String origin = header(req, "Origin");
    String host = header(req, "Host");
    if (origin == null || origin.equals("null")) {
      return origin != null;
    }
    try {
      URI u = URI.create(origin);
      String o = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
      return host == null || !host.equalsIgnoreCase(o);
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  static String header(ServerRequest req, String name) {
    return req.headers().first(HeaderNames.create(name)).orElse(null);
  }

  private void log(ServerRequest req, int status) {
    // path only: a query may name a target, a body may hold a password; neither is logged
    log.accept(
        "rdpdoctor serve: "
            + Http.client(req)
            + " "
            + req.prologue().method().text()
            + " "
            + req.path().path()
            + " "
            + status);
  }

  static InputStream resource(String name) {
    return ServeServer.class.getResourceAsStream("/dev/rdpdoctor/serve/" + name);
  }

  static byte[] readResource(String name) {
    try (InputStream in = resource(name)) {
      if (in == null) {
        return null;
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

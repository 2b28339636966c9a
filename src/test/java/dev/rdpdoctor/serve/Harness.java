package dev.rdpdoctor.serve;

import dev.rdpdoctor.engine.Doctor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** A serve instance on a loopback port for one test, with its log lines kept. */
final class Harness implements AutoCloseable {
  final ServeServer server;
  final int port;
  final List<String> log = Collections.synchronizedList(new ArrayList<>());
  final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  Harness(ServeConfig config, String token, Map<String, String> hosts, ServeServer.Runner runner) {
    TargetPolicy.Resolver resolver =
        name -> {
          String a = hosts.get(name);
          if (a != null) {
            return new InetAddress[] {InetAddress.getByName(a)};
          }
          if (name.matches("[0-9.]+|.*:.*")) {
            return new InetAddress[] {InetAddress.getByName(name)};
          }
          throw new UnknownHostException(name);
        };
    server = new ServeServer(config, token, resolver, runner, log::add);
    port = server.start();
  }

  Harness(ServeConfig config) {
    this(config, null, Map.of(), Doctor.standard()::diagnose);
  }

  static ServeConfig config(List<String> allow, int cap, int rate, long upload, boolean logonTest) {
    ServeConfig d = ServeConfig.defaults();
    return new ServeConfig(
        "127.0.0.1",
        0,
        null,
        allow,
        cap,
        rate,
        rate,
        upload,
        d.scrapeOffset(),
        logonTest,
        d.modules());
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  HttpResponse<String> get(String pathAndQuery, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String pathAndQuery, HttpRequest.BodyPublisher body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).POST(body);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    server.stop();
  }
}

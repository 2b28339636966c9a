import dev.rdpdoctor.sources.eventlog.evtx.EvtxReader;
import dev.rdpdoctor.sources.eventlog.xml.PythonEvtxXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * EVTX throughput, outside the test suite:
 *   ./mvnw -q -B compile && java -cp target/classes bench/EvtxBench.java [DIR]
 * Reads every .evtx in DIR (default src/test/resources/evtx) from memory, 5 s warm-up, then
 * 10 timed passes; prints MB/s for parsing (records as trees) and parsing + XML rendering.
 */
public class EvtxBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/evtx");
    List<byte[]> files = new ArrayList<>();
    long bytes = 0;
    try (var s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".evtx")).sorted().toList()) {
        byte[] b = Files.readAllBytes(p);
        files.add(b);
        bytes += b.length;
      }
    }
    long end = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < end) {
      pass(files, true);
    }
    double mb = bytes / 1e6;
    for (boolean render : new boolean[] {false, true}) {
      List<Double> rates = new ArrayList<>();
      long records = 0;
      for (int i = 0; i < 10; i++) {
        long t = System.nanoTime();
        records = pass(files, render);
        rates.add(mb / ((System.nanoTime() - t) / 1e9));
      }
      rates.sort(null);
      System.out.printf("%-22s %6.1f MB/s median (min %.1f, max %.1f); %d files, %.1f MB,"
          + " %d records per pass%n", render ? "parse + XML render" : "parse", rates.get(5),
          rates.get(0), rates.get(9), files.size(), mb, records);
    }
    System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " CPUs, "
        + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
  }

  static long pass(List<byte[]> files, boolean render) {
    long n = 0;
    StringBuilder sb = new StringBuilder(1 << 16);
    for (byte[] b : files) {
      n += EvtxReader.read(b, r -> {
        if (render) {
          sb.setLength(0);
          PythonEvtxXml.write(r.xml(), sb);
        }
      }).records();
    }
    return n;
  }
}

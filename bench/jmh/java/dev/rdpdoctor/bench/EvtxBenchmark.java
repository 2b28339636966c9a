package dev.rdpdoctor.bench;

import dev.rdpdoctor.sources.eventlog.evtx.EvtxReader;
import dev.rdpdoctor.sources.eventlog.xml.PythonEvtxXml;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * EVTX decoding throughput on the sample logs, their chunks repeated into one file of at least
 * {@code evtx.mb} MB (default 100) that is memory-mapped as {@code logs} maps it. One operation
 * is one whole file; MB/s = file size / time per operation (bench/evtx-jmh.sh prints it).
 *
 * <p>{@code parse}: every record decoded to its XML tree, handed to a sink in file order.
 * {@code parseAndRender}: also written as text, as {@code logs --xml} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EvtxBenchmark {
  static final int HEADER = 4096;
  static final int CHUNK = 65536;

  /** Decoding threads: 1 (one core) or the machine's count. */
  @Param({"1", "2"})
  public int threads;

  Path file;
  FileChannel channel;
  ByteBuffer mapped;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path dir = Path.of(System.getProperty("evtx.dir", "src/test/resources/evtx"));
    long want = Long.getLong("evtx.mb", 100) * 1_000_000L;
    List<byte[]> files = new ArrayList<>();
    try (var s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".evtx")).sorted().toList()) {
        files.add(Files.readAllBytes(p));
      }
    }
    if (files.isEmpty()) {
      throw new IOException("no .evtx files in " + dir);
    }
    file = Files.createTempFile("evtx-bench", ".evtx");
    long written = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(files.get(0), 0, HEADER);
      written += HEADER;
      while (written < want) {
        for (byte[] f : files) {
          for (int c = HEADER; c + CHUNK <= f.length; c += CHUNK) {
            out.write(f, c, CHUNK);
            written += CHUNK;
          }
        }
      }
    }
    channel = FileChannel.open(file, StandardOpenOption.READ);
    mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    System.out.printf("%nimage: %d bytes (%d sample files from %s)%n", written, files.size(),
        dir);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    channel.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public long parse(Blackhole bh) {
    return EvtxReader.read(mapped, bh::consume, threads).records();
  }

  @Benchmark
  public long parseAndRender(Blackhole bh) {
    StringBuilder sb = new StringBuilder(1 << 16);
    return EvtxReader.read(mapped, r -> {
      sb.setLength(0);
      PythonEvtxXml.write(r.xml(), sb);
      bh.consume(sb.length());
    }, threads).records();
  }
}

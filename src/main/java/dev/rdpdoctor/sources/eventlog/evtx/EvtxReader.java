package dev.rdpdoctor.sources.eventlog.evtx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Reads the records of an EVTX file image, tolerating damage: a bad header, a chunk with a bad
 * signature or CRC, a record that does not parse, a value that is not UTF-16 are reported as {@link
 * EvtxIssue}s with their offsets, and reading goes on with the next record or chunk.
 *
 * <p>Records are visited in file order, chunk by chunk from the end of the file header, the way
 * {@code evtx_dump.py} does (it ignores the header's chunk count, which is stale in dirty files). A
 * chunk whose signature is wrong is still read when its first record looks like one: carved and
 * half-overwritten chunks often keep good records.
 *
 * <p>Chunks are independent (each keeps its own name and template tables), so they are decoded in
 * parallel, a bounded window of them ahead of the one being handed out; the sink still sees every
 * record, and every issue is still listed, in file order, on the caller's thread. Files are
 * memory-mapped, not copied onto the heap.
 */
public final class EvtxReader {
  /** Larger files are refused: one mapping addresses at most 2 GiB. */
  public static final long MAX_FILE = Integer.MAX_VALUE;

  public static final int MAX_ISSUES = 200;

  /** A chunk holds at most (65536 - 512) / 28 records. */
  static final int MAX_RECORDS_PER_CHUNK = 2400;

  /** Chunks decoded ahead of the one handed out, per thread: bounds the records held. */
  static final int CHUNKS_AHEAD_PER_THREAD = 4;

  private final List<EvtxIssue> issues = new ArrayList<>();
  private int droppedIssues;
  private EvtxFileHeader header;
  private long records;

  /** What one read found. */
  public record Summary(
      EvtxFileHeader header, long records, List<EvtxIssue> issues, int droppedIssues) {}

  private EvtxReader() {}

  /** Reads every record of {@code image}, passing each to {@code sink}. Never throws. */
  public static Summary read(byte[] image, Consumer<EvtxRecord> sink) {
    return read(ByteBuffer.wrap(image), sink, defaultThreads());
  }

  /**
   * Reads the file at {@code path} through a read-only memory mapping.
   *
   * @throws IOException when the file cannot be opened or mapped (its content never throws)
   */
  public static Summary read(Path path, Consumer<EvtxRecord> sink) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > MAX_FILE) {
        throw new IOException(
            "file is " + size + " bytes; larger than the " + MAX_FILE + "-byte limit");
      }
      return read(ch.map(FileChannel.MapMode.READ_ONLY, 0, size), sink, defaultThreads());
    }
  }

  /**
   * Reads every record of {@code image} (from index 0 to its limit) with {@code threads} decoding
   * threads (1: all on the caller's thread). Never throws for the content.
   */
  public static Summary read(ByteBuffer image, Consumer<EvtxRecord> sink, int threads) {
    EvtxReader r = new EvtxReader();
    r.run(Le.image(image), sink, Math.max(1, threads));
    return new Summary(r.header, r.records, List.copyOf(r.issues), r.droppedIssues);
  }

  static int defaultThreads() {
    return Runtime.getRuntime().availableProcessors();
  }

  private void issue(long offset, String message) {
    if (issues.size() < MAX_ISSUES) {
      issues.add(new EvtxIssue(offset, message));
    } else {
      droppedIssues++;
    }
  }

  private void run(ByteBuffer b, Consumer<EvtxRecord> sink, int threads) {
    int first = EvtxFileHeader.SIZE;
    try {
      header = EvtxFileHeader.parse(b);
      if (!header.magicOk()) {
        issue(0, "file header signature is not ElfFile");
      } else {
        if (!header.crcOk()) {
          issue(124, "file header CRC32 does not match");
        }
        if (header.majorVersion() != 3) {
          issue(
              38,
              "unexpected format version " + header.majorVersion() + "." + header.minorVersion());
        }
      }
      if (header.dirty()) {
        issue(120, "file is marked dirty (not closed cleanly): the header may be stale");
      }
      if (header.blockSize() != EvtxFileHeader.SIZE) {
        issue(40, "header block size " + header.blockSize() + " (expected 4096); using 4096");
      }
    } catch (EvtxFormatException e) {
      issue(0, "file too short for an EVTX header (" + b.limit() + " bytes)");
      return;
    }
    int chunks = (int) ((b.limit() - (long) first) / EvtxChunkHeader.SIZE);
    if (threads == 1 || chunks < 2) {
      for (int i = 0; i < chunks; i++) {
        hand(Chunk.decode(b, first + i * EvtxChunkHeader.SIZE), sink);
      }
    } else {
      parallel(b, first, chunks, sink, threads);
    }
    long tail = b.limit() - first - (long) chunks * EvtxChunkHeader.SIZE;
    if (tail > 0) {
      issue(b.limit() - tail, tail + " bytes after the last whole chunk ignored");
    }
  }

  /**
   * Decodes chunks on {@code threads} daemon threads, a window of them ahead, and hands each one's
   * records out in file order as soon as it and all before it are done.
   */
  private void parallel(
      ByteBuffer b, int first, int chunks, Consumer<EvtxRecord> sink, int threads) {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, "evtx-decoder");
              t.setDaemon(true);
              return t;
            });
    try {
      ArrayDeque<Future<Chunk>> ahead = new ArrayDeque<>();
      int next = 0;
      int window = threads * CHUNKS_AHEAD_PER_THREAD;
      while (next < chunks || !ahead.isEmpty()) {
        while (next < chunks && ahead.size() < window) {
          int c = first + next++ * EvtxChunkHeader.SIZE;
          ahead.add(pool.submit(() -> Chunk.decode(b, c)));
        }
        hand(await(ahead.poll()), sink);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static Chunk await(Future<Chunk> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading an EVTX file", e);
    } catch (ExecutionException e) {
      // decoding catches every format error; what arrives here is a bug: rethrow it as is
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void hand(Chunk c, Consumer<EvtxRecord> sink) {
    for (EvtxIssue i : c.issues) {
      issue(i.offset(), i.message());
    }
    droppedIssues += c.droppedIssues;
    for (EvtxRecord r : c.records) {
      records++;
      sink.accept(r);
    }
  }

  /** One chunk's records and issues, decoded independently of every other chunk. */
  private static final class Chunk {
    final List<EvtxRecord> records = new ArrayList<>();
    final List<EvtxIssue> issues = new ArrayList<>(0);
    int droppedIssues;

    private void issue(long offset, String message) {
      if (issues.size() < MAX_ISSUES) {
        issues.add(new EvtxIssue(offset, message));
      } else {
        droppedIssues++;
      }
    }

    static Chunk decode(ByteBuffer b, int c) {
      Chunk out = new Chunk();
      out.read(b, c);
      return out;
    }

    private void read(ByteBuffer b, int c) {
      EvtxChunkHeader h;
      try {
        h = EvtxChunkHeader.parse(b, c);
      } catch (EvtxFormatException e) {
        issue(c, e.getMessage());
        return;
      }
      boolean firstRecordOk = isRecordStart(b, c + EvtxChunkHeader.HEADER_SIZE);
      if (!h.magicOk()) {
        if (allZero(b, c, 8)) {
          return; // never-used chunk space
        }
        issue(
            c,
            "chunk signature is not ElfChnk"
                + (firstRecordOk ? "; its records are read anyway" : "; chunk skipped"));
        if (!firstRecordOk) {
          return;
        }
      } else {
        if (!h.headerCrcOk()) {
          issue(c + 124, "chunk header CRC32 does not match; records read anyway");
        }
        if (!h.dataCrcOk()) {
          issue(c + 52, "chunk records CRC32 does not match; records read anyway");
        }
      }
      int end = Math.min(h.freeSpaceOffset(), EvtxChunkHeader.SIZE);
      BinXmlChunk binxml = new BinXmlChunk(b, c);
      List<String> problems = new ArrayList<>();
      int ofs = EvtxChunkHeader.HEADER_SIZE;
      for (int n = 0; ofs < end && n < MAX_RECORDS_PER_CHUNK; n++) {
        int at = c + ofs;
        long size;
        try {
          size = Le.u32(b, at + 4, "record size");
        } catch (EvtxFormatException e) {
          issue(at, e.getMessage());
          return;
        }
        if (size == 0 || size > EvtxChunkHeader.SIZE) {
          if (size != 0) {
            issue(at, "record size " + size + " is larger than a chunk; rest of chunk skipped");
          }
          return;
        }
        if (size < EvtxRecord.HEADER + 4 || ofs + size > EvtxChunkHeader.SIZE) {
          issue(at, "record size " + size + " does not fit the chunk; rest of chunk skipped");
          return;
        }
        record(b, binxml, at, (int) size, problems);
        ofs += (int) size;
      }
    }

    private void record(ByteBuffer b, BinXmlChunk binxml, int at, int size, List<String> problems) {
      try {
        if (Le.i32(b, at, "record signature") != EvtxRecord.MAGIC) {
          issue(at, "record signature is not 2A2A0000; read anyway");
        }
        if (Le.u32(b, at + size - 4, "record size copy") != size) {
          issue(at, "record size copy at its end does not match");
        }
        long id = Le.u64(b, at + 8, "record id");
        long written = WindowsTime.filetimeMillis(Le.u64(b, at + 16, "written time"));
        problems.clear();
        var xml = binxml.renderRecord(at + EvtxRecord.HEADER, problems);
        for (String p : problems) {
          issue(at, "record " + id + ": " + p);
        }
        records.add(new EvtxRecord(id, at, written, xml, List.copyOf(problems)));
      } catch (EvtxFormatException e) {
        issue(
            at,
            "record skipped: " + e.getMessage() + " (at 0x" + Long.toHexString(e.offset()) + ")");
      }
    }

    private static boolean isRecordStart(ByteBuffer b, int at) {
      try {
        return Le.i32(b, at, "record") == EvtxRecord.MAGIC;
      } catch (EvtxFormatException e) {
        return false;
      }
    }

    private static boolean allZero(ByteBuffer b, int at, int n) {
      for (int i = 0; i < n; i++) {
        if (b.get(at + i) != 0) {
          return false;
        }
      }
      return true;
    }
  }
}

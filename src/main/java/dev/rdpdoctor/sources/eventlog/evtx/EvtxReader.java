package dev.rdpdoctor.sources.eventlog.evtx;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the records of an EVTX file image, tolerating damage: a bad header, a chunk with a bad
 * signature or CRC, a record that does not parse, a value that is not UTF-16 are reported as
 * {@link EvtxIssue}s with their offsets, and reading goes on with the next record or chunk.
 *
 * <p>Records are visited in file order, chunk by chunk from the end of the file header, the way
 * {@code evtx_dump.py} does (it ignores the header's chunk count, which is stale in dirty
 * files). A chunk whose signature is wrong is still read when its first record looks like one:
 * carved and half-overwritten chunks often keep good records.
 */
public final class EvtxReader {
  /** Larger files are refused: an EVTX log is at most 4 GiB and this reader holds it whole. */
  public static final long MAX_FILE = 1L << 30;
  public static final int MAX_ISSUES = 200;
  /** A chunk holds at most (65536 - 512) / 28 records. */
  static final int MAX_RECORDS_PER_CHUNK = 2400;

  private final List<EvtxIssue> issues = new ArrayList<>();
  private int droppedIssues;
  private EvtxFileHeader header;
  private long records;

  /** What one read found. */
  public record Summary(EvtxFileHeader header, long records, List<EvtxIssue> issues,
      int droppedIssues) {}

  private EvtxReader() {}

  /** Reads every record of {@code image}, passing each to {@code sink}. Never throws. */
  public static Summary read(byte[] image, Consumer<EvtxRecord> sink) {
    EvtxReader r = new EvtxReader();
    r.run(image, sink);
    return new Summary(r.header, r.records, List.copyOf(r.issues), r.droppedIssues);
  }

  private void issue(long offset, String message) {
    if (issues.size() < MAX_ISSUES) {
      issues.add(new EvtxIssue(offset, message));
    } else {
      droppedIssues++;
    }
  }

  private void run(byte[] b, Consumer<EvtxRecord> sink) {
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
          issue(38, "unexpected format version " + header.majorVersion() + "."
              + header.minorVersion());
        }
      }
      if (header.dirty()) {
        issue(120, "file is marked dirty (not closed cleanly): the header may be stale");
      }
      if (header.blockSize() != EvtxFileHeader.SIZE) {
        issue(40, "header block size " + header.blockSize() + " (expected 4096); using 4096");
      }
    } catch (EvtxFormatException e) {
      issue(0, "file too short for an EVTX header (" + b.length + " bytes)");
      return;
    }
    int chunks = 0;
    for (long c = first; c + EvtxChunkHeader.SIZE <= b.length; c += EvtxChunkHeader.SIZE) {
      chunk(b, (int) c, sink);
      chunks++;
    }
    long tail = b.length - first - (long) chunks * EvtxChunkHeader.SIZE;
    if (tail > 0) {
      issue(b.length - tail, tail + " bytes after the last whole chunk ignored");
    }
  }

  private void chunk(byte[] b, int c, Consumer<EvtxRecord> sink) {
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
      issue(c, "chunk signature is not ElfChnk" + (firstRecordOk
          ? "; its records are read anyway" : "; chunk skipped"));
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
      record(b, binxml, at, (int) size, sink);
      ofs += (int) size;
    }
  }

  private void record(byte[] b, BinXmlChunk binxml, int at, int size, Consumer<EvtxRecord> sink) {
    try {
      if (Le.i32(b, at, "record signature") != EvtxRecord.MAGIC) {
        issue(at, "record signature is not 2A2A0000; read anyway");
      }
      if (Le.u32(b, at + size - 4, "record size copy") != size) {
        issue(at, "record size copy at its end does not match");
      }
      long id = Le.u64(b, at + 8, "record id");
      long written = PyFormat.filetimeMillis(Le.u64(b, at + 16, "written time"));
      List<String> problems = new ArrayList<>(0);
      var xml = binxml.renderRecord(at + EvtxRecord.HEADER, problems);
      for (String p : problems) {
        issue(at, "record " + id + ": " + p);
      }
      records++;
      sink.accept(new EvtxRecord(id, at, written, xml, List.copyOf(problems)));
    } catch (EvtxFormatException e) {
      issue(at, "record skipped: " + e.getMessage() + " (at 0x" + Long.toHexString(e.offset())
          + ")");
    }
  }

  private static boolean isRecordStart(byte[] b, int at) {
    try {
      return Le.i32(b, at, "record") == EvtxRecord.MAGIC;
    } catch (EvtxFormatException e) {
      return false;
    }
  }

  private static boolean allZero(byte[] b, int at, int n) {
    for (int i = 0; i < n; i++) {
      if (b[at + i] != 0) {
        return false;
      }
    }
    return true;
  }
}

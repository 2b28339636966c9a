package dev.rdpdoctor.sources.eventlog.evtx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Damaged files: each ends in issues with offsets, never an exception or a hang. */
class EvtxReaderTest {
  static final Path GOOD = Path.of("src/test/resources/evtx/Security_short_selected.evtx");

  static List<EvtxRecord> read(byte[] b, List<EvtxIssue> issues) {
    List<EvtxRecord> out = new ArrayList<>();
    EvtxReader.Summary s = EvtxReader.read(b, out::add);
    issues.addAll(s.issues());
    assertThat(s.records()).isEqualTo(out.size());
    return out;
  }

  @Test
  void goodFileHasItsSevenRecordsAndNoIssues() throws Exception {
    List<EvtxIssue> issues = new ArrayList<>();
    List<EvtxRecord> r = read(Files.readAllBytes(GOOD), issues);
    assertThat(r).hasSize(7);
    assertThat(issues).isEmpty();
    assertThat(r.get(0).xml().child("System").child("EventID").text()).isEqualTo("5152");
    assertThat(r.get(0).xml().child("System").child("EventRecordID").text()).isEqualTo("319457771");
  }

  @Test
  void emptyAndTruncatedFilesAreReportedNotThrown() throws Exception {
    List<EvtxIssue> issues = new ArrayList<>();
    assertThat(read(new byte[0], issues)).isEmpty();
    assertThat(issues)
        .singleElement()
        .extracting(EvtxIssue::message)
        .asString()
        .contains("too short");
    byte[] good = Files.readAllBytes(GOOD);
    issues.clear();
    assertThat(read(java.util.Arrays.copyOf(good, 4096 + 30000), issues)).isEmpty();
    assertThat(issues).anyMatch(i -> i.message().contains("after the last whole chunk"));
  }

  @Test
  void badChunkSignatureStillReadsItsRecords() throws Exception {
    byte[] b = Files.readAllBytes(GOOD);
    b[4096] = 'X';
    List<EvtxIssue> issues = new ArrayList<>();
    assertThat(read(b, issues)).hasSize(7);
    assertThat(issues).anyMatch(i -> i.offset() == 4096 && i.message().contains("ElfChnk"));
  }

  @Test
  void hugeRecordSizeSkipsTheRestOfTheChunk() throws Exception {
    byte[] b = Files.readAllBytes(GOOD);
    int first = 4096 + 512;
    b[first + 7] = 0x7F; // size of record 1 becomes ~2 GiB
    List<EvtxIssue> issues = new ArrayList<>();
    assertThat(read(b, issues)).isEmpty();
    assertThat(issues).anyMatch(i -> i.offset() == first && i.message().contains("larger"));
  }

  @Test
  void brokenTemplateOffsetSkipsOnlyThatRecord() throws Exception {
    byte[] b = Files.readAllBytes(GOOD);
    int root = 4096 + 512 + 24;
    // template offset of the first record's instance (after 0F 01 01 00, 0C 01 id) -> past EOF
    b[root + 4 + 6] = (byte) 0xFF;
    b[root + 4 + 7] = (byte) 0xFF;
    b[root + 4 + 8] = (byte) 0xFF;
    b[root + 4 + 9] = 0x7F;
    List<EvtxIssue> issues = new ArrayList<>();
    List<EvtxRecord> r = read(b, issues);
    assertThat(issues).anyMatch(i -> i.message().startsWith("record skipped"));
    assertThat(r.size()).isBetween(1, 6);
  }

  /** Seeded mutations of a real file: bounded time, no exception, issues capped. */
  @Test
  void mutatedFilesNeverThrowOrHang() throws Exception {
    byte[] good = Files.readAllBytes(GOOD);
    Random rnd = new Random(20261121);
    long start = System.nanoTime();
    for (int round = 0; round < 300; round++) {
      byte[] b = good.clone();
      int flips = 1 + rnd.nextInt(40);
      for (int i = 0; i < flips; i++) {
        int at = 4096 + rnd.nextInt(b.length - 4096);
        b[at] = (byte) rnd.nextInt(256);
      }
      EvtxReader.Summary s = EvtxReader.read(b, r -> {});
      assertThat(s.issues().size()).isLessThanOrEqualTo(EvtxReader.MAX_ISSUES);
      assertThat(s.records()).isLessThanOrEqualTo(2400L);
    }
    assertThat(System.nanoTime() - start).isLessThan(60_000_000_000L);
  }

  /** Parallel decoding and the mapped file change nothing: same records, issues, order. */
  @Test
  void parallelAndMappedReadsEqualTheSequentialOne() throws Exception {
    try (var files = Files.list(Path.of("src/test/resources/evtx"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".evtx")).sorted().toList()) {
        byte[] b = Files.readAllBytes(p);
        List<String> one = new ArrayList<>();
        EvtxReader.Summary s1 =
            EvtxReader.read(
                java.nio.ByteBuffer.wrap(b),
                r ->
                    one.add(
                        r.recordId()
                            + " "
                            + r.offset()
                            + " "
                            + r.problems()
                            + dev.rdpdoctor.sources.eventlog.xml.PythonEvtxXml.render(r.xml())),
                1);
        List<String> three = new ArrayList<>();
        EvtxReader.Summary s3 =
            EvtxReader.read(
                java.nio.ByteBuffer.wrap(b),
                r ->
                    three.add(
                        r.recordId()
                            + " "
                            + r.offset()
                            + " "
                            + r.problems()
                            + dev.rdpdoctor.sources.eventlog.xml.PythonEvtxXml.render(r.xml())),
                3);
        List<String> mapped = new ArrayList<>();
        EvtxReader.Summary sm =
            EvtxReader.read(
                p,
                r ->
                    mapped.add(
                        r.recordId()
                            + " "
                            + r.offset()
                            + " "
                            + r.problems()
                            + dev.rdpdoctor.sources.eventlog.xml.PythonEvtxXml.render(r.xml())));
        assertThat(one).as(p.toString()).isNotEmpty();
        assertThat(three).as(p.toString()).isEqualTo(one);
        assertThat(mapped).as(p.toString()).isEqualTo(one);
        assertThat(s3).as(p.toString()).isEqualTo(s1);
        assertThat(sm).as(p.toString()).isEqualTo(s1);
      }
    }
  }

  /** Issues past the cap are counted, in file order, whatever the number of threads. */
  @Test
  void issueCapHoldsAcrossChunks() throws Exception {
    byte[] good = Files.readAllBytes(GOOD);
    // 40 chunks, each with a bad chunk signature, a bad header CRC and bad records
    byte[] b = new byte[4096 + 40 * 65536];
    System.arraycopy(good, 0, b, 0, 4096);
    Random rnd = new Random(7);
    for (int c = 0; c < 40; c++) {
      System.arraycopy(good, 4096, b, 4096 + c * 65536, 65536);
      for (int k = 0; k < 40; k++) {
        b[4096 + c * 65536 + 512 + rnd.nextInt(60000)] = (byte) rnd.nextInt();
      }
    }
    EvtxReader.Summary s1 = EvtxReader.read(java.nio.ByteBuffer.wrap(b), r -> {}, 1);
    EvtxReader.Summary s2 = EvtxReader.read(java.nio.ByteBuffer.wrap(b), r -> {}, 2);
    assertThat(s1.issues()).hasSizeLessThanOrEqualTo(EvtxReader.MAX_ISSUES);
    assertThat(s1.issues().size() + s1.droppedIssues()).isGreaterThan(40);
    assertThat(s2).isEqualTo(s1);
  }
}

package dev.rdpdoctor.sources.eventlog.evtx;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The EVTX file header (libevtx "Windows XML Event Log (EVTX)" §2.1). It occupies the first
 * 4096-byte block; chunks follow it.
 *
 * <pre>
 *  0                   8                   16                  24
 *  +-------------------+-------------------+-------------------+-------------------+
 *  | "ElfFile\0"       | first chunk no.   | last chunk no.    | next record id    |
 *  +---------+----+----+----+----+---------+-------------------+-------------------+
 *  32 hdr sz  36 min 38 maj 40 blk 42 chunks  44..119 reserved
 *  120 flags (1 dirty, 2 full)   124 CRC32 of bytes 0..119
 * </pre>
 *
 * @param blockSize the header block size; chunks start at this offset (4096)
 * @param crcOk whether the stored CRC32 matches bytes 0..119
 */
public record EvtxFileHeader(
    boolean magicOk,
    long firstChunk,
    long lastChunk,
    long nextRecordId,
    int minorVersion,
    int majorVersion,
    int blockSize,
    int chunkCount,
    long flags,
    boolean crcOk) {

  public static final int SIZE = 4096;
  static final byte[] MAGIC = "ElfFile\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Parses the header; throws only when the file is too short to hold one. */
  public static EvtxFileHeader parse(ByteBuffer b) throws EvtxFormatException {
    Le.need(b, 0, 128, "file header");
    boolean magic = Le.startsWith(b, 0, MAGIC);
    CRC32 crc = new CRC32();
    crc.update(b.slice(0, 120));
    return new EvtxFileHeader(
        magic,
        Le.u64(b, 8, "first chunk"),
        Le.u64(b, 16, "last chunk"),
        Le.u64(b, 24, "next record"),
        Le.u16(b, 36, "minor"),
        Le.u16(b, 38, "major"),
        Le.u16(b, 40, "block size"),
        Le.u16(b, 42, "chunk count"),
        Le.u32(b, 120, "flags"),
        crc.getValue() == Le.u32(b, 124, "crc"));
  }

  public boolean dirty() {
    return (flags & 1) != 0;
  }

  public boolean full() {
    return (flags & 2) != 0;
  }
}

package dev.rdpdoctor.sources.eventlog.evtx;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * A 64 KiB chunk's 512-byte header (libevtx §2.2). Offsets inside a chunk are relative to its
 * start; names and templates are stored once per chunk and referenced by offset.
 *
 * <pre>
 *  0 "ElfChnk\0"   8 first record no.  16 last record no.  24 first record id  32 last id
 *  40 header size (128)  44 last record offset  48 free space offset (end of records)
 *  52 CRC32 of the records (512 .. free space)  56..119 reserved  124 CRC32 of the header
 *  (bytes 0..119 and 128..511)  128 common-string table (64 x u32)  384 template table (32 x u32)
 * </pre>
 */
public record EvtxChunkHeader(
    long fileOffset,
    boolean magicOk,
    long firstRecordId,
    long lastRecordId,
    int lastRecordOffset,
    int freeSpaceOffset,
    boolean headerCrcOk,
    boolean dataCrcOk) {

  public static final int SIZE = 0x10000;
  public static final int HEADER_SIZE = 0x200;
  static final byte[] MAGIC = "ElfChnk\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  static EvtxChunkHeader parse(ByteBuffer b, int chunk) throws EvtxFormatException {
    Le.need(b, chunk, SIZE, "chunk");
    boolean magic = Le.startsWith(b, chunk, MAGIC);
    CRC32 h = new CRC32();
    h.update(b.slice(chunk, 120));
    h.update(b.slice(chunk + 128, 384));
    int free = Le.offset32(b, chunk + 48, "free space offset");
    boolean dataOk = false;
    if (free >= HEADER_SIZE && free <= SIZE) {
      CRC32 d = new CRC32();
      d.update(b.slice(chunk + HEADER_SIZE, free - HEADER_SIZE));
      dataOk = d.getValue() == Le.u32(b, chunk + 52, "data crc");
    }
    return new EvtxChunkHeader(
        chunk,
        magic,
        Le.u64(b, chunk + 24, "first record id"),
        Le.u64(b, chunk + 32, "last record id"),
        Le.offset32(b, chunk + 44, "last record"),
        free,
        h.getValue() == Le.u32(b, chunk + 124, "header crc"),
        dataOk);
  }
}

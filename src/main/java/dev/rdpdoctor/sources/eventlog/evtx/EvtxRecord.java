package dev.rdpdoctor.sources.eventlog.evtx;

import dev.rdpdoctor.sources.eventlog.xml.XmlContent;
import java.util.List;

/**
 * One event record (libevtx §3): {@code 2A 2A 00 00 | size u32 | record id u64 | written FILETIME |
 * BinXml | size u32}.
 *
 * @param offset the record's file offset
 * @param writtenMillis the record header's write time, epoch milliseconds
 * @param xml the rendered event
 * @param problems what was wrong in it but could be rendered anyway
 */
public record EvtxRecord(
    long recordId, long offset, long writtenMillis, XmlContent.Element xml, List<String> problems) {
  public static final int HEADER = 24;
  static final int MAGIC = 0x00002A2A;
}

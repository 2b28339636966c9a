package dev.rdpdoctor.sources.eventlog.evtx;

import java.util.List;

/**
 * One BinXml token as parsed from a chunk ([MS-EVEN6] 3.1.4.7; libevtx §4). Offsets are absolute in
 * the file image; name offsets are chunk-relative.
 */
sealed interface BinXmlNode {
  /** 0x01/0x41 OpenStartElement; {@code children} holds attributes, content and the close. */
  record Element(int nameOffset, List<BinXmlNode> children) implements BinXmlNode {}

  /** 0x06/0x46 Attribute with its one value node (null when the stream ended first). */
  record Attribute(int nameOffset, BinXmlNode value) implements BinXmlNode {}

  /** 0x05/0x45 Value: a typed value stored inline at {@code offset}. */
  record Value(int type, int offset) implements BinXmlNode {}

  /** 0x0D normal / 0x0E optional substitution of the template instance's value {@code index}. */
  record Substitution(int index, int type, boolean optional) implements BinXmlNode {}

  record CData(String text) implements BinXmlNode {}

  record EntityRef(int nameOffset) implements BinXmlNode {}

  record PiTarget(int nameOffset) implements BinXmlNode {}

  record PiData(String text) implements BinXmlNode {}

  /** 0x0C TemplateInstance: the template definition at this chunk-relative offset. */
  record TemplateInstance(int templateOffset) implements BinXmlNode {}

  /** Tokens that carry nothing to render: stream start/end, the close tokens, char refs. */
  record Marker(int token) implements BinXmlNode {}
}

package dev.rdpdoctor.sources.eventlog.evtx;

import dev.rdpdoctor.sources.eventlog.xml.XmlContent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Parses and renders the BinXml of the records in one chunk: the token stream, the template
 * definitions stored once per chunk, the names they reference, and each record's substitution
 * values. It follows the reading rules of python-evtx so that the rendered XML equals {@code
 * evtx_dump.py}'s; where python-evtx would stop with an exception (a string that is not UTF-16, a
 * read past the file), we note a problem and go on.
 *
 * <p>Token layouts (sizes in bytes; names are chunk-relative offsets of a NameString {@code next
 * u32, hash u16, chars u16, UTF-16 chars, NUL u16}, stored inline right after the token the first
 * time it is used):
 *
 * <pre>
 *  0x01 OpenStartElement  tok u8 | dependency u16 | size u32 | name u32 [| attr-list size u32]
 *  0x06 Attribute         tok u8 | name u32 | value token
 *  0x05 Value             tok u8 | type u8 | value
 *  0x0C TemplateInstance  tok u8 | 01 | template id u32 | template offset u32
 *                         [| template: next u32 | GUID 16 | data size u32 | BinXml]
 *                         then values: count u32 | count x (size u16, type u8, 00) | values
 *  0x0D/0x0E Substitution tok u8 | index u16 | type u8
 *  0x0F StartOfStream     0F 01 01 00
 * </pre>
 */
final class BinXmlChunk {
  /** Caps against hostile or garbled data. */
  static final int MAX_CHILDREN = 4096;

  static final int MAX_DEPTH = 64;
  static final int MAX_NESTED_BXML = 8;
  static final int MAX_SUBSTITUTIONS = 4096;
  static final int MAX_NODES_PER_RECORD = 100_000;

  private final ByteBuffer b;
  private final int chunk;
  private final IntMap<String> names = new IntMap<>();
  private final IntMap<Parsed> templates = new IntMap<>();

  /** Reused lists for one element's attributes and content, one pair per depth. */
  private final List<List<XmlContent.Attribute>> attrScratch = new ArrayList<>();

  private final List<List<XmlContent>> contentScratch = new ArrayList<>();
  private final List<XmlContent> valueScratch = new ArrayList<>(2);
  private List<String> problems;
  private int nodes;

  BinXmlChunk(ByteBuffer b, int chunkOffset) {
    this.b = b;
    this.chunk = chunkOffset;
  }

  /** The result of parsing a node or a node list: what, how long, and whether EOF was seen. */
  private record Parsed(BinXmlNode node, List<BinXmlNode> list, int length, boolean eos) {}

  /**
   * Renders the BinXml document at {@code root} (a record's, after its 24-byte header).
   *
   * @param problems receives what was wrong but could be rendered anyway
   */
  XmlContent.Element renderRecord(int root, List<String> problems) throws EvtxFormatException {
    this.problems = problems;
    this.nodes = 0;
    List<XmlContent> out = renderRoot(root, 0);
    for (XmlContent c : out) {
      if (c instanceof XmlContent.Element e) {
        return e;
      }
    }
    throw new EvtxFormatException("the record's template renders no element", root);
  }

  // ------------------------------------------------------------------ root and substitutions

  private List<XmlContent> renderRoot(int root, int nesting) throws EvtxFormatException {
    if (nesting > MAX_NESTED_BXML) {
      throw new EvtxFormatException("BinXml nested deeper than " + MAX_NESTED_BXML, root);
    }
    Parsed children = children(root, root, 0, false, 0);
    int ofs = root + children.length();
    long count = Le.u32(b, ofs, "substitution count");
    if (count > MAX_SUBSTITUTIONS) {
      throw new EvtxFormatException("substitution count " + count + " over the cap", ofs);
    }
    ofs += 4;
    int n = (int) count;
    Le.need(b, ofs, 4L * n, "substitution declarations");
    int[] sizes = new int[n];
    int[] types = new int[n];
    for (int i = 0; i < n; i++) {
      sizes[i] = Le.u16(b, ofs, "substitution size");
      types[i] = Le.u8(b, ofs + 2, "substitution type");
      ofs += 4;
    }
    Object[] subs = new Object[n];
    for (int i = 0; i < n; i++) {
      subs[i] = substitution(types[i], ofs, sizes[i], nesting);
      ofs += sizes[i];
    }
    int instance = root;
    if ((Le.u8(b, root, "root token") & 0x0F) == 0x0F) {
      instance += 4;
    }
    if ((Le.u8(b, instance, "template instance") & 0x0F) != 0x0C) {
      throw new EvtxFormatException("no template instance at the start of the BinXml", instance);
    }
    int templateOffset = Le.offset32(b, instance + 6, "template offset");
    Parsed template = template(templateOffset);
    List<XmlContent> out = new ArrayList<>(2);
    List<BinXmlNode> list = template.list();
    for (int i = 0, size = list.size(); i < size; i++) {
      render(list.get(i), subs, out, 0);
    }
    return out;
  }

  /**
   * A substitution value: one {@link XmlContent.Text}, a {@code List<XmlContent>} (nested BinXml)
   * or null (no value).
   */
  private Object substitution(int type, int at, int size, int nesting) throws EvtxFormatException {
    if (type == BinXmlValues.BXML) {
      return renderRoot(at, nesting + 1);
    }
    if (type == BinXmlValues.NULL) {
      return null;
    }
    int natural = BinXmlValues.declaredLength(b, type, at, size);
    if (Math.abs(size - natural) > 4) {
      problem(
          "substitution value of type 0x"
              + Integer.toHexString(type)
              + " declares "
              + size
              + " bytes but holds "
              + natural,
          at);
    }
    return new XmlContent.Text(BinXmlValues.string(b, type, at, size, this));
  }

  void problem(String what, long offset) {
    if (problems != null && problems.size() < 32) {
      problems.add(what + " at 0x" + Long.toHexString(offset));
    }
  }

  // ------------------------------------------------------------------ token parsing

  private Parsed template(int templateOffset) throws EvtxFormatException {
    Parsed t = templates.get(templateOffset);
    if (t == null) {
      int at = chunk + templateOffset;
      Le.need(b, at, 0x18, "template definition");
      t = children(at + 0x18, at + 0x18, 0, false, 0);
      templates.put(templateOffset, t);
    }
    return t;
  }

  /**
   * A node list as python-evtx's {@code _children}: tokens until an end token (EOF for streams, a
   * close token for an element's content) or a child that contains EOF.
   */
  private Parsed children(int base, int start, int max, boolean elementContent, int depth)
      throws EvtxFormatException {
    if (depth > MAX_DEPTH) {
      throw new EvtxFormatException("elements nested deeper than " + MAX_DEPTH, start);
    }
    List<BinXmlNode> list = new ArrayList<>();
    int ofs = start;
    boolean eos = false;
    int limit = max > 0 ? max : MAX_CHILDREN;
    for (int i = 0; i < limit; i++) {
      int token = Le.u8(b, ofs, "token") & 0x0F;
      Parsed p = node(ofs, depth);
      list.add(p.node());
      ofs += p.length();
      if (p.eos()) {
        eos = true;
      }
      if (elementContent ? (token == 0x04 || token == 0x03) : token == 0x00) {
        break;
      }
      if (p.eos()) {
        break;
      }
      if (i == limit - 1 && max == 0) {
        throw new EvtxFormatException("more than " + MAX_CHILDREN + " nodes in one list", ofs);
      }
    }
    return new Parsed(null, List.copyOf(list), ofs - base, eos);
  }

  private Parsed node(int at, int depth) throws EvtxFormatException {
    if (++nodes > MAX_NODES_PER_RECORD) {
      throw new EvtxFormatException("more than " + MAX_NODES_PER_RECORD + " BinXml nodes", at);
    }
    int raw = Le.u8(b, at, "token");
    int token = raw & 0x0F;
    int rel = at - chunk;
    switch (token) {
      case 0x00:
        return new Parsed(new BinXmlNode.Marker(0), null, 1, true);
      case 0x01:
        {
          int tag = 11 + (((raw >> 4) & 0x04) != 0 ? 4 : 0);
          int name = Le.offset32(b, at + 7, "element name");
          if (name > rel) {
            tag += nameLength(name);
          }
          Parsed c = children(at, at + tag, 0, true, depth + 1);
          return new Parsed(new BinXmlNode.Element(name, c.list()), null, c.length(), c.eos());
        }
      case 0x02, 0x03, 0x04:
        return new Parsed(new BinXmlNode.Marker(token), null, 1, false);
      case 0x05:
        {
          int type = Le.u8(b, at + 1, "value type");
          int len = BinXmlValues.inlineLength(b, type, at + 2, this);
          return new Parsed(new BinXmlNode.Value(type, at + 2), null, 2 + len, false);
        }
      case 0x06:
        {
          int name = Le.offset32(b, at + 1, "attribute name");
          int tag = 5;
          if (name > rel) {
            tag += nameLength(name);
          }
          Parsed v = children(at, at + tag, 1, false, depth + 1);
          BinXmlNode value = v.list().isEmpty() ? null : v.list().get(0);
          return new Parsed(new BinXmlNode.Attribute(name, value), null, v.length(), v.eos());
        }
      case 0x07:
        {
          int len = Le.u16(b, at + 1, "CDATA length");
          String s = BinXmlValues.utf16(b, at + 3, Math.max(0, len - 2), this);
          return new Parsed(new BinXmlNode.CData(s), null, 3 + len, false);
        }
      case 0x08:
        return new Parsed(new BinXmlNode.Marker(8), null, 3, false);
      case 0x09, 0x0A:
        {
          int name = Le.offset32(b, at + 1, "reference name");
          int tag = 5;
          if (name > rel) {
            tag += nameLength(name);
          }
          BinXmlNode n =
              token == 0x09 ? new BinXmlNode.EntityRef(name) : new BinXmlNode.PiTarget(name);
          return new Parsed(n, null, tag, false);
        }
      case 0x0B:
        {
          int len = Le.u16(b, at + 1, "PI data length");
          String s = len > 0 ? BinXmlValues.utf16(b, at + 3, len, this) : "";
          return new Parsed(
              new BinXmlNode.PiData(len > 0 ? " " + s + "?>" : "?>"), null, 3 + 2 * len, false);
        }
      case 0x0C:
        {
          int tOfs = Le.offset32(b, at + 6, "template offset");
          int len = 10;
          if (tOfs > rel) {
            len +=
                0x18
                    + (int)
                        Math.min(
                            Le.u32(b, chunk + tOfs + 0x14, "template size"), EvtxChunkHeader.SIZE);
          }
          boolean eos = template(tOfs).eos();
          return new Parsed(new BinXmlNode.TemplateInstance(tOfs), null, len, eos);
        }
      case 0x0D, 0x0E:
        {
          int index = Le.u16(b, at + 1, "substitution index");
          int type = Le.u8(b, at + 3, "substitution type");
          return new Parsed(
              new BinXmlNode.Substitution(index, type, token == 0x0E), null, 4, false);
        }
      case 0x0F:
        return new Parsed(new BinXmlNode.Marker(0x0F), null, 4, false);
      default:
        throw new IllegalStateException("unreachable: token " + token);
    }
  }

  /** Size of a NameString stored inline after a token. */
  private int nameLength(int nameOffset) throws EvtxFormatException {
    return 8 + 2 * Le.u16(b, chunk + nameOffset + 6, "name length") + 2;
  }

  String name(int nameOffset) throws EvtxFormatException {
    String n = names.get(nameOffset);
    if (n == null) {
      int at = chunk + nameOffset;
      int len = Le.u16(b, at + 6, "name length");
      n = BinXmlValues.utf16(b, at + 8, len, this);
      names.put(nameOffset, n);
    }
    return n;
  }

  // ------------------------------------------------------------------ rendering

  private void render(BinXmlNode n, Object[] subs, List<XmlContent> out, int depth)
      throws EvtxFormatException {
    switch (n) {
      case BinXmlNode.Element e -> {
        // the lists are reused per depth and copied into the tree: no garbage per element
        while (contentScratch.size() <= depth) {
          attrScratch.add(new ArrayList<>());
          contentScratch.add(new ArrayList<>());
        }
        List<XmlContent.Attribute> attrs = attrScratch.get(depth);
        List<XmlContent> content = contentScratch.get(depth);
        attrs.clear();
        content.clear();
        List<BinXmlNode> children = e.children();
        int count = children.size();
        for (int i = 0; i < count; i++) {
          if (children.get(i) instanceof BinXmlNode.Attribute a) {
            // a value is a token, not an element, except in garbled data: that gets its own list
            List<XmlContent> v =
                a.value() instanceof BinXmlNode.Element ? new ArrayList<>(1) : valueScratch;
            v.clear();
            if (a.value() != null) {
              render(a.value(), subs, v, depth + 1);
            }
            attrs.add(new XmlContent.Attribute(name(a.nameOffset()), List.copyOf(v)));
          }
        }
        for (int i = 0; i < count; i++) {
          render(children.get(i), subs, content, depth + 1);
        }
        out.add(
            new XmlContent.Element(name(e.nameOffset()), List.copyOf(attrs), List.copyOf(content)));
        attrs.clear();
        content.clear();
      }
      case BinXmlNode.Value v ->
          out.add(new XmlContent.Text(BinXmlValues.string(b, v.type(), v.offset(), -1, this)));
      case BinXmlNode.Substitution s -> {
        if (s.index() < subs.length) {
          Object v = subs[s.index()];
          if (v instanceof XmlContent x) {
            out.add(x);
          } else if (v instanceof List<?> l) {
            for (int i = 0, size = l.size(); i < size; i++) {
              out.add((XmlContent) l.get(i));
            }
          }
        } else {
          problem("substitution " + s.index() + " of " + subs.length + " values", 0);
        }
      }
      case BinXmlNode.CData c -> out.add(new XmlContent.CData(c.text()));
      case BinXmlNode.EntityRef r -> out.add(new XmlContent.Text("&" + name(r.nameOffset()) + ";"));
      case BinXmlNode.PiTarget p -> out.add(new XmlContent.Text("<?" + name(p.nameOffset())));
      case BinXmlNode.PiData p -> out.add(new XmlContent.Text(p.text()));
      case BinXmlNode.TemplateInstance t ->
          problem(
              "a template instance inside a template (not rendered)", chunk + t.templateOffset());
      case BinXmlNode.Attribute a -> {} // rendered with its element
      case BinXmlNode.Marker m -> {}
    }
  }

  static String base64(ByteBuffer b, int at, int len) {
    return Base64.getEncoder().encodeToString(Le.bytes(b, at, len));
  }
}

package dev.rdpdoctor.sources.eventlog.xml;

import java.util.List;

/**
 * Writes a record the way python-evtx 0.6.1's {@code evtx_dump.py} does, so our output can be
 * compared with that reference byte for byte: every element as {@code <n a="v">...</n>} plus a
 * newline (no self-closing tags), text escaped for {@code & < >} only (quotes stay as they are,
 * also in attributes), every non-ASCII character as a decimal reference, and the control characters
 * XML 1.1 restricts dropped (NUL is kept, as python-evtx keeps it).
 */
public final class PythonEvtxXml {
  /** The first line of {@code evtx_dump.py}'s output. */
  public static final String HEADER =
      "<?xml version=\"1.1\" encoding=\"utf-8\" standalone=\"yes\" ?>\n";

  private PythonEvtxXml() {}

  public static String render(XmlContent.Element e) {
    StringBuilder sb = new StringBuilder(1024);
    write(e, sb);
    return sb.toString();
  }

  public static void write(XmlContent c, StringBuilder sb) {
    switch (c) {
      case XmlContent.Element e -> {
        sb.append('<').append(e.name());
        List<XmlContent.Attribute> attrs = e.attributes();
        for (int i = 0, n = attrs.size(); i < n; i++) {
          XmlContent.Attribute a = attrs.get(i);
          sb.append(' ').append(a.name()).append("=\"");
          writeAll(a.value(), sb);
          sb.append('"');
        }
        sb.append('>');
        writeAll(e.children(), sb);
        sb.append("</").append(e.name()).append(">\n");
      }
      case XmlContent.Text t -> escape(t.raw(), sb);
      case XmlContent.CData d -> {
        sb.append("<![CDATA[");
        escape(d.raw(), sb);
        sb.append("]]>");
      }
    }
  }

  private static void writeAll(List<XmlContent> l, StringBuilder sb) {
    for (int i = 0, n = l.size(); i < n; i++) {
      write(l.get(i), sb);
    }
  }

  /** saxutils.escape, then ASCII with xmlcharrefreplace, then RESTRICTED_CHARS removed. */
  static void escape(String s, StringBuilder sb) {
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '&') {
        sb.append("&amp;");
      } else if (cp == '<') {
        sb.append("&lt;");
      } else if (cp == '>') {
        sb.append("&gt;");
      } else if (cp >= 0x80) {
        sb.append("&#").append(cp).append(';');
      } else if ((cp >= 0x01 && cp <= 0x08)
          || cp == 0x0B
          || cp == 0x0C
          || (cp >= 0x0E && cp <= 0x1F)
          || cp == 0x7F) {
        // restricted in XML 1.1: python-evtx drops them
      } else {
        sb.append((char) cp);
      }
    }
  }
}

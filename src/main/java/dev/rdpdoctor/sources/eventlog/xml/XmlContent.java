package dev.rdpdoctor.sources.eventlog.xml;

import java.util.List;

/**
 * A small XML tree for event records: what the EVTX parser renders and what the XML export reader
 * builds, so both feed the same normaliser. Text is kept unescaped.
 */
public sealed interface XmlContent permits XmlContent.Element, XmlContent.Text, XmlContent.CData {

  /** The concatenated text below this node. */
  String text();

  record Text(String raw) implements XmlContent {
    @Override
    public String text() {
      return raw;
    }
  }

  record CData(String raw) implements XmlContent {
    @Override
    public String text() {
      return raw;
    }
  }

  record Attribute(String name, List<XmlContent> value) {
    public String text() {
      return concat(value);
    }
  }

  record Element(String name, List<Attribute> attributes, List<XmlContent> children)
      implements XmlContent {
    @Override
    public String text() {
      return concat(children);
    }

    /** The first child element with this local name, or null. */
    public Element child(String local) {
      for (XmlContent c : children) {
        if (c instanceof Element e && e.name().equals(local)) {
          return e;
        }
      }
      return null;
    }

    public List<Element> elements() {
      return children.stream().filter(Element.class::isInstance).map(Element.class::cast).toList();
    }

    /** The attribute's text, or null when absent. */
    public String attribute(String n) {
      for (Attribute a : attributes) {
        if (a.name().equals(n)) {
          return a.text();
        }
      }
      return null;
    }
  }

  static String concat(List<XmlContent> l) {
    if (l.size() == 1) {
      return l.get(0).text();
    }
    StringBuilder sb = new StringBuilder();
    l.forEach(c -> sb.append(c.text()));
    return sb.toString();
  }
}

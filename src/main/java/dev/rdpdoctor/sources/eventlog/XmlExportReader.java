package dev.rdpdoctor.sources.eventlog;

import dev.rdpdoctor.sources.eventlog.xml.XmlContent;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads {@code wevtutil qe LOG /f:xml} output (a run of {@code <Event>} elements with no root) and
 * Event Viewer's saved XML ({@code <Events>} around them). No DTDs or external entities are
 * resolved. A syntax error ends the file; the events before it are kept and the error names its
 * line and column.
 */
final class XmlExportReader {
  static final int MAX_DEPTH = 64;

  private XmlExportReader() {}

  /** Returns the number of events; adds errors to {@code errors}. */
  static long read(String text, Consumer<XmlContent.Element> sink, List<LogError> errors) {
    // wevtutil output has no single root and may repeat the XML declaration: drop those and
    // wrap the rest, so a standard parser reads it
    String body = text.replaceAll("<\\?xml[^>]*\\?>", "");
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    long events = 0;
    XMLStreamReader r = null;
    try {
      r =
          f.createXMLStreamReader(
              new StringReader("<rdpdoctor-root>" + body + "</rdpdoctor-root>"));
      Deque<Builder> stack = new ArrayDeque<>();
      while (r.hasNext()) {
        int ev = r.next();
        if (ev == XMLStreamConstants.START_ELEMENT) {
          String name = r.getLocalName();
          if (stack.isEmpty() && !name.equals("Event")) {
            continue; // rdpdoctor-root, Events
          }
          if (stack.size() >= MAX_DEPTH) {
            throw new XMLStreamException(
                "elements nested deeper than " + MAX_DEPTH, r.getLocation());
          }
          Builder b = new Builder(name);
          for (int i = 0; i < r.getAttributeCount(); i++) {
            b.attrs.add(
                new XmlContent.Attribute(
                    r.getAttributeLocalName(i),
                    List.of(new XmlContent.Text(r.getAttributeValue(i)))));
          }
          stack.push(b);
        } else if (ev == XMLStreamConstants.END_ELEMENT && !stack.isEmpty()) {
          Builder b = stack.pop();
          XmlContent.Element e =
              new XmlContent.Element(b.name, List.copyOf(b.attrs), List.copyOf(b.children));
          if (stack.isEmpty()) {
            events++;
            sink.accept(e);
          } else {
            stack.peek().children.add(e);
          }
        } else if ((ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA)
            && !stack.isEmpty()
            && !r.isWhiteSpace()) {
          stack.peek().children.add(new XmlContent.Text(r.getText()));
        }
      }
    } catch (XMLStreamException e) {
      var loc = e.getLocation();
      String where =
          loc == null
              ? ""
              : "line " + loc.getLineNumber() + ", column " + loc.getColumnNumber() + ": ";
      errors.add(
          new LogError(
              where.isEmpty() ? null : where.substring(0, where.length() - 2),
              "XML syntax error, rest of file skipped: " + firstLine(e.getMessage())));
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException ignored) {
          // nothing held beyond the string
        }
      }
    }
    return events;
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "";
    }
    int i = m.lastIndexOf("Message: ");
    String s = i >= 0 ? m.substring(i + 9) : m;
    return s.lines().findFirst().orElse("");
  }

  private static final class Builder {
    final String name;
    final List<XmlContent.Attribute> attrs = new ArrayList<>();
    final List<XmlContent> children = new ArrayList<>();

    Builder(String name) {
      this.name = name;
    }
  }
}

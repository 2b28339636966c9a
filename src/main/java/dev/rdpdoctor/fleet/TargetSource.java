package dev.rdpdoctor.fleet;

import dev.rdpdoctor.evidence.Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * What a scan's TARGET arguments name, walked lazily in order: host[:port], IPv4/IPv6 CIDR or
 * range, or {@code @FILE} (one target per line with # comments, nmap {@code -oX} XML, or masscan
 * {@code -oL} list output). Excluded and duplicate targets are dropped; anything unusable becomes a
 * {@link Problem} in the stream, so one typo never stops the rest.
 */
public final class TargetSource implements Iterable<TargetSource.Entry> {
  /** A line longer than this in a target file is not a target. */
  static final int MAX_LINE = 4096;

  /** One step of the walk. */
  public sealed interface Entry permits Host, Problem {}

  /** A target to scan; {@code origin} says where it came from, for messages. */
  public record Host(Target target, String origin) implements Entry {}

  /** Something that could not be used, with a message fit to show the user. */
  public record Problem(String message) implements Entry {}

  /** Turns one host[:port] text into a target; throws with a message fit to show the user. */
  @FunctionalInterface
  public interface Parser {
    Target parse(String text) throws IllegalArgumentException;
  }

  private static final Pattern MASSCAN =
      Pattern.compile("^(open|closed)\\s+tcp\\s+(\\d{1,5})\\s+(\\S+)(\\s+\\d+)?\\s*$");

  private final List<String> specs;
  private final Parser parser;
  private final List<AddressRange> excludedRanges = new ArrayList<>();
  private final Set<String> excludedNames = new HashSet<>();
  private final List<Problem> excludeProblems = new ArrayList<>();

  public TargetSource(List<String> specs, List<String> excludes, Parser parser) {
    this.specs = List.copyOf(specs);
    this.parser = parser;
    // Exclusions are held as ranges and names, never as expanded addresses.
    for (String x : excludes) {
      for (Iterator<Raw> it = raws(x); it.hasNext(); ) {
        Raw r = it.next();
        if (r.problem != null) {
          excludeProblems.add(new Problem("--exclude " + r.problem));
        } else if (r.range != null) {
          excludedRanges.add(r.range);
        } else {
          try {
            Target t = parser.parse(r.text);
            // without a port, the host is excluded on every port
            excludedNames.add(hasPort(r.text) ? key(t) : t.host().toLowerCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            excludeProblems.add(new Problem("--exclude " + r.origin + ": " + e.getMessage()));
          }
        }
      }
    }
  }

  /** How many targets the walk yields before duplicates are dropped (a pass of its own). */
  public long count() {
    long n = 0;
    for (Entry e : walk(false)) {
      if (e instanceof Host) {
        n++;
      }
    }
    return n;
  }

  @Override
  public Iterator<Entry> iterator() {
    return walk(true).iterator();
  }

  private Iterable<Entry> walk(boolean dedupe) {
    return () ->
        new Iterator<>() {
          private final Iterator<Raw> raws =
              flatten(specs.stream().<Supplier<Iterator<Raw>>>map(s -> () -> raws(s)).iterator());
          private final ArrayDeque<Entry> pending = new ArrayDeque<>(excludeProblems);
          private final Seen seen = dedupe ? new Seen() : null;
          private Iterator<String> block;
          private String blockOrigin;

          @Override
          public boolean hasNext() {
            while (pending.isEmpty()) {
              if (block != null && block.hasNext()) {
                offer(block.next(), blockOrigin, true);
                continue;
              }
              block = null;
              if (!raws.hasNext()) {
                return false;
              }
              Raw r = raws.next();
              if (r.problem != null) {
                pending.add(new Problem(r.problem));
              } else if (r.range != null) {
                block = r.range.addresses();
                blockOrigin = r.origin;
              } else {
                offer(r.text, r.origin, false);
              }
            }
            return true;
          }

          private void offer(String text, String origin, boolean fromBlock) {
            Target t;
            try {
              t = parser.parse(text);
            } catch (IllegalArgumentException e) {
              pending.add(new Problem(origin + ": " + e.getMessage()));
              return;
            }
            if (excluded(t)) {
              return;
            }
            if (seen != null && !seen.add(t)) {
              if (!fromBlock) {
                pending.add(
                    new Problem(
                        origin
                            + ": "
                            + t.display()
                            + " is already in the scan;"
                            + " scanned once"));
              }
              return;
            }
            pending.add(new Host(t, origin));
          }

          @Override
          public Entry next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return pending.poll();
          }
        };
  }

  private boolean excluded(Target t) {
    if (excludedNames.contains(key(t))
        || excludedNames.contains(t.host().toLowerCase(Locale.ROOT))) {
      return true;
    }
    if (!t.literal() || excludedRanges.isEmpty()) {
      return false;
    }
    InetAddress a = AddressRange.literal(t.host()).orElse(null);
    if (a == null) {
      return false;
    }
    BigInteger b = AddressRange.toBig(a);
    boolean v6 = a instanceof Inet6Address;
    for (AddressRange r : excludedRanges) {
      if (r.contains(b, v6)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasPort(String text) {
    if (text.startsWith("[")) {
      return text.contains("]:");
    }
    return text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':');
  }

  static String key(Target t) {
    return t.display().toLowerCase(Locale.ROOT);
  }

  /**
   * Targets already in the scan. IPv4 literals (the bulk of any CIDR scan) cost one long each;
   * names and IPv6 a string.
   */
  private static final class Seen {
    private final Set<Long> v4 = new HashSet<>();
    private final Set<String> other = new HashSet<>();

    boolean add(Target t) {
      InetAddress a = t.literal() ? AddressRange.literal(t.host()).orElse(null) : null;
      if (a != null && !(a instanceof Inet6Address)) {
        return v4.add((AddressRange.toBig(a).longValue() << 16) | t.port());
      }
      return other.add(key(t));
    }
  }

  /** One item of a spec before it is parsed: a text, a block of addresses, or a problem. */
  private record Raw(String text, AddressRange range, String origin, String problem) {
    static Raw problem(String message) {
      return new Raw(null, null, null, message);
    }
  }

  private static Iterator<Raw> raws(String spec) {
    String s = spec.strip();
    if (s.isEmpty()) {
      return List.of(Raw.problem("an empty target")).iterator();
    }
    if (s.startsWith("@")) {
      return file(Path.of(s.substring(1)));
    }
    return List.of(one(s, "'" + s + "'")).iterator();
  }

  private static Raw one(String s, String origin) {
    if (AddressRange.looksLikeBlock(s)) {
      try {
        return new Raw(null, AddressRange.parse(s), origin, null);
      } catch (AddressRange.BadRange e) {
        return Raw.problem(
            origin.startsWith("'") ? e.getMessage() : origin + ": " + e.getMessage());
      }
    }
    return new Raw(s, null, origin, null);
  }

  private static Iterator<Raw> file(Path p) {
    BufferedReader in;
    String first;
    try {
      in = Files.newBufferedReader(p, StandardCharsets.UTF_8);
      in.mark(MAX_LINE * 2);
      first = firstContent(in);
      in.reset();
    } catch (IOException | UncheckedIOException e) {
      return List.of(Raw.problem("cannot read target file " + p + ": " + reason(e))).iterator();
    }
    if (first != null && (first.startsWith("<?xml") || first.startsWith("<nmaprun"))) {
      close(in);
      return nmapXml(p);
    }
    return lines(p, in);
  }

  private static String firstContent(BufferedReader in) throws IOException {
    char[] buf = new char[MAX_LINE];
    int n = in.read(buf);
    if (n <= 0) {
      return null;
    }
    return new String(buf, 0, n).strip();
  }

  /** Plain lists and masscan -oL: one target per line, # comments. */
  private static Iterator<Raw> lines(Path p, BufferedReader in) {
    return new Iterator<>() {
      private Raw next;
      private int lineNo;
      private boolean done;

      @Override
      public boolean hasNext() {
        while (next == null && !done) {
          String line;
          try {
            line = in.readLine();
          } catch (IOException | UncheckedIOException e) {
            next = Raw.problem(p + ":" + (lineNo + 1) + ": read failed: " + reason(e));
            done = true;
            close(in);
            break;
          }
          if (line == null) {
            done = true;
            close(in);
            break;
          }
          lineNo++;
          String origin = p + ":" + lineNo;
          if (line.length() > MAX_LINE) {
            next =
                Raw.problem(
                    origin + ": a line of " + line.length() + " characters is not a" + " target");
            continue;
          }
          int hash = line.indexOf('#');
          String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
          if (t.isEmpty()) {
            continue;
          }
          Matcher m = MASSCAN.matcher(t);
          if (m.matches()) {
            if (m.group(1).equals("open")) {
              String host = m.group(3);
              next =
                  new Raw(
                      (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + m.group(2),
                      null,
                      origin,
                      null);
            }
            continue;
          }
          next = one(t, origin);
        }
        return next != null;
      }

      @Override
      public Raw next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Raw r = next;
        next = null;
        return r;
      }
    };
  }

  /**
   * nmap -oX, streamed: each host's IPv4/IPv6 address with each open TCP port, or with the default
   * port when nmap found none open (the diagnosis then says why).
   */
  private static Iterator<Raw> nmapXml(Path p) {
    InputStream raw;
    XMLStreamReader x;
    try {
      raw = Files.newInputStream(p);
      XMLInputFactory f = XMLInputFactory.newFactory();
      f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
      f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
      x = f.createXMLStreamReader(raw);
    } catch (IOException | XMLStreamException e) {
      return List.of(Raw.problem("cannot read nmap XML " + p + ": " + reason(e))).iterator();
    }
    return new Iterator<>() {
      private final ArrayDeque<Raw> pending = new ArrayDeque<>();
      private boolean done;
      private int hosts;
      private String address;
      private final List<String> openPorts = new ArrayList<>();
      private String portId;

      @Override
      public boolean hasNext() {
        try {
          while (pending.isEmpty() && !done) {
            if (!x.hasNext()) {
              finish();
              break;
            }
            int ev = x.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
              start(x.getLocalName());
            } else if (ev == XMLStreamConstants.END_ELEMENT && x.getLocalName().equals("host")) {
              endHost();
            }
          }
        } catch (XMLStreamException | RuntimeException e) {
          pending.add(
              Raw.problem(p + ": not valid nmap XML after " + hosts + " hosts: " + reason(e)));
          finish();
        }
        return !pending.isEmpty();
      }

      private void start(String name) {
        switch (name) {
          case "host" -> {
            address = null;
            openPorts.clear();
          }
          case "address" -> {
            String type = x.getAttributeValue(null, "addrtype");
            if (address == null && ("ipv4".equals(type) || "ipv6".equals(type))) {
              address = x.getAttributeValue(null, "addr");
            }
          }
          case "port" ->
              portId =
                  "tcp".equals(x.getAttributeValue(null, "protocol"))
                      ? x.getAttributeValue(null, "portid")
                      : null;
          case "state" -> {
            if (portId != null && "open".equals(x.getAttributeValue(null, "state"))) {
              openPorts.add(portId);
            }
            portId = null;
          }
          default -> {}
        }
      }

      private void endHost() {
        hosts++;
        String origin = p + " (nmap host " + hosts + ")";
        if (address == null) {
          pending.add(Raw.problem(origin + ": no IP address"));
          return;
        }
        String h = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        if (openPorts.isEmpty()) {
          pending.add(new Raw(h, null, origin, null));
        }
        for (String port : openPorts) {
          pending.add(new Raw(h + ":" + port, null, origin, null));
        }
      }

      private void finish() {
        done = true;
        try {
          x.close();
          raw.close();
        } catch (XMLStreamException | IOException e) {
          // read-only; nothing is lost by a failed close
        }
      }

      @Override
      public Raw next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.poll();
      }
    };
  }

  private static <T> Iterator<T> flatten(Iterator<Supplier<Iterator<T>>> parts) {
    return new Iterator<>() {
      private Iterator<T> current = List.<T>of().iterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && parts.hasNext()) {
          current = parts.next().get();
        }
        return current.hasNext();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  private static void close(BufferedReader in) {
    try {
      in.close();
    } catch (IOException e) {
      // read-only; nothing is lost by a failed close
    }
  }

  private static String reason(Exception e) {
    Throwable c = e instanceof UncheckedIOException u ? u.getCause() : e;
    String m = c.getMessage();
    return c instanceof NoSuchFileException
        ? "no such file"
        : c instanceof AccessDeniedException
            ? "permission denied"
            : m == null ? c.getClass().getSimpleName() : m;
  }
}

package dev.rdpdoctor.kb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issuer names of TLS-inspection products ({@code kb/tls-interception.json}), kept as data with the
 * source of each name so the list can be reviewed and extended without code.
 */
public final class InterceptionIssuers {
  private static final String RESOURCE = "/kb/tls-interception.json";
  private static volatile InterceptionIssuers instance;

  /** One product: a case-insensitive substring of the issuer DN, and where it comes from. */
  public record Entry(String match, String product, String source) {}

  private record Document(String about, List<Entry> issuers) {}

  private final List<Entry> entries;

  private InterceptionIssuers(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static InterceptionIssuers get() {
    InterceptionIssuers i = instance;
    if (i == null) {
      synchronized (InterceptionIssuers.class) {
        i = instance;
        if (i == null) {
          instance = i = load();
        }
      }
    }
    return i;
  }

  private static InterceptionIssuers load() {
    JsonMapper mapper =
        JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    try (InputStream in = InterceptionIssuers.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the jar");
      }
      return new InterceptionIssuers(mapper.readValue(in, Document.class).issuers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The product whose issuer name appears in {@code issuerDn}, if any. */
  public Optional<Entry> match(String issuerDn) {
    if (issuerDn == null) {
      return Optional.empty();
    }
    String dn = issuerDn.toLowerCase(Locale.ROOT);
    return entries.stream()
        .filter(e -> dn.contains(e.match().toLowerCase(Locale.ROOT)))
        .findFirst();
  }
}

package dev.rdpdoctor.codes;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The named values of one {@link OpenCode} catalogue, in the order they are defined. A value
 * defined twice is a mistake in the table and fails the class's initialisation, so a test that
 * touches the catalogue finds it.
 */
final class Catalogue<T extends OpenCode> {
  private final String what;
  private final Map<Integer, T> named = new LinkedHashMap<>();

  /** {@code what}: the scheme's name for the duplicate message, e.g. "ERRINFO". */
  Catalogue(String what) {
    this.what = what;
  }

  T add(T code) {
    if (named.putIfAbsent(code.code(), code) != null) {
      throw new IllegalStateException("duplicate " + what + " " + code.hex());
    }
    return code;
  }

  /** The named value, or what {@code unnamed} makes of a value the table does not hold. */
  T get(int code, IntFunction<T> unnamed) {
    T known = named.get(code);
    return known != null ? known : unnamed.apply(code);
  }

  Collection<T> all() {
    return Collections.unmodifiableCollection(named.values());
  }
}

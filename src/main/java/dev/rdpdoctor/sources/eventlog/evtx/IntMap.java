package dev.rdpdoctor.sources.eventlog.evtx;

/**
 * A map from int keys (chunk-relative offsets) to values, for the per-chunk name and template
 * tables looked up for every element and record: open addressing, no boxed keys.
 */
final class IntMap<V> {
  private int[] keys = new int[16];
  private Object[] values = new Object[16];
  private int size;

  @SuppressWarnings("unchecked")
  V get(int key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      Object v = values[i];
      if (v == null || keys[i] == key) {
        return (V) v;
      }
    }
  }

  /** Adds a value for a key not yet in the map; {@code value} is not null. */
  void put(int key, V value) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (values[i] != null && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (values[i] == null) {
      size++;
    }
    keys[i] = key;
    values[i] = value;
  }

  private void grow() {
    int[] k = keys;
    Object[] v = values;
    keys = new int[k.length * 2];
    values = new Object[k.length * 2];
    size = 0;
    for (int i = 0; i < k.length; i++) {
      if (v[i] != null) {
        @SuppressWarnings("unchecked")
        V value = (V) v[i];
        put(k[i], value);
      }
    }
  }

  private static int mix(int key) {
    return key * 0x9E3779B9 >>> 7;
  }
}

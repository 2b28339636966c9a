package dev.rdpdoctor.codes;

import java.util.ArrayList;
import java.util.List;

/** Bit-flag fields named for reports: "A|B", with bits no table knows kept in hex. */
public final class FlagNames {
  private FlagNames() {}

  /**
   * The names of the set bits in table order, then any unknown bits as one "0x..." part; empty when
   * no bit is set (the caller says what zero means for its field).
   */
  public static String describe(int flags, int[] bits, String[] names) {
    List<String> out = new ArrayList<>();
    int rest = flags;
    for (int i = 0; i < bits.length; i++) {
      if ((flags & bits[i]) != 0) {
        out.add(names[i]);
        rest &= ~bits[i];
      }
    }
    if (rest != 0) {
      out.add(String.format("0x%x", rest & 0xFFFFFFFFL));
    }
    return String.join("|", out);
  }
}

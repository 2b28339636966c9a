package dev.rdpdoctor.codes;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Common shape of the code catalogues in this package. Each catalogue is an open enum: any 32-bit
 * value decodes, and values the catalogue does not define come back as {@code UNKNOWN(0x…)} rather
 * than an exception, because a code in a log or on a screen is user input.
 *
 * <p>{@link #causes()} lists ids from the cause catalogue (DESIGN.md §4), most likely first. They
 * are plain strings so the diagnosis layer can evolve its catalogue without touching codes.
 */
public abstract sealed class OpenCode
    permits DisconnectReason, ExtendedDisconnectReason, ErrorInfo, NtStatus, ErrConnect, TlsAlert {
  private final int code;
  private final String name;
  private final String symbol;
  private final String description;
  private final List<String> causes;
  private final boolean known;

  /**
   * One value's row.
   *
   * @param name short name, without the scheme's prefix
   * @param symbol the identifier as published
   * @param known false for a value the catalogue has no row for
   */
  record Entry(
      int code,
      String name,
      String symbol,
      String description,
      List<String> causes,
      boolean known) {
    Entry {
      Objects.requireNonNull(name);
      Objects.requireNonNull(symbol);
      Objects.requireNonNull(description);
      causes = List.copyOf(causes);
    }

    /** A row of the table. */
    static Entry named(int code, String name, String symbol, String description, String... causes) {
      return new Entry(code, name, symbol, description, List.of(causes), true);
    }

    /** A value the table does not hold: {@code UNKNOWN(0x…)}, no causes. */
    static Entry unnamed(int code, String description) {
      return new Entry(code, unknownName(code), unknownName(code), description, List.of(), false);
    }

    Entry withSymbol(String symbol) {
      return new Entry(code, name, symbol, description, causes, known);
    }
  }

  OpenCode(Entry e) {
    this.code = e.code();
    this.name = e.name();
    this.symbol = e.symbol();
    this.description = e.description();
    this.causes = e.causes();
    this.known = e.known();
  }

  /** The value as a 32-bit pattern; read it unsigned ({@link #hex()}) for display. */
  public int code() {
    return code;
  }

  /** Short name, e.g. {@code AtClientWinsockFDCLOSE} or {@code SERVER_DENIED_CONNECTION}. */
  public String name() {
    return name;
  }

  /** The identifier as published, e.g. {@code disconnectReasonAtClientWinsockFDCLOSE}. */
  public String symbol() {
    return symbol;
  }

  /** One line a helpdesk reader understands. */
  public String description() {
    return description;
  }

  /** Probable cause ids (DESIGN.md §4), most likely first; empty when it is not a fault. */
  public List<String> causes() {
    return causes;
  }

  public boolean isKnown() {
    return known;
  }

  public String hex() {
    return hex(code);
  }

  /** Upper-case hex without leading zeros, the way mstsc and the event logs print codes. */
  public static String hex(int value) {
    return "0x" + Integer.toHexString(value).toUpperCase(Locale.ROOT);
  }

  static String unknownName(int code) {
    return "UNKNOWN(" + hex(code) + ")";
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass() && ((OpenCode) o).code == code;
  }

  @Override
  public final int hashCode() {
    return Objects.hash(getClass(), code);
  }

  @Override
  public String toString() {
    return name;
  }
}

package dev.rdpdoctor.codes;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Offline decoding of the codes people paste from error dialogs, event logs and FreeRDP output:
 * parse the text, find every table that knows the value, and say what to check next. Pure: no I/O,
 * never throws for any input.
 */
public final class CodeLookup {
  /** A code table, with the id JSON carries and a title for people. */
  public enum Table {
    DISCONNECT_REASON("disconnect_reason", "Remote Desktop client disconnect reason"),
    EXTENDED_DISCONNECT_REASON(
        "extended_disconnect_reason", "Remote Desktop client extended disconnect reason"),
    ERROR_INFO("error_info", "server Set Error Info code (ERRINFO)"),
    NTSTATUS("ntstatus", "Windows NTSTATUS (logon result)"),
    FREERDP_ERROR("freerdp_error", "FreeRDP error"),
    NEGOTIATION_FAILURE("negotiation_failure", "RDP security negotiation failure"),
    TLS_ALERT("tls_alert", "TLS alert");

    private final String id;
    private final String title;

    Table(String id, String title) {
      this.id = id;
      this.title = title;
    }

    public String id() {
      return id;
    }

    public String title() {
      return title;
    }
  }

  /** The result of reading one code argument; exactly one of value or error is set. */
  public record Parsed(String input, Integer value, String error) {
    public boolean ok() {
      return value != null;
    }
  }

  /** One meaning of a value in one table. */
  public record Interpretation(
      String table,
      String tableTitle,
      String name,
      String symbol,
      String description,
      List<String> causes) {
    public Interpretation {
      causes = List.copyOf(causes);
    }
  }

  /** One argument, decoded. {@code role} says how it was read ("code", "disconnect_reason"...). */
  public record DecodedCode(
      String input,
      String role,
      Long value,
      String hex,
      Integer signed,
      boolean known,
      String error,
      List<Interpretation> interpretations) {
    public DecodedCode {
      interpretations = List.copyOf(interpretations);
    }
  }

  /**
   * The codes decoded, with the causes their literal meaning names.
   *
   * @param openEnded the codes name no cause although something failed (an unknown code, a server
   *     fault): general checks are worth running. The checks themselves, and the causes people meet
   *     in practice behind a code, are the knowledge base's ({@code kb}).
   */
  public record Explanation(
      List<DecodedCode> codes,
      boolean allDecoded,
      String summary,
      List<String> probableCauses,
      boolean openEnded) {
    public Explanation {
      codes = List.copyOf(codes);
      probableCauses = List.copyOf(probableCauses);
    }
  }

  private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,11}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,16}");
  private static final Pattern HEX_WITH_LETTER = Pattern.compile(".*[a-fA-F].*");
  private static final int MAX_INPUT = 40;

  private CodeLookup() {}

  /**
   * Reads {@code 0x904}, {@code 904h}, {@code 2308}, {@code C000006D} (bare hex only when it has a
   * letter, so "904" stays decimal) and negative decimals such as {@code -1073741715}. Trailing
   * punctuation copied from a dialog ("0x904,") is ignored.
   */
  public static Parsed parse(String input) {
    if (input == null) {
      return new Parsed("", null, "no code given");
    }
    String s = input.strip();
    while (!s.isEmpty() && ",;.:".indexOf(s.charAt(s.length() - 1)) >= 0) {
      s = s.substring(0, s.length() - 1).strip();
    }
    if (s.isEmpty()) {
      return new Parsed(input, null, "no code given");
    }
    if (s.length() > MAX_INPUT) {
      return new Parsed(
          input, null, "'" + s.substring(0, MAX_INPUT) + "…' is too long to be a " + "code");
    }
    String digits = null;
    boolean hex = false;
    if (s.length() > 2 && (s.startsWith("0x") || s.startsWith("0X"))) {
      digits = s.substring(2);
      hex = true;
    } else if (s.length() > 1 && (s.endsWith("h") || s.endsWith("H"))) {
      digits = s.substring(0, s.length() - 1);
      hex = true;
    } else if (DECIMAL.matcher(s).matches()) {
      digits = s;
    } else if (HEX.matcher(s).matches() && HEX_WITH_LETTER.matcher(s).matches()) {
      digits = s;
      hex = true;
    }
    if (digits == null || (hex && !HEX.matcher(digits).matches())) {
      return new Parsed(
          input,
          null,
          "'"
              + s
              + "' is not a code: give it in hex (0x904), "
              + "decimal (2308) or as a negative number (-1073741715)");
    }
    long v = Long.parseLong(digits, hex ? 16 : 10);
    if (v > 0xFFFFFFFFL || v < Integer.MIN_VALUE) {
      return new Parsed(
          input,
          null,
          "'" + s + "' does not fit in 32 bits, so it is not an RDP, " + "Windows or TLS code");
    }
    return new Parsed(input, (int) v, null);
  }

  /** Every table that knows {@code value}, most useful first; empty when none does. */
  public static List<Interpretation> interpretations(int value) {
    List<Interpretation> out = new ArrayList<>();
    add(out, Table.DISCONNECT_REASON, DisconnectReason.valueOf(value));
    add(out, Table.EXTENDED_DISCONNECT_REASON, ExtendedDisconnectReason.valueOf(value));
    add(out, Table.ERROR_INFO, ErrorInfo.valueOf(value));
    add(out, Table.NTSTATUS, NtStatus.valueOf(value));
    if (ErrConnect.isCombined(value)) {
      ErrConnect.Combined c = ErrConnect.decodeCombined(value);
      if (c.isKnown()) {
        out.add(
            new Interpretation(
                Table.FREERDP_ERROR.id(),
                Table.FREERDP_ERROR.title(),
                c.detail().name(),
                c.symbol(),
                "FreeRDP " + c.className() + " class: " + c.detail().description(),
                c.detail().causes()));
      }
    } else {
      add(out, Table.FREERDP_ERROR, ErrConnect.valueOf(value));
    }
    NegotiationFailureCode neg = NegotiationFailureCode.valueOf(value);
    if (neg.isKnown()) {
      out.add(
          new Interpretation(
              Table.NEGOTIATION_FAILURE.id(),
              Table.NEGOTIATION_FAILURE.title(),
              neg.name(),
              neg.name(),
              neg.description(),
              neg.cause().map(c -> List.of(c.id())).orElse(List.of())));
    }
    add(out, Table.TLS_ALERT, TlsAlert.valueOf(value));
    return out;
  }

  private static void add(List<Interpretation> out, Table table, OpenCode code) {
    if (code.isKnown()) {
      out.add(interpretation(table, code));
    }
  }

  private static Interpretation interpretation(Table table, OpenCode code) {
    return new Interpretation(
        table.id(), table.title(), code.name(), code.symbol(), code.description(), code.causes());
  }

  /** One code of unknown origin: every reading of it, ranked. */
  public static Explanation explain(String code) {
    Parsed p = parse(code);
    if (!p.ok()) {
      return failed(List.of(unparsed(p, "code")), p.error());
    }
    int v = p.value();
    List<Interpretation> all = interpretations(v);
    DecodedCode decoded = decoded(p, "code", all);
    if (all.isEmpty()) {
      return new Explanation(List.of(decoded), false, notKnown(v), List.of(), true);
    }
    Set<String> causes = new LinkedHashSet<>();
    all.forEach(i -> causes.addAll(i.causes()));
    Interpretation first = all.get(0);
    String summary = capitalize(first.description()) + " (" + first.symbol() + ").";
    if (all.size() > 1) {
      summary +=
          " The same number has "
              + (all.size() - 1)
              + " other meaning"
              + (all.size() > 2 ? "s" : "")
              + "; pick the one that matches where you saw it.";
    }
    return new Explanation(List.of(decoded), true, summary, List.copyOf(causes), false);
  }

  /**
   * The pair mstsc shows: "Error code: CODE, Extended error code: EXTENDED". CODE is read as the
   * disconnect reason, EXTENDED as the extended reason, which carries the server's ERRINFO.
   */
  public static Explanation explain(String code, String extended) {
    Parsed pc = parse(code);
    Parsed px = parse(extended);
    if (!pc.ok() || !px.ok()) {
      List<DecodedCode> codes =
          List.of(
              pc.ok()
                  ? pairCode(pc, DisconnectReason.valueOf(pc.value()))
                  : unparsed(pc, "disconnect_reason"),
              px.ok()
                  ? pairExtended(px, ExtendedDisconnectReason.valueOf(px.value()))
                  : unparsed(px, "extended_reason"));
      return failed(codes, pc.ok() ? px.error() : pc.error());
    }
    DisconnectReason d = DisconnectReason.valueOf(pc.value());
    ExtendedDisconnectReason x = ExtendedDisconnectReason.valueOf(px.value());
    List<DecodedCode> codes = List.of(pairCode(pc, d), pairExtended(px, x));
    boolean extendedSaysSomething = x.code() != 0;
    List<String> causes = extendedSaysSomething && x.isKnown() ? x.causes() : d.causes();
    boolean all = d.isKnown() && x.isKnown();
    // A server fault with no client-side cause (a crash, a protocol error) still deserves a
    // look at the server; a deliberate logoff or idle timeout does not.
    boolean fault =
        causes.isEmpty()
            && !d.causes().isEmpty()
            && ExtendedDisconnectReason.isProtocolRange(x.code());
    return new Explanation(codes, all, combined(d, x), causes, !all || fault);
  }

  private static DecodedCode pairCode(Parsed p, DisconnectReason d) {
    return decoded(
        p,
        "disconnect_reason",
        d.isKnown() ? List.of(interpretation(Table.DISCONNECT_REASON, d)) : List.of());
  }

  private static DecodedCode pairExtended(Parsed p, ExtendedDisconnectReason x) {
    List<Interpretation> list = new ArrayList<>();
    if (x.isKnown()) {
      list.add(interpretation(Table.EXTENDED_DISCONNECT_REASON, x));
      ErrorInfo info = x.errorInfo();
      // 0 adds nothing, and in the protocol range the line above already is the ERRINFO.
      if (info.isKnown() && x.code() != 0 && !ExtendedDisconnectReason.isProtocolRange(x.code())) {
        list.add(interpretation(Table.ERROR_INFO, info));
      }
    }
    return decoded(p, "extended_reason", list);
  }

  static String combined(DisconnectReason d, ExtendedDisconnectReason x) {
    boolean extra = x.code() != 0;
    ErrorInfo info = x.errorInfo();
    String ext = info.isKnown() ? info.symbol() : x.symbol();
    if (!d.isKnown()) {
      String s =
          "Error code "
              + d.hex()
              + " ("
              + Integer.toUnsignedString(d.code())
              + ") is not a code rdpdoctor knows ("
              + d.layer()
              + ").";
      if (extra) {
        s +=
            x.isKnown()
                ? " The extended code says: " + x.description() + " (" + ext + ")."
                : " The extended code " + x.hex() + " is not known either.";
      }
      return s;
    }
    if (extra && !x.isKnown()) {
      return sentence(d.description())
          + " The extended code "
          + x.hex()
          + " ("
          + Integer.toUnsignedString(x.code())
          + ") is not a code rdpdoctor knows; the "
          + "server's event log may name it.";
    }
    if (d.equals(DisconnectReason.AT_CLIENT_WINSOCK_FDCLOSE)) {
      if (!extra) {
        return "The connection was closed by the server or by something on the path, and the "
            + "server gave no reason: typical of a security (TLS/NLA) mismatch, an MTU black "
            + "hole on a VPN, or a server dropping connections it cannot take.";
      }
      if (ExtendedDisconnectReason.isProtocolRange(x.code())) {
        return "The server accepted the connection, then hit a protocol error and closed it: "
            + info.description()
            + " ("
            + ext
            + ").";
      }
      return x.causes().isEmpty()
          ? "The server ended the connection and said why: " + x.description() + " (" + ext + ")."
          : "The server accepted the connection and then refused it: "
              + x.description()
              + " ("
              + ext
              + ").";
    }
    if (d.equals(DisconnectReason.BY_SERVER) && extra) {
      return "The server ended the session: " + x.description() + " (" + ext + ").";
    }
    if ((d.code() & 0xFF) == 0x07) {
      return "The logon was refused during Network Level Authentication: "
          + d.description()
          + (extra ? "; the server added: " + x.description() + " (" + ext + ")" : "")
          + ".";
    }
    return sentence(d.description())
        + (extra ? " The server added: " + x.description() + " (" + ext + ")." : "");
  }

  private static Explanation failed(List<DecodedCode> codes, String error) {
    return new Explanation(codes, false, error, List.of(), false);
  }

  private static DecodedCode unparsed(Parsed p, String role) {
    return new DecodedCode(p.input(), role, null, null, null, false, p.error(), List.of());
  }

  private static DecodedCode decoded(Parsed p, String role, List<Interpretation> list) {
    int v = p.value();
    return new DecodedCode(
        p.input(),
        role,
        Integer.toUnsignedLong(v),
        OpenCode.hex(v),
        v < 0 ? v : null,
        !list.isEmpty(),
        null,
        list);
  }

  static String notKnown(int v) {
    return OpenCode.hex(v)
        + " ("
        + Integer.toUnsignedString(v)
        + (v < 0 ? ", signed " + v : "")
        + ") is not a code rdpdoctor knows.";
  }

  private static String sentence(String s) {
    String c = capitalize(s);
    return c.endsWith(".") ? c : c + ".";
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}

package dev.rdpdoctor.sources.eventlog.evtx;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BinXml value types ([MS-EVEN6] 2.2.9 "Value types"; libevtx §4.3) and their text form as
 * python-evtx renders it (decimal integers, {@code 0x}-padded hex, lower-case GUIDs in braces,
 * base64 binary, {@code S-1-5-...} SIDs, FILETIMEs as {@code YYYY-MM-DD HH:MM:SS.ffffff}).
 */
final class BinXmlValues {
  static final int NULL = 0x00;
  static final int WSTRING = 0x01;
  static final int STRING = 0x02;
  static final int BXML = 0x21;
  static final int WSTRING_ARRAY = 0x81;

  /** A value longer than a chunk cannot be real. */
  static final int MAX_VALUE = EvtxChunkHeader.SIZE;

  private static final Pattern NON_NUL_PAIRS =
      Pattern.compile(
          "((?:[^\\x00].)+)",
          Pattern.UNIX_LINES); // like Python's bytes regex: '.' stops only at \n
  private static final Pattern NULS = Pattern.compile("(\\x00*)");

  private BinXmlValues() {}

  /** Length of a value stored inline after a Value token (its own size prefix if it has one). */
  static int inlineLength(ByteBuffer b, int type, int at, BinXmlChunk ctx)
      throws EvtxFormatException {
    return switch (type) {
      case NULL -> 0;
      case WSTRING -> 2 + 2 * Le.u16(b, at, "string length");
      case STRING, WSTRING_ARRAY -> 2 + Le.u16(b, at, "string length");
      case 0x0E -> {
        long n = Le.u32(b, at, "binary length");
        if (n > MAX_VALUE) {
          throw new EvtxFormatException("binary value of " + n + " bytes", at);
        }
        yield 4 + (int) n;
      }
      case 0x13 -> 8 + 4 * Le.u8(b, at + 1, "SID sub-authority count");
      case 0x10 -> 8;
      default -> fixed(type, at);
      case BXML -> throw new EvtxFormatException("inline BinXml value (not supported)", at);
    };
  }

  /** The natural length of a substitution value given its declared size. */
  static int declaredLength(ByteBuffer b, int type, int at, int size) throws EvtxFormatException {
    return switch (type) {
      case NULL, WSTRING, STRING, WSTRING_ARRAY, 0x0E, 0x10, BXML -> size;
      case 0x13 -> 8 + 4 * Le.u8(b, at + 1, "SID sub-authority count");
      default -> (type & 0x80) != 0 ? size : fixed(type, at);
    };
  }

  private static int fixed(int type, int at) throws EvtxFormatException {
    return switch (type) {
      case 0x03, 0x04 -> 1;
      case 0x05, 0x06 -> 2;
      case 0x07, 0x08, 0x0B, 0x0D, 0x14 -> 4;
      case 0x09, 0x0A, 0x0C, 0x11, 0x15 -> 8;
      case 0x0F, 0x12 -> 16;
      default ->
          throw new EvtxFormatException(
              "value type 0x" + Integer.toHexString(type) + " is not a known BinXml type", at);
    };
  }

  /**
   * The text of a value.
   *
   * @param size the declared size for a substitution value, or -1 for an inline value
   */
  static String string(ByteBuffer b, int type, int at, int size, BinXmlChunk ctx)
      throws EvtxFormatException {
    switch (type) {
      case NULL:
      case BXML:
        return "";
      case WSTRING:
        {
          int n = size < 0 ? Le.u16(b, at, "string length") : size / 2;
          return stripNul(utf16(b, size < 0 ? at + 2 : at, n, ctx));
        }
      case STRING:
        {
          int n = size < 0 ? Le.u16(b, at, "string length") : size;
          int s = size < 0 ? at + 2 : at;
          Le.need(b, s, n, "string");
          String v = new String(Le.bytes(b, s, n), StandardCharsets.ISO_8859_1);
          for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) >= 0x80) {
              ctx.problem("8-bit string is not ASCII (read as Latin-1)", s);
              break;
            }
          }
          return stripNul(v);
        }
      case 0x03:
        return Integer.toString((byte) Le.u8(b, at, "int8"));
      case 0x04:
        return Integer.toString(Le.u8(b, at, "uint8"));
      case 0x05:
        return Integer.toString((short) Le.u16(b, at, "int16"));
      case 0x06:
        return Integer.toString(Le.u16(b, at, "uint16"));
      case 0x07:
        return Integer.toString(Le.i32(b, at, "int32"));
      case 0x08:
        return Long.toString(Le.u32(b, at, "uint32"));
      case 0x09:
        return Long.toString(Le.u64(b, at, "int64"));
      case 0x0A:
        return Long.toUnsignedString(Le.u64(b, at, "uint64"));
      case 0x0B:
        return PyFormat.floatRepr(Float.intBitsToFloat(Le.i32(b, at, "float")));
      case 0x0C:
        return PyFormat.floatRepr(Double.longBitsToDouble(Le.u64(b, at, "double")));
      case 0x0D:
        return Le.i32(b, at, "boolean") > 0 ? "True" : "False";
      case 0x0E:
        {
          int n = size;
          int s = at;
          if (size < 0) {
            n = (int) Math.min(Le.u32(b, at, "binary length"), MAX_VALUE);
            s = at + 4;
          }
          Le.need(b, s, n, "binary");
          return BinXmlChunk.base64(b, s, n);
        }
      case 0x0F:
        return "{" + guid(b, at) + "}";
      case 0x10:
        return size == 4
            ? Long.toString(Le.u32(b, at, "size"))
            : Long.toUnsignedString(Le.u64(b, at, "size"));
      case 0x11:
        return WindowsTime.filetime(Le.u64(b, at, "FILETIME"));
      case 0x12:
        return systemtime(b, at, ctx);
      case 0x13:
        return sid(b, at);
      case 0x14:
        return hex(b, at, 4);
      case 0x15:
        return hex(b, at, 8);
      case WSTRING_ARRAY:
        {
          int n = size < 0 ? Le.u16(b, at, "array length") : size;
          int s = size < 0 ? at + 2 : at;
          Le.need(b, s, n, "string array");
          return stringArray(b, s, n, ctx);
        }
      default:
        {
          // python-evtx stops at types it does not know (arrays other than strings); we show hex
          ctx.problem("value type 0x" + Integer.toHexString(type) + " shown as hex", at);
          int n = Math.max(0, Math.min(size, MAX_VALUE));
          Le.need(b, at, n, "value");
          return java.util.HexFormat.of().formatHex(Le.bytes(b, at, n));
        }
    }
  }

  static String guid(ByteBuffer b, int at) throws EvtxFormatException {
    Le.need(b, at, 16, "GUID");
    int[] order = {3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15};
    StringBuilder sb = new StringBuilder(36);
    for (int i : order) {
      if (i < 0) {
        sb.append('-');
      } else {
        hex2(sb, b.get(at + i));
      }
    }
    return sb.toString();
  }

  private static String hex(ByteBuffer b, int at, int n) throws EvtxFormatException {
    Le.need(b, at, n, "hex value");
    StringBuilder sb = new StringBuilder(2 + 2 * n).append("0x");
    for (int i = n - 1; i >= 0; i--) {
      hex2(sb, b.get(at + i));
    }
    return sb.toString();
  }

  private static void hex2(StringBuilder sb, byte v) {
    sb.append(Character.forDigit((v >> 4) & 0xF, 16)).append(Character.forDigit(v & 0xF, 16));
  }

  private static String sid(ByteBuffer b, int at) throws EvtxFormatException {
    int version = Le.u8(b, at, "SID revision");
    int count = Le.u8(b, at + 1, "SID count");
    Le.need(b, at, 8 + 4L * count, "SID");
    long high =
        ((b.get(at + 2) & 0xFFL) << 24)
            | ((b.get(at + 3) & 0xFF) << 16)
            | ((b.get(at + 4) & 0xFF) << 8)
            | (b.get(at + 5) & 0xFF);
    long low = ((b.get(at + 6) & 0xFF) << 8) | (b.get(at + 7) & 0xFF);
    StringBuilder sb =
        new StringBuilder("S-").append(version).append('-').append((high << 16) ^ low);
    for (int i = 0; i < count; i++) {
      sb.append('-').append(Le.u32(b, at + 8 + 4 * i, "SID sub-authority"));
    }
    return sb.toString();
  }

  private static String systemtime(ByteBuffer b, int at, BinXmlChunk ctx)
      throws EvtxFormatException {
    int[] p = new int[8];
    for (int i = 0; i < 8; i++) {
      p[i] = Le.u16(b, at + 2 * i, "SYSTEMTIME");
    }
    // python-evtx passes the milliseconds field as microseconds; so do we, to stay comparable
    try {
      java.time.LocalDateTime.of(p[0], p[1], p[3], p[4], p[5], p[6]);
    } catch (java.time.DateTimeException e) {
      ctx.problem("SYSTEMTIME out of range", at);
    }
    return PyFormat.iso(p[0], p[1], p[3], p[4], p[5], p[6], p[7]);
  }

  /** python-evtx's reading of a string array: runs of non-NUL-led pairs, NUL pairs as empties. */
  private static String stringArray(ByteBuffer b, int at, int n, BinXmlChunk ctx) {
    String bin = new String(Le.bytes(b, at, n), StandardCharsets.ISO_8859_1);
    StringBuilder acc = new StringBuilder();
    for (int guard = 0; !bin.isEmpty() && guard <= n; guard++) {
      Matcher m = NON_NUL_PAIRS.matcher(bin);
      if (m.find()) {
        String frag = m.group();
        acc.append("<string>")
            .append(
                decodeUtf16(
                    ByteBuffer.wrap(frag.getBytes(StandardCharsets.ISO_8859_1)),
                    0,
                    frag.length() / 2,
                    ctx,
                    at))
            .append("</string>\n");
        bin = bin.substring(Math.min(bin.length(), frag.length() + 2));
        if (bin.isEmpty()) {
          break;
        }
      }
      Matcher z = NULS.matcher(bin);
      String zeros = z.lookingAt() ? z.group() : "";
      if (zeros.length() % 2 != 0) {
        ctx.problem("string array with an odd run of NULs", at);
        break;
      }
      acc.append("<string></string>\n".repeat(zeros.length() / 2));
      bin = bin.substring(zeros.length());
    }
    return acc.toString();
  }

  private static String stripNul(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == 0) {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }

  /**
   * UTF-16 as Python's "utf16" codec reads it: a leading BOM picks the byte order and is dropped,
   * otherwise little-endian. Python fails on unpaired surrogates; we substitute U+FFFD and report
   * it. A string cut short by the end of the file is read as far as it goes, as Python's slicing
   * does.
   */
  static String utf16(ByteBuffer b, int at, int chars, BinXmlChunk ctx) throws EvtxFormatException {
    if (at < 0 || at > b.limit()) {
      throw new EvtxFormatException("string outside the file", at);
    }
    int avail = (b.limit() - at) / 2;
    if (chars > avail) {
      ctx.problem("string runs past the end of the file", at);
      chars = avail;
    }
    return decodeUtf16(b, at, chars, ctx, at);
  }

  private static String decodeUtf16(ByteBuffer b, int at, int chars, BinXmlChunk ctx, int where) {
    boolean be = false;
    int start = at;
    if (chars > 0 && (b.get(at) & 0xFF) == 0xFF && (b.get(at + 1) & 0xFF) == 0xFE) {
      start += 2;
      chars--;
    } else if (chars > 0 && (b.get(at) & 0xFF) == 0xFE && (b.get(at + 1) & 0xFF) == 0xFF) {
      start += 2;
      chars--;
      be = true;
    }
    char[] out = new char[chars];
    boolean bad = false;
    for (int i = 0; i < chars; i++) {
      int p = start + 2 * i;
      out[i] =
          be
              ? (char) ((b.get(p) & 0xFF) << 8 | (b.get(p + 1) & 0xFF))
              : (char) ((b.get(p) & 0xFF) | (b.get(p + 1) & 0xFF) << 8);
    }
    for (int i = 0; i < chars; i++) {
      char c = out[i];
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < chars && Character.isLowSurrogate(out[i + 1])) {
          i++;
        } else {
          out[i] = '\uFFFD';
          bad = true;
        }
      } else if (Character.isLowSurrogate(c)) {
        out[i] = '\uFFFD';
        bad = true;
      }
    }
    if (bad && ctx != null) {
      ctx.problem("string is not valid UTF-16 (unpaired surrogate replaced by U+FFFD)", where);
    }
    return new String(out);
  }
}

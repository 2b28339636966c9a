package dev.rdpdoctor.remedy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A structural check of PowerShell source, since no PowerShell runs here: strings (single, double
 * with backtick escapes and $( ) subexpressions, here-strings), comments (line and block), and
 * balanced (), {}, []. Returns the problems found, with line numbers; empty means the script is
 * well formed as far as these rules go.
 */
final class PowerShellSyntax {
  private final String s;
  private int i;
  private int line = 1;
  private final List<String> problems = new ArrayList<>();

  private PowerShellSyntax(String s) {
    this.s = s;
  }

  static List<String> check(String source) {
    PowerShellSyntax p = new PowerShellSyntax(source);
    p.code(null);
    return p.problems;
  }

  /** Scans code until the closer (or the end when null); nested brackets on a stack. */
  private void code(Character closer) {
    Deque<int[]> stack = new ArrayDeque<>(); // {char, line}
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (c == '#' && (i == 0 || !isWordChar(s.charAt(i - 1)))) {
        while (i < s.length() && s.charAt(i) != '\n') {
          i++;
        }
      } else if (s.startsWith("<#", i)) {
        int end = s.indexOf("#>", i + 2);
        if (end < 0) {
          problems.add(line + ": unterminated <# block comment");
          i = s.length();
          return;
        }
        countLines(i, end + 2);
        i = end + 2;
      } else if (s.startsWith("@'", i) || s.startsWith("@\"", i)) {
        hereString(s.charAt(i + 1));
      } else if (c == '\'' || c == '\u2018' || c == '\u2019') {
        single();
      } else if (c == '"' || c == '\u201C' || c == '\u201D') {
        dbl();
      } else if (c == '`') {
        i += 2; // escaped character in code (line continuation or literal)
      } else if (c == '(' || c == '{' || c == '[') {
        stack.push(new int[] {c, line});
        i++;
      } else if (c == ')' || c == '}' || c == ']') {
        if (stack.isEmpty()) {
          if (closer != null && c == closer) {
            i++;
            return;
          }
          problems.add(line + ": unmatched '" + c + "'");
          i++;
          continue;
        }
        int[] open = stack.pop();
        char want = open[0] == '(' ? ')' : open[0] == '{' ? '}' : ']';
        if (c != want) {
          problems.add(line + ": '" + c + "' closes '" + (char) open[0] + "' from line " + open[1]);
        }
        i++;
      } else {
        i++;
      }
    }
    for (int[] open : stack) {
      problems.add(open[1] + ": '" + (char) open[0] + "' never closed");
    }
    if (closer != null) {
      problems.add(line + ": subexpression never closed");
    }
  }

  private void single() {
    int start = line;
    i++;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\n') {
        line++;
      }
      if (c == '\'' || c == '\u2018' || c == '\u2019') {
        if (i + 1 < s.length() && isSingleQuote(s.charAt(i + 1))) {
          i += 2; // '' is a quote inside the string
          continue;
        }
        i++;
        return;
      }
      i++;
    }
    problems.add(start + ": unterminated single-quoted string");
  }

  private void dbl() {
    int start = line;
    i++;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\n') {
        line++;
      }
      if (c == '`') {
        i += 2;
        continue;
      }
      if (s.startsWith("$(", i)) {
        i += 2;
        code(')');
        continue;
      }
      if (c == '"' || c == '\u201C' || c == '\u201D') {
        if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
          i += 2;
          continue;
        }
        i++;
        return;
      }
      i++;
    }
    problems.add(start + ": unterminated double-quoted string");
  }

  private void hereString(char q) {
    int start = line;
    int nl = s.indexOf('\n', i);
    if (nl < 0 || !s.substring(i + 2, nl).isBlank()) {
      problems.add(line + ": a here-string must end its opening line after @" + q);
      i += 2;
      return;
    }
    String close = "\n" + q + "@";
    int end = s.indexOf(close, nl);
    if (end < 0) {
      String closeCr = "\r\n" + q + "@";
      end = s.indexOf(closeCr, nl);
    }
    if (end < 0) {
      problems.add(start + ": unterminated here-string");
      i = s.length();
      return;
    }
    countLines(i, end + close.length());
    i = end + close.length();
  }

  private void countLines(int from, int to) {
    for (int k = from; k < to && k < s.length(); k++) {
      if (s.charAt(k) == '\n') {
        line++;
      }
    }
  }

  private static boolean isSingleQuote(char c) {
    return c == '\'' || c == '\u2018' || c == '\u2019';
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-';
  }
}

package dev.rdpdoctor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes what the release ships besides the jar, from the command model itself so it never drifts
 * from {@code --help}: the bash/zsh completion script (picocli's {@link AutoComplete}) and one man
 * page per command ({@code rdpdoctor.1}, {@code rdpdoctor-diagnose.1}, ...).
 *
 * <p>Run by the build: {@code java -cp rdpdoctor.jar dev.rdpdoctor.cli.ReleaseDocs DIR VERSION}.
 */
public final class ReleaseDocs {
  private ReleaseDocs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ReleaseDocs OUTPUT-DIR VERSION");
      System.exit(Main.EXIT_UNKNOWN);
    }
    Path out = Path.of(args[0]);
    Files.createDirectories(out.resolve("completion"));
    Files.createDirectories(out.resolve("man"));
    CommandLine cl = Main.commandLine();
    Files.writeString(
        out.resolve("completion/rdpdoctor.bash"),
        AutoComplete.bash("rdpdoctor", cl),
        StandardCharsets.UTF_8);
    List<CommandLine> all = new ArrayList<>();
    all.add(cl);
    all.addAll(cl.getSubcommands().values());
    for (CommandLine c : all) {
      String name = c.getCommandSpec().qualifiedName("-");
      Files.writeString(
          out.resolve("man/" + name + ".1"), manPage(c, all, args[1]), StandardCharsets.UTF_8);
    }
  }

  /** A man page (roff, man macros) of one command: picocli's help text, in sections. */
  static String manPage(CommandLine c, List<CommandLine> all, String version) {
    CommandSpec spec = c.getCommandSpec();
    Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
    String name = spec.qualifiedName("-");
    StringBuilder sb = new StringBuilder();
    sb.append(".TH ")
        .append(name.toUpperCase(Locale.ROOT))
        .append(" 1 \"\" \"rdpdoctor ")
        .append(escape(version))
        .append("\" \"rdpdoctor manual\"\n");
    String[] description = spec.usageMessage().description();
    String summary = description.length > 0 ? firstSentence(help.description()) : "";
    sb.append(".SH NAME\n")
        .append(escape(name))
        .append(" \\- ")
        .append(escape(summary))
        .append('\n');
    section(sb, "SYNOPSIS", help.synopsis(0));
    section(sb, "DESCRIPTION", help.description());
    section(sb, "ARGUMENTS", help.parameterList());
    section(sb, "OPTIONS", help.optionList());
    section(sb, "COMMANDS", help.commandList());
    section(sb, "NOTES", help.footer());
    sb.append(".SH SEE ALSO\n");
    List<String> others = new ArrayList<>();
    for (CommandLine o : all) {
      if (o != c) {
        others.add("\\fB" + escape(o.getCommandSpec().qualifiedName("-")) + "\\fR(1)");
      }
    }
    sb.append(String.join(", ", others)).append('\n');
    return sb.toString();
  }

  private static void section(StringBuilder sb, String title, String text) {
    if (text == null || text.isBlank()) {
      return;
    }
    sb.append(".SH ").append(title).append("\n.nf\n");
    for (String line : text.stripTrailing().split("\n", -1)) {
      sb.append(escape(line)).append('\n');
    }
    sb.append(".fi\n");
  }

  private static String firstSentence(String text) {
    String t = text.strip().replaceAll("\\s+", " ");
    int dot = t.indexOf(". ");
    return dot > 0 ? t.substring(0, dot + 1) : t;
  }

  /** roff: a backslash is written \e, a hyphen \-, and a line may not start with . or '. */
  static String escape(String s) {
    String e = s.replace("\\", "\\e").replace("-", "\\-");
    return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
  }
}

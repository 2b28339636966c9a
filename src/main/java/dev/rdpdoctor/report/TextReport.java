package dev.rdpdoctor.report;

import static dev.rdpdoctor.evidence.TerminalText.safe;

import dev.rdpdoctor.diagnosis.EvidenceRef;
import dev.rdpdoctor.diagnosis.Finding;
import dev.rdpdoctor.diagnosis.Severity;
import dev.rdpdoctor.evidence.CertificateInfo;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.EvidenceSection;
import dev.rdpdoctor.evidence.Facts;
import dev.rdpdoctor.evidence.NegotiationAttempt;
import dev.rdpdoctor.evidence.SectionFacts;
import dev.rdpdoctor.evidence.TcpEvidence;
import dev.rdpdoctor.evidence.TlsVersionResult;
import dev.rdpdoctor.kb.Fix;
import dev.rdpdoctor.kb.FixStep;
import java.util.Locale;

/**
 * The human report: verdict first, then findings with evidence and fixes, then the facts. Colour is
 * passed in (the CLI decides: terminal and no NO_COLOR), never guessed here.
 */
public final class TextReport {
  private final boolean colour;

  public TextReport(boolean colour) {
    this.colour = colour;
  }

  public String render(Report r) {
    StringBuilder sb = new StringBuilder();
    Evidence e = r.evidence();
    Finding top = r.diagnosis().findings().get(0);
    String verdict = r.diagnosis().verdict().name();
    sb.append(paint(verdict, verdictColour(top.severity()), true))
        .append("  ")
        .append(safe(e.target().display()))
        .append(" — ")
        .append(safe(top.title()))
        .append('\n');
    sb.append("   ").append(safe(top.summary())).append("\n\n");

    sb.append(bold("Findings")).append(" (most likely first)\n");
    int n = 1;
    for (Finding f : r.diagnosis().findings()) {
      sb.append(
          String.format(
              " %d. %s %s  [%s confidence]%n",
              n++,
              paint(label(f.severity()), verdictColour(f.severity()), false),
              bold(f.cause()),
              f.confidence().name().toLowerCase(Locale.ROOT)));
      sb.append("    ").append(safe(f.summary())).append('\n');
      if (f.symptom() != null
          && !f.symptom().isEmpty()
          && f.severity() != Severity.OK
          && f.severity() != Severity.INFO) {
        sb.append("    What the client shows: ").append(safe(f.symptom())).append('\n');
      }
      if (!f.evidence().isEmpty()) {
        sb.append("    Evidence:\n");
        for (EvidenceRef ref : f.evidence()) {
          sb.append("      - ")
              .append(safe(ref.probe()))
              .append(": ")
              .append(safe(ref.fact()))
              .append('\n');
        }
      }
      if (f.severity() != Severity.OK) {
        for (Fix fix : f.fixes()) {
          sb.append("    Fix (")
              .append(fix.where())
              .append("): ")
              .append(safe(fix.title()))
              .append('\n');
          for (FixStep s : fix.steps()) {
            sb.append("      ")
                .append(String.format("%-11s", s.kind()))
                .append(safe(s.text()))
                .append('\n');
          }
          if (fix.risk() != null && !fix.risk().equals("none")) {
            sb.append("      Risk:      ").append(safe(fix.risk())).append('\n');
          }
          for (FixStep s : fix.undo()) {
            sb.append("      Undo:      ").append(safe(s.text())).append('\n');
          }
        }
      }
      sb.append('\n');
    }

    sb.append(bold("Facts")).append('\n');
    if (e.dns() != null) {
      fact(sb, "dns", Facts.dns(e.dns()));
    }
    for (TcpEvidence t : e.tcp()) {
      fact(sb, "tcp", Facts.tcp(t));
    }
    if (e.liveness() != null) {
      for (TcpEvidence t : e.liveness().otherPorts()) {
        fact(sb, "liveness", Facts.tcp(t));
      }
      if (e.liveness().icmpEcho() != null) {
        fact(
            sb,
            "liveness",
            "ping "
                + e.liveness().address()
                + ": "
                + (e.liveness().icmpEcho() ? "answered" : "no reply"));
      }
    }
    if (e.negotiation() != null) {
      for (NegotiationAttempt a : e.negotiation().attempts()) {
        fact(sb, "x224", Facts.negotiation(a));
      }
    }
    if (e.tls() != null) {
      fact(sb, "tls", Facts.tls(e.tls()));
      for (TlsVersionResult v : e.tls().versions()) {
        fact(sb, "tls", Facts.tlsVersion(v));
      }
      int i = 0;
      for (CertificateInfo c : e.tls().chain()) {
        fact(sb, i++ == 0 ? "cert" : "cert+" + (i - 1), Facts.certificate(c));
        if (i == 1) {
          fact(
              sb,
              "cert",
              "SHA-256 "
                  + c.sha256()
                  + (c.nameMatches() == null
                      ? ""
                      : c.nameMatches()
                          ? "; covers " + e.target().host()
                          : "; does NOT cover " + e.target().host())
                  + (c.selfSigned() ? "; self-signed" : ""));
        }
      }
    }
    for (EvidenceSection section : e.sections()) {
      for (SectionFacts.Line line : SectionFacts.of(section)) {
        fact(sb, line.label(), line.text());
      }
    }
    for (String s : r.diagnosis().notChecked()) {
      fact(sb, "skipped", s);
    }
    sb.append(
        String.format(
            "%nChecked in %d ms with client profile '%s' (%s).%n",
            e.millis(),
            safe(e.target().profile().name()),
            safe(e.target().profile().description())));
    return sb.toString();
  }

  private static void fact(StringBuilder sb, String probe, String text) {
    sb.append(String.format("  %-9s %s%n", probe, safe(text)));
  }

  private static String label(Severity s) {
    return switch (s) {
      case FAIL -> "[FAIL]";
      case WARN -> "[WARN]";
      case INFO -> "[info]";
      case OK -> "[ OK ]";
    };
  }

  private static String verdictColour(Severity s) {
    return switch (s) {
      case FAIL -> "31";
      case WARN -> "33";
      case INFO -> "36";
      case OK -> "32";
    };
  }

  private String paint(String text, String ansi, boolean bold) {
    return colour ? "\u001b[" + (bold ? "1;" : "") + ansi + "m" + text + "\u001b[0m" : text;
  }

  private String bold(String text) {
    return colour ? "\u001b[1m" + text + "\u001b[0m" : text;
  }
}

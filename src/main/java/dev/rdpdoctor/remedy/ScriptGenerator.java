package dev.rdpdoctor.remedy;

import static dev.rdpdoctor.remedy.PowerShell.comment;
import static dev.rdpdoctor.remedy.PowerShell.drive;
import static dev.rdpdoctor.remedy.PowerShell.fileSafe;
import static dev.rdpdoctor.remedy.PowerShell.longForm;
import static dev.rdpdoctor.remedy.PowerShell.quote;

import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.kb.Fix;
import dev.rdpdoctor.kb.FixAction;
import dev.rdpdoctor.kb.FixStep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the remediation scripts for the selected fixes: PowerShell for the client and for the
 * server, each with its undo script, .reg files for the registry changes, and a text file for what
 * only a person can do (routers, gateways, accounts). Every step is commented with why, checks
 * before it changes anything (so a second run changes nothing), and steps that lower security only
 * run when asked to. rdpdoctor never runs them: the admin reviews and runs them.
 */
public final class ScriptGenerator {
  static final String BACKUP_SUFFIX = ".rdpdoctor-bak";

  private ScriptGenerator() {}

  /** A generated file: name, bytes (with the BOM its reader wants) and the text. */
  public record GeneratedFile(String name, byte[] content, String text) {}

  public static List<GeneratedFile> generate(Target target, List<SelectedFix> fixes) {
    List<GeneratedFile> out = new ArrayList<>();
    for (String side : List.of("client", "server")) {
      List<SelectedFix> mine =
          fixes.stream()
              .filter(f -> f.fix().where().equals(side))
              .filter(f -> !f.fix().actions().isEmpty())
              .toList();
      if (mine.isEmpty()) {
        continue;
      }
      out.add(file(side + "-fix.ps1", new Script(target, side, false, mine).render(), false));
      out.add(file(side + "-undo.ps1", new Script(target, side, true, mine).render(), false));
      List<FixAction> regs =
          mine.stream()
              .flatMap(f -> f.fix().actions().stream())
              .filter(a -> a.type().equals("registry"))
              .toList();
      if (!regs.isEmpty()) {
        out.add(file(side + "-fix.reg", regFile(regs, false), true));
        out.add(file(side + "-undo.reg", regFile(regs, true), true));
      }
    }
    out.add(file("manual-steps.txt", manual(target, fixes), false));
    return out;
  }

  /**
   * PowerShell and text as UTF-8 with BOM (Windows PowerShell 5.1 reads a BOM-less script as ANSI);
   * .reg files as UTF-16LE with BOM, the format "Version 5.00" means.
   */
  private static GeneratedFile file(String name, String text, boolean utf16) {
    byte[] bom =
        utf16
            ? new byte[] {(byte) 0xFF, (byte) 0xFE}
            : new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] body = text.getBytes(utf16 ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, all, 0, bom.length);
    System.arraycopy(body, 0, all, bom.length, body.length);
    return new GeneratedFile(name, all, text);
  }

  // ------------------------------------------------------------------ PowerShell

  /** One script: the fixes of one side, forwards (fix) or backwards (undo). */
  private record Script(Target target, String side, boolean undo, List<SelectedFix> fixes) {
    String render() {
      StringBuilder sb = new StringBuilder();
      boolean admin =
          side.equals("server")
              || fixes.stream()
                  .flatMap(f -> f.fix().actions().stream())
                  .anyMatch(
                      a ->
                          a.path() != null && a.path().startsWith("HKLM")
                              || a.type().equals("service-restart")
                              || a.type().equals("firewall-group"));
      line(
          sb,
          "# rdpdoctor "
              + (undo ? "UNDO" : "remediation")
              + " script, "
              + side
              + " side, for "
              + target.display());
      line(
          sb,
          "# Generated from a diagnosis; review every step before running it. rdpdoctor"
              + " never changes a machine itself.");
      line(
          sb,
          "# "
              + (undo
                  ? "Reverts what " + side + "-fix.ps1 changed, newest change first."
                  : "Undo: run " + side + "-undo.ps1 from the same folder."));
      line(
          sb,
          "# Each step checks first, so running the script twice changes nothing the"
              + " second time.");
      if (!undo) {
        line(sb, "# Steps that lower security run only with -IncludeSecurityLowering.");
      }
      if (admin) {
        line(sb, "#Requires -RunAsAdministrator");
      }
      line(sb, "[CmdletBinding()]");
      line(sb, undo ? "param()" : "param([switch]$IncludeSecurityLowering)");
      line(sb, "Set-StrictMode -Version Latest");
      line(sb, "$ErrorActionPreference = 'Stop'");
      line(sb, "$TargetHost = " + quote(target.host()));
      line(sb, "$TargetPort = " + target.port());
      line(sb, "# Backups and notes for the undo script live next to the scripts.");
      line(sb, "$StateDir = Join-Path -Path $PSScriptRoot -ChildPath 'rdpdoctor-state'");
      line(sb, "New-Item -ItemType Directory -Path $StateDir -Force | Out-Null");
      line(sb, "");
      helpers(sb);
      List<SelectedFix> order = new ArrayList<>(fixes);
      if (undo) {
        java.util.Collections.reverse(order);
      }
      for (SelectedFix s : order) {
        Fix f = s.fix();
        line(sb, "");
        line(sb, "# ---- " + comment(f.id() + ": " + f.title()));
        line(sb, "# Found: " + comment(String.join(", ", s.causes())));
        line(sb, "# Risk: " + comment(f.risk()));
        List<FixAction> actions = new ArrayList<>(f.actions());
        if (undo) {
          java.util.Collections.reverse(actions);
        }
        for (FixAction a : actions) {
          step(sb, f, a);
        }
      }
      line(sb, "");
      line(sb, "Write-Host 'rdpdoctor: done. Also see manual-steps.txt.'");
      return sb.toString();
    }

    private void step(StringBuilder sb, Fix f, FixAction a) {
      line(sb, "# Why: " + comment(a.why()));
      boolean guard = !undo && a.lowersSecurity();
      String in = "";
      if (guard) {
        line(sb, "# This step lowers security: it is TEMPORARY; the undo script restores it.");
        line(sb, "if ($IncludeSecurityLowering) {");
        in = "  ";
      }
      StringBuilder body = new StringBuilder();
      if (undo) {
        undoBody(body, a);
      } else {
        fixBody(body, a);
      }
      for (String l : body.toString().split("\r\n", -1)) {
        if (!l.isEmpty()) {
          line(sb, in + l);
        }
      }
      if (guard) {
        line(sb, "} else {");
        line(
            sb,
            "  Write-Warning "
                + quote(
                    "skipped (lowers security): "
                        + f.id()
                        + "; run with -IncludeSecurityLowering to apply it"));
        line(sb, "}");
      }
    }

    private static void fixBody(StringBuilder b, FixAction a) {
      switch (a.type()) {
        case "registry" -> setRegistry(b, a, value(a));
        case "registry-key-remove" ->
            line(
                b,
                "Remove-RdpdRegistryKey -Path "
                    + quote(a.path())
                    + " -Backup (Join-Path -Path $StateDir -ChildPath "
                    + quote(fileSafe(a.path()) + ".reg")
                    + ")");
        case "file-rename" ->
            line(b, "Rename-RdpdFile -Path " + filePath(a) + " -Suffix " + quote(BACKUP_SUFFIX));
        case "firewall-group" ->
            line(
                b,
                "Enable-RdpdFirewallGroup -Group "
                    + quote(a.group())
                    + " -State (Join-Path -Path $StateDir -ChildPath "
                    + quote("firewall-" + fileSafe(a.group()) + ".txt")
                    + ")");
        case "service-restart" -> {
          line(b, "# Restarting ends the sessions on this machine; run it from the console.");
          line(b, "Restart-Service -Name " + quote(a.service()) + " -Force");
          line(b, "Write-Host " + quote("restarted: " + a.service()));
        }
        case "cmdkey-delete" -> line(b, "Remove-RdpdSavedCredential -Target " + quote(a.target()));
        case "command" -> line(b, a.command());
        default -> line(b, "Write-Warning " + quote("unknown step type " + a.type()));
      }
    }

    private static void setRegistry(StringBuilder b, FixAction a, String valueLiteral) {
      line(
          b,
          "Set-RdpdRegistryValue -Path "
              + quote(drive(a.path()))
              + " -Name "
              + quote(a.name())
              + " -Type "
              + quote(psType(a.valueType()))
              + " -Value "
              + valueLiteral);
    }

    private static void undoBody(StringBuilder b, FixAction a) {
      switch (a.type()) {
        case "registry" -> {
          if (a.undoData() != null) {
            setRegistry(b, a, a.valueType().equals("DWORD") ? a.undoData() : quote(a.undoData()));
          } else {
            line(
                b,
                "Remove-RdpdRegistryValue -Path "
                    + quote(drive(a.path()))
                    + " -Name "
                    + quote(a.name()));
          }
        }
        case "registry-key-remove" ->
            line(
                b,
                "Restore-RdpdRegistryKey -Backup (Join-Path"
                    + " -Path $StateDir -ChildPath "
                    + quote(fileSafe(a.path()) + ".reg")
                    + ")");
        case "file-rename" ->
            line(b, "Restore-RdpdFile -Path " + filePath(a) + " -Suffix " + quote(BACKUP_SUFFIX));
        case "firewall-group" ->
            line(
                b,
                "Disable-RdpdFirewallGroup -State (Join-Path -Path"
                    + " $StateDir -ChildPath "
                    + quote("firewall-" + fileSafe(a.group()) + ".txt")
                    + ")");
        case "service-restart" -> line(b, "# nothing to undo: a restart changes no setting");
        case "cmdkey-delete" ->
            line(
                b,
                "Write-Host "
                    + quote(
                        "The saved credential "
                            + a.target()
                            + " cannot be restored (rdpdoctor never keeps secrets): tick"
                            + " 'Remember me' at the next logon to save it again."));
        case "command" ->
            line(
                b,
                a.undoCommand() == null
                    ? "# nothing to undo: this step only reads or refreshes state"
                    : a.undoCommand());
        default -> line(b, "Write-Warning " + quote("unknown step type " + a.type()));
      }
    }

    private static String value(FixAction a) {
      return a.valueType().equals("DWORD") ? a.data() : quote(a.data());
    }

    private static String psType(String t) {
      return t.equals("DWORD") ? "DWord" : "String";
    }

    private static String filePath(FixAction a) {
      String rest = a.path().substring("{documents}\\".length());
      return "(Join-Path -Path ([Environment]::GetFolderPath('MyDocuments')) -ChildPath "
          + quote(rest)
          + ")";
    }
  }

  /** The small functions every step uses; each checks before it changes anything. */
  private static void helpers(StringBuilder sb) {
    for (String l : HELPERS) {
      line(sb, l);
    }
  }

  private static final List<String> HELPERS =
      List.of(
          "function Set-RdpdRegistryValue {",
          "  param([string]$Path, [string]$Name, [string]$Type, $Value)",
          "  if (-not (Test-Path -LiteralPath $Path)) { New-Item -Path $Path -Force | Out-Null }",
          "  $current = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue",
          "  if ($null -ne $current -and \"$($current.$Name)\" -eq \"$Value\") {",
          "    Write-Host \"ok: $Path\\$Name is already $Value\"",
          "    return",
          "  }",
          "  Set-ItemProperty -LiteralPath $Path -Name $Name -Type $Type -Value $Value",
          "  Write-Host \"set: $Path\\$Name = $Value\"",
          "}",
          "function Remove-RdpdRegistryValue {",
          "  param([string]$Path, [string]$Name)",
          "  $current = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue",
          "  if ($null -eq $current) { Write-Host \"ok: $Path\\$Name is not set\"; return }",
          "  Remove-ItemProperty -LiteralPath $Path -Name $Name",
          "  Write-Host \"removed: $Path\\$Name\"",
          "}",
          "function Remove-RdpdRegistryKey {",
          "  param([string]$Path, [string]$Backup)",
          "  $drive = $Path -replace '^(HKLM|HKCU)\\\\', '$1:\\'",
          "  if (-not (Test-Path -LiteralPath $drive)) { Write-Host \"ok: $Path is not there\"; return }",
          "  if (-not (Test-Path -LiteralPath $Backup)) { & reg.exe export $Path $Backup /y | Out-Null }",
          "  Remove-Item -LiteralPath $drive -Recurse",
          "  Write-Host \"removed: $Path (backup: $Backup)\"",
          "}",
          "function Restore-RdpdRegistryKey {",
          "  param([string]$Backup)",
          "  if (-not (Test-Path -LiteralPath $Backup)) { Write-Host \"ok: no backup $Backup\"; return }",
          "  & reg.exe import $Backup | Out-Null",
          "  Write-Host \"restored from $Backup\"",
          "}",
          "function Rename-RdpdFile {",
          "  param([string]$Path, [string]$Suffix)",
          "  if (-not (Test-Path -LiteralPath $Path)) { Write-Host \"ok: $Path is not there\"; return }",
          "  if (Test-Path -LiteralPath ($Path + $Suffix)) {",
          "    Write-Warning \"left alone: $Path$Suffix already exists\"",
          "    return",
          "  }",
          "  Rename-Item -LiteralPath $Path -NewName ((Split-Path -Leaf $Path) + $Suffix) -Force",
          "  Write-Host \"renamed: $Path -> $Path$Suffix\"",
          "}",
          "function Restore-RdpdFile {",
          "  param([string]$Path, [string]$Suffix)",
          "  if (-not (Test-Path -LiteralPath ($Path + $Suffix))) { Write-Host 'ok: no backup'; return }",
          "  if (Test-Path -LiteralPath $Path) { Write-Warning \"left alone: $Path exists\"; return }",
          "  Rename-Item -LiteralPath ($Path + $Suffix) -NewName (Split-Path -Leaf $Path) -Force",
          "  Write-Host \"restored: $Path\"",
          "}",
          "function Enable-RdpdFirewallGroup {",
          "  param([string]$Group, [string]$State)",
          "  $off = @(Get-NetFirewallRule -DisplayGroup $Group -Direction Inbound -ErrorAction"
              + " SilentlyContinue | Where-Object { $_.Enabled -eq 'False' })",
          "  if ($off.Count -eq 0) { Write-Host \"ok: the '$Group' rules are on\"; return }",
          "  # remember exactly which rules this script turned on, so undo turns off only those",
          "  $off | ForEach-Object { $_.Name } | Add-Content -LiteralPath $State",
          "  $off | Enable-NetFirewallRule",
          "  Write-Host \"enabled: $($off.Count) '$Group' rule(s)\"",
          "}",
          "function Disable-RdpdFirewallGroup {",
          "  param([string]$State)",
          "  if (-not (Test-Path -LiteralPath $State)) { Write-Host 'ok: no rule was enabled'; return }",
          "  $names = @(Get-Content -LiteralPath $State | Where-Object { $_ })",
          "  if ($names.Count -gt 0) { Disable-NetFirewallRule -Name $names }",
          "  Remove-Item -LiteralPath $State",
          "  Write-Host \"disabled: $($names.Count) rule(s)\"",
          "}",
          "function Remove-RdpdSavedCredential {",
          "  param([string]$Target)",
          "  # cmdkey says nothing useful when the entry is absent; deleting twice is harmless",
          "  & cmdkey.exe \"/delete:$Target\" 2>&1 | Out-Null",
          "  if ($LASTEXITCODE -eq 0) { Write-Host \"removed saved credential: $Target\" }",
          "  else { Write-Host \"ok: no saved credential $Target\" }",
          "}");

  // ------------------------------------------------------------------ .reg

  private static String regFile(List<FixAction> regs, boolean undo) {
    StringBuilder sb = new StringBuilder("Windows Registry Editor Version 5.00\r\n\r\n");
    sb.append("; rdpdoctor ")
        .append(undo ? "undo" : "fix")
        .append(": the registry part of the PowerShell script, for regedit or reg import\r\n");
    for (FixAction a : regs) {
      if (!undo && a.lowersSecurity()) {
        sb.append("; left out (lowers security, use the script with -IncludeSecurityLowering): ")
            .append(a.name())
            .append("\r\n");
        continue;
      }
      sb.append("\r\n; ").append(comment(a.why())).append("\r\n");
      sb.append('[').append(longForm(a.path())).append("]\r\n");
      String data = undo ? a.undoData() : a.data();
      sb.append('"').append(regEscape(a.name())).append("\"=");
      if (data == null) {
        sb.append('-');
      } else if (a.valueType().equals("DWORD")) {
        sb.append(String.format("dword:%08x", Long.parseLong(data)));
      } else {
        sb.append('"').append(regEscape(data)).append('"');
      }
      sb.append("\r\n");
    }
    return sb.toString();
  }

  private static String regEscape(String s) {
    return comment(s).replace("\\", "\\\\").replace("\"", "\\\"");
  }

  // ------------------------------------------------------------------ manual steps

  private static String manual(Target target, List<SelectedFix> fixes) {
    StringBuilder sb = new StringBuilder();
    sb.append("rdpdoctor: steps for ")
        .append(target.display())
        .append(" that need a person (or that the scripts only partly cover)\r\n");
    if (fixes.isEmpty()) {
      sb.append("\r\nNothing to fix: the diagnosis found no problem.\r\n");
    }
    for (SelectedFix s : fixes) {
      Fix f = s.fix();
      sb.append("\r\n== ")
          .append(f.title())
          .append(" (")
          .append(f.where())
          .append(", ")
          .append(f.id())
          .append(")\r\n");
      sb.append("   found: ").append(String.join(", ", s.causes())).append("\r\n");
      if (!f.actions().isEmpty()) {
        sb.append("   scripted in ").append(f.where()).append("-fix.ps1; the steps by hand:\r\n");
      }
      for (FixStep st : f.steps()) {
        sb.append("   - [").append(st.kind()).append("] ").append(st.text()).append("\r\n");
      }
      sb.append("   risk: ").append(f.risk()).append("\r\n");
      for (FixStep st : f.undo()) {
        sb.append("   undo: [").append(st.kind()).append("] ").append(st.text()).append("\r\n");
      }
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String l) {
    sb.append(l).append("\r\n");
  }
}

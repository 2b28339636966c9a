package dev.rdpdoctor.remedy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rdpdoctor.diagnosis.FindingFactory;
import dev.rdpdoctor.evidence.ClientProfile;
import dev.rdpdoctor.evidence.Target;
import dev.rdpdoctor.kb.Fix;
import dev.rdpdoctor.kb.KnowledgeBase;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScriptGeneratorTest {
  static final Target TARGET = new Target("srv.lab.test", 3390, false, ClientProfile.WINDOWS);
  final KnowledgeBase kb = KnowledgeBase.get();

  /** Every fix in the catalogue that has a scriptable form, as if the diagnosis chose it. */
  List<SelectedFix> everyScriptableFix(Target t) {
    return kb.fixes().values().stream()
        .filter(f -> !f.actions().isEmpty())
        .sorted(java.util.Comparator.comparing(Fix::id))
        .map(f -> new SelectedFix(FindingFactory.forTarget(f, t), kb.causesFor(f.id())))
        .toList();
  }

  Map<String, ScriptGenerator.GeneratedFile> generate(Target t, List<SelectedFix> fixes) {
    return ScriptGenerator.generate(t, fixes).stream()
        .collect(Collectors.toMap(ScriptGenerator.GeneratedFile::name, Function.identity()));
  }

  @Test
  void theCheckerCatchesBrokenPowerShell() {
    assertThat(PowerShellSyntax.check("if ($a) { Write-Host 'x' }")).isEmpty();
    assertThat(PowerShellSyntax.check("Write-Host \"a $($b.c) d\" # ) }")).isEmpty();
    assertThat(PowerShellSyntax.check("$x = @'\r\n{ ( ' \"\r\n'@\r\nWrite-Host $x")).isEmpty();
    assertThat(PowerShellSyntax.check("Write-Host 'it''s'")).isEmpty();
    // malformed twins
    assertThat(PowerShellSyntax.check("if ($a) { Write-Host 'x'"))
        .containsExactly("1: '{' never closed");
    assertThat(PowerShellSyntax.check("Write-Host 'it's'")).isNotEmpty();
    assertThat(PowerShellSyntax.check("Write-Host \"a $($b.c d\"")).isNotEmpty();
    assertThat(PowerShellSyntax.check("$x = @'\r\nno end")).isNotEmpty();
    assertThat(PowerShellSyntax.check("foo(]")).isNotEmpty();
    assertThat(PowerShellSyntax.check("<# open")).isNotEmpty();
  }

  @Test
  void everyGeneratedScriptIsWellFormedAndEveryStepSaysWhy() {
    List<SelectedFix> all = everyScriptableFix(TARGET);
    Map<String, ScriptGenerator.GeneratedFile> files = generate(TARGET, all);
    assertThat(files)
        .containsKeys(
            "client-fix.ps1",
            "client-undo.ps1",
            "server-fix.ps1",
            "server-undo.ps1",
            "client-fix.reg",
            "client-undo.reg",
            "server-fix.reg",
            "server-undo.reg",
            "manual-steps.txt");
    for (String side : List.of("client", "server")) {
      long actions =
          all.stream()
              .filter(s -> s.fix().where().equals(side))
              .mapToLong(s -> s.fix().actions().size())
              .sum();
      for (String kind : List.of("-fix.ps1", "-undo.ps1")) {
        String text = files.get(side + kind).text();
        assertThat(PowerShellSyntax.check(text)).as(side + kind).isEmpty();
        assertThat(text.split("\r\n# Why: ", -1)).as(side + kind).hasSize((int) actions + 1);
        assertThat(text)
            .contains("$TargetHost = 'srv.lab.test'")
            .contains("$TargetPort = 3390")
            .contains("Set-StrictMode -Version Latest");
        assertThat(files.get(side + kind).content()).startsWith(0xEF, 0xBB, 0xBF);
      }
    }
    assertThat(files.get("server-fix.ps1").text()).contains("#Requires -RunAsAdministrator");
  }

  @Test
  void securityLoweringStepsRunOnlyWhenAskedAndTheUndoRestoresThem() {
    List<SelectedFix> nla =
        List.of(
            new SelectedFix(
                FindingFactory.forTarget(kb.fix("server-relax-nla").orElseThrow(), TARGET),
                List.of("nla-required")));
    Map<String, ScriptGenerator.GeneratedFile> files = generate(TARGET, nla);
    String fix = files.get("server-fix.ps1").text();
    assertThat(fix)
        .contains("param([switch]$IncludeSecurityLowering)")
        .contains(
            "if ($IncludeSecurityLowering) {\r\n  Set-RdpdRegistryValue -Path"
                + " 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations"
                + "\\RDP-Tcp' -Name 'UserAuthentication' -Type 'DWord' -Value 0\r\n} else {");
    assertThat(files.get("server-undo.ps1").text())
        .contains("-Name 'UserAuthentication'" + " -Type 'DWord' -Value 1");
    String reg = files.get("server-fix.reg").text();
    assertThat(reg)
        .startsWith("Windows Registry Editor Version 5.00\r\n")
        .contains("; left out (lowers security")
        .doesNotContain("\"UserAuthentication\"=");
    assertThat(files.get("server-undo.reg").text())
        .contains(
            "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations"
                + "\\RDP-Tcp]\r\n\"UserAuthentication\"=dword:00000001");
    assertThat(files.get("server-fix.reg").content()).startsWith(0xFF, 0xFE);
    assertThat(files).doesNotContainKeys("client-fix.ps1");
  }

  @Test
  void regFilesWriteDwordsAndRemovals() {
    List<SelectedFix> udp =
        List.of(
            new SelectedFix(
                FindingFactory.forTarget(kb.fix("client-disable-udp").orElseThrow(), TARGET),
                List.of("udp-blocked")));
    Map<String, ScriptGenerator.GeneratedFile> files = generate(TARGET, udp);
    assertThat(files.get("client-fix.reg").text())
        .contains(
            "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services"
                + "\\Client]\r\n\"fClientDisableUDP\"=dword:00000001");
    assertThat(files.get("client-undo.reg").text()).contains("\"fClientDisableUDP\"=-");
    assertThat(files.get("client-undo.ps1").text()).contains("Remove-RdpdRegistryValue");
  }

  @Test
  void aHostileHostNameStaysInsideItsString() {
    Target evil =
        new Target("x'; Remove-Item C:\\ -Recurse; '\r\n#", 3389, false, ClientProfile.WINDOWS);
    Map<String, ScriptGenerator.GeneratedFile> files = generate(evil, everyScriptableFix(evil));
    for (var f : files.values()) {
      if (f.name().endsWith(".ps1")) {
        assertThat(PowerShellSyntax.check(f.text())).as(f.name()).isEmpty();
        assertThat(f.text())
            .doesNotContain("\r\nRemove-Item C:")
            .contains("$TargetHost = 'x''; Remove-Item C:\\ -Recurse; ''  #'");
      }
    }
  }

  @Test
  void nothingSelectedGivesOnlyTheManualNote() {
    Map<String, ScriptGenerator.GeneratedFile> files = generate(TARGET, List.of());
    assertThat(files).containsOnlyKeys("manual-steps.txt");
    assertThat(files.get("manual-steps.txt").text()).contains("Nothing to fix");
  }
}

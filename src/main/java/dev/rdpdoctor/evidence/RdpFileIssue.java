package dev.rdpdoctor.evidence;

/**
 * One thing wrong with an .rdp file, found without touching the network.
 *
 * @param rule stable id (credssp-disabled, port-conflict, unknown-setting ...)
 * @param severity error (the connection cannot work as written), warning, or info
 * @param line 1-based line of the setting concerned; 0 when the problem is an absence
 * @param setting the setting's name, lower case
 * @param fix the corrected line or the removal, in words; null when only a person can decide
 */
public record RdpFileIssue(
    String rule, String severity, int line, String setting, String message, String fix) {}

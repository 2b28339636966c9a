package dev.rdpdoctor.kb;

/**
 * One step of a fix.
 *
 * @param kind gui, command, powershell, registry or note
 * @param text what to click or type; {host} and {port} are filled in for the target
 */
public record FixStep(String kind, String text) {}

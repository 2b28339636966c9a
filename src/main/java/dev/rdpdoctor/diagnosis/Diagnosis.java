package dev.rdpdoctor.diagnosis;

import java.util.List;

/**
 * The ranked result: findings most likely first; {@code findings.get(0)} is the best answer to "why
 * does my connection fail", or {@code healthy}.
 *
 * @param checked what the probes covered, in words
 * @param notChecked what could not be looked at, and why
 */
public record Diagnosis(
    Verdict verdict, List<Finding> findings, List<String> checked, List<String> notChecked) {}

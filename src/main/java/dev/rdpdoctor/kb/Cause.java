package dev.rdpdoctor.kb;

import java.util.List;

/**
 * A cause from the catalogue (DESIGN.md §4): its stable id, plain-words title, what the user
 * typically sees, and the fixes that apply.
 */
public record Cause(String id, String group, String title, String symptom, List<String> fixes) {}

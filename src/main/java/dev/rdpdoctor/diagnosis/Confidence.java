package dev.rdpdoctor.diagnosis;

/** How sure the rule is that the evidence means this cause; declaration order ranks. */
public enum Confidence {
  HIGH,
  MEDIUM,
  LOW
}

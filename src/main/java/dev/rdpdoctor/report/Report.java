package dev.rdpdoctor.report;

import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.evidence.Evidence;

/** What every renderer gets: the evidence and the diagnosis over it. Renderers compute nothing. */
public record Report(String toolVersion, Evidence evidence, Diagnosis diagnosis) {}

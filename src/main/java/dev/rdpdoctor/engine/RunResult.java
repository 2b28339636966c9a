package dev.rdpdoctor.engine;

import dev.rdpdoctor.diagnosis.Diagnosis;
import dev.rdpdoctor.evidence.Evidence;

/** What a run found and what it concludes. */
public record RunResult(Evidence evidence, Diagnosis diagnosis) {}

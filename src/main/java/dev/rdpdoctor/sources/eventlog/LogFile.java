package dev.rdpdoctor.sources.eventlog;

import dev.rdpdoctor.evidence.LogEvent;
import java.util.List;

/**
 * What one input file held.
 *
 * @param format null when the file could not be read at all
 * @param records every record or event in the file, relevant or not
 * @param events the RDP-relevant ones, normalised
 * @param errors what was skipped or read with a caveat (capped; {@code droppedErrors} more)
 */
public record LogFile(
    String path,
    LogFormat format,
    long records,
    List<LogError> errors,
    int droppedErrors,
    List<LogEvent> events) {}

package dev.rdpdoctor.serve;

import dev.rdpdoctor.report.JsonReport;
import tools.jackson.databind.ObjectMapper;

/** The page's JSON: the report's mapper (snake_case, lower-case enums), on one line. */
final class Json {
  private static final ObjectMapper ONE_LINE =
      JsonReport.MAPPER
          .rebuild()
          .disable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .build();

  private Json() {}

  static String write(Object o) {
    return ONE_LINE.writeValueAsString(o);
  }

  static ObjectMapper mapper() {
    return ONE_LINE;
  }
}

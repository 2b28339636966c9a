package dev.rdpdoctor.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.rdpdoctor.diagnosis.Finding;
import dev.rdpdoctor.evidence.Evidence;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The --json document (DESIGN.md §5, a contract): target, verdict, findings most likely first, and
 * every probe's raw facts with timings. Property names are snake_case so they line up with other
 * RDP scanners' output (selected_protocol, failure_code ...).
 */
public final class JsonReport {
  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(tools.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
          .build();

  private JsonReport() {}

  public static String render(Report r) {
    return MAPPER.writeValueAsString(document(r));
  }

  public static Map<String, Object> document(Report r) {
    Evidence e = r.evidence();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("tool", Map.of("name", "rdpdoctor", "version", r.toolVersion()));
    Map<String, Object> target = new LinkedHashMap<>();
    target.put("host", e.target().host());
    target.put("port", e.target().port());
    target.put("literal", e.target().literal());
    target.put("client_profile", e.target().profile().name());
    doc.put("target", target);
    doc.put("verdict", r.diagnosis().verdict());
    doc.put("exit_code", r.diagnosis().verdict().exitCode());
    List<Finding> findings = r.diagnosis().findings();
    doc.put("findings", findings);
    doc.put("checked", r.diagnosis().checked());
    doc.put("not_checked", r.diagnosis().notChecked());
    Map<String, Object> probes = new LinkedHashMap<>();
    probes.put("dns", e.dns());
    probes.put("tcp", e.tcp());
    if (e.liveness() != null) {
      probes.put("liveness", e.liveness());
    }
    if (e.rdpAddress() != null) {
      probes.put("rdp_address", e.rdpAddress());
    }
    if (e.negotiation() != null) {
      probes.put("negotiation", e.negotiation());
    }
    if (e.tls() != null) {
      probes.put("tls", e.tls());
    }
    e.sections().forEach(s -> probes.put(s.key(), s));
    probes.put("timings", e.timings());
    doc.put("probes", probes);
    doc.put("started_at", e.startedAt());
    doc.put("duration_ms", e.millis());
    return doc;
  }
}

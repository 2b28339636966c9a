package dev.rdpdoctor.evidence;

/**
 * Evidence from a probe family beyond the core path (gateway, network path, CredSSP, client files
 * ...). Each family adds its own record implementing this, so new probes do not change the {@link
 * Evidence} record every other part depends on. Implementations are immutable records; the JSON
 * report puts each under {@code probes.<key>}. The interface is sealed so that {@link SectionFacts}
 * must render every kind in the text report.
 */
public sealed interface EvidenceSection
    permits EventLogEvidence,
        GatewayEvidence,
        NlaEvidence,
        PathEvidence,
        RdpFileEvidence,
        RdpSecurityEvidence,
        SessionEvidence,
        TlsCipherEvidence {
  /** The stable JSON key, snake_case ("gateway", "path", "nla" ...). */
  String key();
}

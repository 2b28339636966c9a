package dev.rdpdoctor.diagnosis;

import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.TlsEvidence;
import java.util.List;

/** The RDP server's certificate, once TLS completed with one: {@link CertificateChecks}. */
final class CertificateRules implements RuleSet {
  @Override
  public Result apply(Evidence e, FindingFactory f) {
    TlsEvidence t = e.tls();
    if (t == null || !t.ok() || t.chain().isEmpty()) {
      return Result.NOTHING;
    }
    return new Result(
        CertificateChecks.check(
            t.chain().get(0),
            CertificateChecks.Policy.rdpServer(e.target().host(), e.target().literal()),
            f),
        List.of("server certificate (validity, name, key, signature)"),
        true);
  }
}

package dev.rdpdoctor.diagnosis;

import static dev.rdpdoctor.diagnosis.FindingFactory.ref;

import dev.rdpdoctor.codes.CauseId;
import dev.rdpdoctor.evidence.DnsEvidence;
import dev.rdpdoctor.evidence.Evidence;
import dev.rdpdoctor.evidence.Facts;
import dev.rdpdoctor.evidence.TcpEvidence;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The name and the port: does the name resolve, and does anything accept TCP on the port (and, when
 * nothing does, is the machine there at all). Complete when some address accepts TCP.
 */
final class ReachabilityRules implements RuleSet {
  @Override
  public Result apply(Evidence e, FindingFactory f) {
    List<Finding> out = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    boolean complete = run(e, f, out, checked);
    return new Result(out, checked, complete);
  }

  private static boolean run(
      Evidence e, FindingFactory f, List<Finding> out, List<String> checked) {
    DnsEvidence dns = e.dns();
    String host = e.target().host();
    if (dns.status() == DnsEvidence.Status.NOT_FOUND
        || dns.status() == DnsEvidence.Status.TIMEOUT) {
      boolean denied = dns.status() == DnsEvidence.Status.NOT_FOUND;
      out.add(
          f.finding(
              CauseId.DNS_UNRESOLVABLE,
              Severity.FAIL,
              denied ? Confidence.HIGH : Confidence.MEDIUM,
              "The name "
                  + host
                  + (denied
                      ? " does not resolve: the DNS server says no such name exists."
                      : " could not be resolved: the DNS server did not answer in time."),
              List.of(ref("dns", Facts.dns(dns)))));
      return false;
    }
    checked.add(
        dns.status() == DnsEvidence.Status.RESOLVED
            ? "name resolution (" + dns.addresses().size() + " address(es))"
            : "address given directly (no name resolution needed)");
    List<TcpEvidence> tcp = e.tcp();
    checked.add("TCP port " + e.target().port() + " on " + tcp.size() + " address(es)");
    if (tcp.stream().anyMatch(TcpEvidence::open)) {
      return true;
    }
    List<EvidenceRef> refs = new ArrayList<>();
    tcp.forEach(t -> refs.add(ref("tcp", Facts.tcp(t))));
    int port = e.target().port();
    String addrs = tcp.stream().map(TcpEvidence::address).collect(Collectors.joining(", "));
    if (tcp.stream().anyMatch(t -> t.outcome() == TcpEvidence.Outcome.REFUSED)) {
      out.add(
          f.finding(
              CauseId.PORT_CLOSED,
              Severity.FAIL,
              Confidence.HIGH,
              "Nothing accepts connections on port "
                  + port
                  + " at "
                  + addrs
                  + ": the connection"
                  + " is actively refused. Remote Desktop is off, listens on another port, or a"
                  + " firewall rejects it.",
              refs));
      return false;
    }
    if (tcp.stream()
        .anyMatch(
            t ->
                t.outcome() == TcpEvidence.Outcome.HOST_UNREACHABLE
                    || t.outcome() == TcpEvidence.Outcome.NETWORK_UNREACHABLE)) {
      out.add(
          f.finding(
              CauseId.HOST_UNREACHABLE,
              Severity.FAIL,
              Confidence.HIGH,
              "The network reports "
                  + addrs
                  + " as unreachable: no route to it from here"
                  + " (VPN not connected, wrong address, or the machine is off).",
              refs));
      return false;
    }
    if (tcp.stream().allMatch(t -> t.outcome() == TcpEvidence.Outcome.TIMEOUT)) {
      var live = e.liveness();
      if (live != null) {
        live.otherPorts().stream()
            .filter(TcpEvidence::answered)
            .forEach(t -> refs.add(ref("liveness", Facts.tcp(t))));
        if (live.icmpEcho() != null) {
          refs.add(
              ref(
                  "liveness",
                  "ping " + live.address() + ": " + (live.icmpEcho() ? "answered" : "no reply")));
        }
      }
      if (live != null && live.hostAlive()) {
        out.add(
            f.finding(
                CauseId.PORT_FILTERED,
                Severity.FAIL,
                Confidence.HIGH,
                "The machine at "
                    + live.address()
                    + " is up (it answers on other ports or to"
                    + " ping), but port "
                    + port
                    + " gets no answer at all: a firewall silently"
                    + " drops Remote Desktop traffic.",
                refs));
      } else {
        out.add(
            f.finding(
                CauseId.HOST_UNREACHABLE,
                Severity.FAIL,
                Confidence.MEDIUM,
                "Nothing answers at "
                    + addrs
                    + ": not port "
                    + port
                    + ", not other common ports,"
                    + " not ping. The machine is off or unplugged, the address is wrong (stale"
                    + " DNS?), or a firewall drops everything for it.",
                refs));
      }
      return false;
    }
    out.add(
        f.finding(
            CauseId.INCONCLUSIVE,
            Severity.WARN,
            Confidence.LOW,
            "Connecting to port " + port + " failed in an unexpected way; see the evidence.",
            refs));
    return false;
  }
}

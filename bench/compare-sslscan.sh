#!/usr/bin/env bash
# Side by side on the lab's cipher-enumeration servers: sslscan --rdp, nmap's rdp scripts and
# rdpdoctor --json --tls-ciphers, from the same client namespace. Prints, per scenario, the TLS
# versions and suites (IANA code points) each tool reports and whether rdpdoctor covers every
# one sslscan reports; exits 1 if it does not. Needs root (the lab) and a built jar.
# Usage: bench/compare-sslscan.sh [scenario ...]   (default: tlsenum-modern tlsenum-legacy)
set -euo pipefail
cd "$(dirname "$0")/.."
LAB=lab/rdplab
JAVA=${JAVA:-$(ls -d /usr/lib/jvm/temurin-25*/bin/java 2>/dev/null | head -1)}
JAR=$(ls target/rdpdoctor-*-all.jar | head -1)
scenarios=("$@"); [ ${#scenarios[@]} -gt 0 ] || scenarios=(tlsenum-modern tlsenum-legacy)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
fail=0
for s in "${scenarios[@]}"; do
  "$LAB" up "$s" >/dev/null
  "$LAB" exec "$s" -- timeout 120 sslscan --rdp --no-colour --show-cipher-ids --no-heartbleed \
    --no-compression --no-renegotiation --no-fallback srv.lab.test:3389 > "$out/sslscan.txt" 2>&1 || true
  "$LAB" exec "$s" -- timeout 120 nmap -Pn -p 3389 --script rdp-enum-encryption,rdp-ntlm-info \
    srv.lab.test > "$out/nmap.txt" 2>&1 || true
  "$LAB" exec "$s" -- timeout 180 "$JAVA" -jar "$JAR" diagnose srv.lab.test --tls-ciphers --json -q \
    > "$out/rdpdoctor.json" 2>/dev/null || true
  echo "== $s"
  python3 - "$out" <<'PY' || fail=1
import json, re, sys
d = sys.argv[1]
ssl = open(d + "/sslscan.txt").read()
norm = lambda v: v.replace("TLSv1.0", "TLSv1.0")
sv = sorted(m.group(1) for m in re.finditer(r"^(TLSv1\.[0-3])\s+enabled", ssl, re.M))
ss = sorted({(m.group(1), m.group(2).upper()) for m in re.finditer(
    r"^(?:Preferred|Accepted)\s+(TLSv1\.[0-3])\s+\d+ bits\s+0x([0-9A-Fa-f]+)", ssl, re.M)})
sg = sorted({m.group(2) for m in re.finditer(r"^(TLSv1\.[0-3])\s+\d+ bits\s+(\S+)", ssl, re.M)})
doc = json.load(open(d + "/rdpdoctor.json"))
tc = doc["probes"]["tls_ciphers"]
rv = sorted(v["version"] for v in tc["versions"] if v["accepted"])
rs = sorted({(v["version"], s["id"][2:].upper().lstrip("0").rjust(4, "0"))
             for v in tc["versions"] for s in v["accepted"]})
ss = sorted({(v, i.lstrip("0").rjust(4, "0")) for v, i in ss})
rg = sorted({g["group"] for g in tc["groups"] if g["accepted"]})
nm = open(d + "/nmap.txt").read()
print("  versions  sslscan: %s" % ", ".join(sv))
print("            rdpdoctor: %s" % ", ".join(rv))
print("  suites    sslscan: %d   rdpdoctor: %d   (%d connections, %d ms)" % (
    len(ss), len(rs), tc["connections"], tc["millis"]))
print("  groups    sslscan: %s" % ", ".join(sg))
print("            rdpdoctor: %s" % ", ".join(rg))
nmsec = [l.strip() for l in nm.splitlines() if re.search(r"(SSL|CredSSP|RDSTLS|Native RDP)", l)]
print("  nmap rdp-enum-encryption: %s" % "; ".join(nmsec))
missing = [x for x in ss if x not in rs]
extra = [x for x in rs if x not in ss]
print("  sslscan suites rdpdoctor misses: %s" % (missing or "none"))
print("  rdpdoctor suites sslscan misses: %s" % (extra or "none"))
sys.exit(1 if missing or set(sv) - set(rv) else 0)
PY
  "$LAB" down "$s" >/dev/null
done
exit $fail

#!/usr/bin/env python3
"""Checks, from inside a scenario's client namespace, that the scenario's fault
is really on the wire -- independently of rdpdoctor (stdlib + openssl CLI).

  labcheck.py SCENARIO [--host srv.lab.test] [--port 3389] [--ca FILE]

Prints one line per check ("ok ..." / "FAIL ...") and exits 1 if any failed.
Run it through `rdplab check SCENARIO`, which enters the namespace for you.
Every network step has a timeout; nothing loops.
"""
import argparse
import warnings
import errno
import socket
import ssl
import struct
import subprocess
import sys
import time

warnings.filterwarnings("ignore", category=DeprecationWarning)  # TLSv1 is the point here

PROTOCOLS = {0: "RDP", 1: "SSL", 2: "HYBRID", 4: "RDSTLS", 8: "HYBRID_EX"}
FAILURES = {1: "SSL_REQUIRED_BY_SERVER", 2: "SSL_NOT_ALLOWED_BY_SERVER", 3: "SSL_CERT_NOT_ON_SERVER",
            4: "INCONSISTENT_FLAGS", 5: "HYBRID_REQUIRED_BY_SERVER",
            6: "SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER"}


def connection_request(requested: int) -> bytes:
    """TPKT + X.224 CR + RDP_NEG_REQ ([MS-RDPBCGR] 2.2.1.1)."""
    cookie = b"Cookie: mstshash=labcheck\r\n"
    neg_req = struct.pack("<BBHI", 0x01, 0, 8, requested)
    x224 = bytes([6 + len(cookie) + len(neg_req), 0xE0, 0, 0, 0, 0, 0]) + cookie + neg_req
    return struct.pack(">BBH", 3, 0, 4 + len(x224)) + x224


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:  # bounded: each recv returns >= 1 byte or ends the loop
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError(f"EOF after {len(buf)} bytes")
        buf += chunk
    return buf


def negotiate(host, port, requested, timeout=5.0):
    """Returns (outcome dict, socket or None). The socket is left open after a NEG_RSP."""
    res = {}
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror as e:
        return {"tcp": "dns", "errno": e.errno, "error": str(e)}, None
    except socket.timeout:
        return {"tcp": "timeout"}, None
    except OSError as e:
        return {"tcp": "error", "errno": e.errno, "error": str(e)}, None
    res["tcp"] = "connected"
    try:
        sock.sendall(connection_request(requested))
        hdr = read_exact(sock, 4)
        if hdr[0] != 3:
            res["x224"] = "not-tpkt"
            return res, sock
        length = struct.unpack(">H", hdr[2:4])[0]
        if not 11 <= length <= 512:
            res["x224"] = f"bad-length {length}"
            return res, sock
        body = read_exact(sock, length - 4)
    except EOFError:
        res["x224"] = "eof"
        sock.close()
        return res, None
    except ConnectionResetError:
        res["x224"] = "reset"
        sock.close()
        return res, None
    except socket.timeout:
        res["x224"] = "timeout"
        sock.close()
        return res, None
    # body: LI, code (0xD0 = CC), dst-ref(2), src-ref(2), class, then optional RDP_NEG_*
    neg = body[7:15]
    if len(neg) < 8:
        res["x224"] = "cc-no-negotiation"
    elif neg[0] == 0x02:
        res["x224"] = "NEG_RSP"
        res["selected"] = PROTOCOLS.get(struct.unpack("<I", neg[4:8])[0], "?")
    elif neg[0] == 0x03:
        res["x224"] = "NEG_FAILURE"
        res["failure"] = FAILURES.get(struct.unpack("<I", neg[4:8])[0], "?")
    else:
        res["x224"] = f"unknown-type {neg[0]}"
    return res, sock


def tls(host, port, *, ca=None, legacy=False, timeout=5.0):
    """X.224 asking for SSL, then a TLS handshake. Returns dict with ok/version/verify/cert_text."""
    res, sock = negotiate(host, port, 1, timeout)
    if sock is None or res.get("selected") != "SSL":
        if sock:
            sock.close()
        return {"ok": False, "error": f"no TLS offered: {res}"}
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca:
        ctx.load_verify_locations(ca)
    else:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if legacy:
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    try:
        with ctx.wrap_socket(sock, server_hostname=host) as t:
            der = t.getpeercert(binary_form=True)
            text = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-text"], input=der,
                                  capture_output=True, timeout=10).stdout.decode(errors="replace")
            return {"ok": True, "version": t.version(), "cert_text": text}
    except ssl.SSLCertVerificationError as e:
        return {"ok": False, "verify_code": e.verify_code, "error": e.verify_message}
    except (ssl.SSLError, OSError) as e:
        return {"ok": False, "error": str(e)}
    finally:
        sock.close()


ENC_METHODS = {0x00: "none", 0x01: "40-bit", 0x02: "128-bit", 0x08: "56-bit", 0x10: "FIPS"}
ENC_LEVELS = {0: "None", 1: "Low", 2: "Client Compatible", 3: "High", 4: "FIPS"}


def ber_len(n):
    return bytes([n]) if n < 0x80 else bytes([0x81, n]) if n < 0x100 else bytes([0x82, n >> 8, n & 0xFF])


def ber_int(v):
    """A non-negative BER INTEGER: tag, length, big-endian content with a sign-safe lead byte."""
    content = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")
    return b"\x02" + ber_len(len(content)) + content


def domain_params(*values):
    body = b"".join(ber_int(v) for v in values)
    return b"\x30" + ber_len(len(body)) + body


def connect_initial(methods, selected_protocol=0):
    """MCS Connect-Initial (T.125 BER) carrying a GCC Conference Create Request (T.124 PER) with
    CS_CORE (earlyCapabilityFlags asks for the Set Error Info PDU), CS_SECURITY and an empty CS_NET
    ([MS-RDPBCGR] 2.2.1.3). Values as in the spec's 4.1.3 example."""
    core = struct.pack("<IHHHHII", 0x00080004, 1024, 768, 0xCA01, 0xAA03, 0x409, 2600)
    core += "labcheck".encode("utf-16-le").ljust(32, b"\0")
    core += struct.pack("<III", 4, 0, 12) + bytes(64)
    core += struct.pack("<HHIHHH", 0xCA01, 1, 0, 24, 0x000F, 0x0001)  # SUPPORT_ERRINFO_PDU
    core += bytes(64) + struct.pack("<BBI", 0, 0, selected_protocol)
    blocks = struct.pack("<HH", 0xC001, 4 + len(core)) + core
    blocks += struct.pack("<HHII", 0xC002, 12, methods, 0)
    blocks += struct.pack("<HHI", 0xC003, 8, 0)
    per = lambda n: struct.pack(">H", 0x8000 | n)
    ccr = b"\x00\x08\x00\x10\x00\x01\xc0\x00Duca" + per(len(blocks)) + blocks
    gcc = b"\x00\x05\x00\x14\x7c\x00\x01" + per(len(ccr)) + ccr
    body = (b"\x04\x01\x01" + b"\x04\x01\x01" + b"\x01\x01\xff"
            + domain_params(34, 2, 0, 1, 0, 1, 65535, 2)
            + domain_params(1, 1, 1, 1, 0, 1, 0x420, 2)
            + domain_params(65535, 64535, 65535, 1, 0, 1, 65535, 2)
            + b"\x04" + ber_len(len(gcc)) + gcc)
    mcs = b"\x7f\x65" + ber_len(len(body)) + body
    x224 = b"\x02\xf0\x80" + mcs  # X.224 Data TPDU
    return struct.pack(">BBH", 3, 0, 4 + len(x224)) + x224


def read_tpkt(sock):
    hdr = read_exact(sock, 4)
    if hdr[0] != 3:
        raise ValueError(f"not TPKT: {hdr.hex()}")
    length = struct.unpack(">H", hdr[2:4])[0]
    if not 7 <= length <= 16384:
        raise ValueError(f"TPKT length {length}")
    return read_exact(sock, length - 4)


def sc_security(host, port, methods, timeout=5.0):
    """X.224 asking for RDP only, then Connect-Initial offering METHODS; returns the server's
    SC_SECURITY as {"method": int, "level": int} or {"error": ...}. Disconnects without a DPUM:
    the server has nothing of ours to clean up but the socket."""
    res, sock = negotiate(host, port, 0, timeout)
    if sock is None or res.get("selected") != "RDP":
        sock and sock.close()
        return {"error": f"X.224 did not select RDP: {res}"}
    try:
        sock.sendall(connect_initial(methods))
        tpdu = read_tpkt(sock)
        mcs = tpdu[3:]  # X.224 Data header 02 f0 80
        if mcs[:2] != b"\x7f\x66":
            return {"error": f"not an MCS Connect-Response: {tpdu[:8].hex()}"}
        at = mcs.find(b"McDn")  # H.221 server key; the PER length of the blocks follows
        if at < 0:
            return {"error": "no McDn key in the GCC Conference Create Response"}
        at += 4
        n = mcs[at]
        at += 2 if n & 0x80 else 1
        out = {}
        while at + 4 <= len(mcs):  # bounded by the PDU's length
            btype, blen = struct.unpack("<HH", mcs[at:at + 4])
            if blen < 4:
                break
            if btype == 0x0C02 and blen >= 12:
                out["method"], out["level"] = struct.unpack("<II", mcs[at + 4:at + 12])
            at += blen
        return out or {"error": "no SC_SECURITY block"}
    except (EOFError, OSError, ValueError) as e:
        return {"error": str(e)}
    finally:
        sock.close()


class Checker:
    def __init__(self):
        self.failed = 0

    def check(self, what, cond, got):
        print(("ok   " if cond else "FAIL ") + what + ("" if cond else f" -- got {got}"), flush=True)
        self.failed += 0 if cond else 1


def run(scn, host, port, ca):
    c = Checker()
    if scn in ("healthy-tls", "cert-expired", "cert-name-mismatch", "cert-weak", "tlsenum-modern"):
        r, s = negotiate(host, port, 3)
        s and s.close()
        c.check("X.224 answer selects SSL for SSL|HYBRID", r.get("selected") == "SSL", r)
    if scn == "healthy-tls":
        t = tls(host, port)
        c.check("TLS handshake completes", t["ok"], t.get("error"))
        c.check("certificate names srv.lab.test", "DNS:srv.lab.test" in t.get("cert_text", ""), t.get("error"))
    elif scn == "cert-expired":
        t = tls(host, port, ca=ca)
        c.check("lab-CA verification: expired (10)", t.get("verify_code") == 10, t)
        t = tls(host, port)
        c.check("notAfter in 2021", "Not After : Jan  1 00:00:00 2021 GMT" in t.get("cert_text", ""), t.get("error"))
    elif scn == "cert-name-mismatch":
        t = tls(host, port, ca=ca)
        c.check("lab-CA verification: hostname mismatch (62)", t.get("verify_code") == 62, t)
    elif scn == "cert-weak":
        t = tls(host, port, ca=ca)
        c.check("lab-CA verification: key/digest too weak (66/68)", t.get("verify_code") in (66, 68), t)
        t = tls(host, port, legacy=True)
        text = t.get("cert_text", "")
        c.check("RSA 1024 + sha1WithRSAEncryption", "(1024 bit)" in text and "sha1WithRSAEncryption" in text,
                t.get("error"))
    elif scn == "tlsenum-modern":
        t = tls(host, port)
        c.check("TLS handshake completes", t["ok"], t.get("error"))
    elif scn in ("tls-legacy-only", "tlsenum-legacy"):
        t = tls(host, port)
        c.check("modern TLS client fails", not t["ok"], t.get("version"))
        t = tls(host, port, legacy=True)
        c.check("TLS 1.0 client at SECLEVEL 0 connects", t.get("version") == "TLSv1", t)
    elif scn == "mcs-tls":
        r, s = negotiate(host, port, 3)
        s and s.close()
        c.check("X.224 answer selects SSL for SSL|HYBRID", r.get("selected") == "SSL", r)
        r, s = negotiate(host, port, 0)
        s and s.close()
        c.check("Standard RDP Security is still allowed (RDP alone selects RDP)",
                r.get("selected") == "RDP", r)
    elif scn in ("rdp-security-only", "mcs-rdp"):
        r, s = negotiate(host, port, 3)
        s and s.close()
        c.check("X.224 answer selects RDP although SSL|HYBRID asked", r.get("selected") == "RDP", r)
    elif scn in ("mcs-rdp-high", "mcs-rdp-fips"):
        r, s = negotiate(host, port, 3)
        s and s.close()
        c.check("X.224 answer selects RDP although SSL|HYBRID asked", r.get("selected") == "RDP", r)
        want = {"mcs-rdp-high": (0x02, 3), "mcs-rdp-fips": (0x10, 4)}[scn]
        got = sc_security(host, port, 0x1B)
        c.check(f"offered 40|56|128|FIPS: SC_SECURITY selects {ENC_METHODS[want[0]]}, level "
                f"{ENC_LEVELS[want[1]]}", (got.get("method"), got.get("level")) == want, got)
        # xrdp (libxrdp/xrdp_sec.c, xrdp_sec_process_mcs_data_CS_SECURITY) never refuses a
        # client whose methods miss its own: it answers with its own method regardless.
        other = 0x01 if scn == "mcs-rdp-high" else 0x02
        got = sc_security(host, port, other)
        c.check(f"offered {ENC_METHODS[other]} alone: answers {ENC_METHODS[want[0]]} anyway",
                (got.get("method"), got.get("level")) == want, got)
    elif scn in ("nla-required", "nla-logon"):
        r, s = negotiate(host, port, 1)
        s and s.close()
        c.check("SSL-only request -> HYBRID_REQUIRED_BY_SERVER", r.get("failure") == "HYBRID_REQUIRED_BY_SERVER", r)
        r, s = negotiate(host, port, 3)
        s and s.close()
        c.check("SSL|HYBRID request -> HYBRID selected", r.get("selected") == "HYBRID", r)
    elif scn in ("port-closed", "port-rejected-rst"):
        t0 = time.monotonic()
        r, _ = negotiate(host, port, 3)
        ms = (time.monotonic() - t0) * 1000
        c.check("connect refused (RST) quickly", r.get("errno") == errno.ECONNREFUSED and ms < 1000, (r, ms))
    elif scn == "port-filtered":
        r, _ = negotiate(host, port, 3, timeout=3)
        c.check("connect times out (silent drop)", r.get("tcp") == "timeout", r)
    elif scn == "accept-then-close":
        r, _ = negotiate(host, port, 3)
        c.check("connected, then EOF after the X.224 CR", r.get("tcp") == "connected" and r.get("x224") == "eof", r)
    elif scn == "accept-then-reset":
        r, _ = negotiate(host, port, 3)
        c.check("connected, then RST after the X.224 CR", r.get("tcp") == "connected" and r.get("x224") == "reset", r)
    elif scn == "dns-missing":
        try:
            socket.getaddrinfo(host, port)
            got = "resolved"
        except socket.gaierror as e:
            got = e.errno
        c.check("name does not resolve (EAI_NONAME)", got == socket.EAI_NONAME, got)
        q = subprocess.run(["getent", "hosts", host], capture_output=True, timeout=10)
        c.check("getent hosts fails", q.returncode != 0, q.stdout)
    elif scn in ("high-latency", "latency-heavy"):
        floor = 250 if scn == "high-latency" else 550
        times = []
        for _ in range(5):   # bounded: five handshakes, 5 s each at most
            t0 = time.monotonic()
            try:
                socket.create_connection((host, port), timeout=5).close()
                times.append((time.monotonic() - t0) * 1000)
            except OSError as e:
                times.append(f"error {e}")
        ok = [t for t in times if isinstance(t, float)]
        c.check(f"5 TCP connects each take {floor} ms or more (delayed server->client)",
                len(ok) == 5 and min(ok) >= floor, times)
    elif scn == "connection-limit":
        held, results = [], []
        try:
            for _ in range(5):   # bounded: four held, the fifth must be refused
                try:
                    held.append(socket.create_connection((host, port), timeout=3))
                    results.append("open")
                except OSError as e:
                    results.append(errno.errorcode.get(e.errno, str(e)))
        finally:
            for s in held:
                s.close()
        c.check("4 concurrent connections open, the 5th is refused (RST)",
                results == ["open"] * 4 + ["ECONNREFUSED"], results)
        time.sleep(0.5)   # conntrack sees the closes
        r, s = negotiate(host, port, 3)
        s and s.close()
        c.check("alone, X.224 answer selects SSL", r.get("selected") == "SSL", r)
    elif scn == "mtu-blackhole":
        r, s = negotiate(host, port, 3)
        s and s.close()
        c.check("X.224 answer (small packets) selects SSL", r.get("selected") == "SSL", r)
        t = tls(host, port, timeout=4)
        c.check("TLS handshake (large server flight) stalls", not t["ok"]
                and "timed out" in str(t.get("error", "")), t)
    elif scn in ("lossy-link", "lossy-heavy"):
        slow = 0
        for _ in range(12):   # bounded: 12 connects, 2.5 s each at most
            t0 = time.monotonic()
            try:
                socket.create_connection((host, port), timeout=2.5).close()
                slow += (time.monotonic() - t0) > 0.9   # needed a SYN retransmit
            except OSError:
                slow += 1
        # with 25 % loss each way, 12 clean handshakes in a row happen about once in 1000 runs
        c.check("some of 12 TCP connects need a retransmit or fail", slow >= 1, slow)
    elif scn in ("dns-wrong-dead", "dns-wrong-live"):
        addr = socket.getaddrinfo(host, port, socket.AF_INET)[0][4][0]
        n = addr.split(".")[2]
        real = f"198.19.{int(n) if scn == 'dns-wrong-dead' else int(n) - 100}.2"
        c.check(f"{host} resolves to {addr}, not the real server {real}", addr != real, addr)
        if scn == "dns-wrong-dead":
            r, _ = negotiate(addr, port, 3, timeout=3)
            c.check("the name's address drops everything", r.get("tcp") == "timeout", r)
        else:
            t = tls(addr, port)
            c.check("the name's address is another RDP server (old-host.lab.test)",
                    "old-host.lab.test" in t.get("cert_text", ""), t.get("error"))
        r, s = negotiate(real, port, 3)
        s and s.close()
        c.check("the real server answers RDP", r.get("selected") == "SSL", r)
    elif scn in ("udp-blocked", "udp-rejected"):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(1.5)
        got = "silence"
        try:
            u.connect((host, port))
            for _ in range(2):   # bounded: two datagrams
                u.send(b"\xff" * 4 + bytes(1228))
                try:
                    u.recv(2048)
                    got = "answer"
                    break
                except socket.timeout:
                    pass
        except ConnectionRefusedError:
            got = "icmp-port-unreachable"
        finally:
            u.close()
        want = "silence" if scn == "udp-blocked" else "icmp-port-unreachable"
        c.check(f"UDP {port}: {want}", got == want, got)
        r, s = negotiate(host, port, 3)
        s and s.close()
        c.check("TCP still works (X.224 selects SSL)", r.get("selected") == "SSL", r)
    elif scn.startswith("gateway-"):
        import http.client
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection("rdg.lab.test", 443, timeout=5, context=ctx)
        try:
            conn.request("RDG_OUT_DATA", "/remoteDesktopGateway/",
                         headers={"RDG-Connection-Id": "{00000000-0000-0000-0000-000000000001}"})
            resp = conn.getresponse()
            status = resp.status
            auth = resp.getheader("WWW-Authenticate") or ""
            der = conn.sock.getpeercert(binary_form=True)
        finally:
            conn.close()
        want = {"gateway-401": 401, "gateway-403": 403, "gateway-502": 502,
                "gateway-ssl-inspection": 401}[scn]
        c.check(f"RDG_OUT_DATA /remoteDesktopGateway/ -> {want}", status == want, status)
        if want == 401:
            c.check("401 offers Negotiate/NTLM", "Negotiate" in auth or "NTLM" in auth, auth)
        if scn == "gateway-ssl-inspection":
            text = subprocess.run(["openssl", "x509", "-inform", "DER", "-noout", "-issuer"],
                                  input=der, capture_output=True, timeout=10).stdout.decode()
            c.check("leaf issued by a Fortinet-style inspection CA", "Fortinet" in text, text)
    elif scn == "fleet":
        # one address per block of 198.19.128.0/24 (lab/rdplab FLEET_BLOCKS), by name
        def name(i):
            return f"h{i:03d}.fleet.lab.test"
        r, s = negotiate(name(1), 3389, 3)
        s and s.close()
        c.check("negotiate block: SSL|HYBRID -> SSL", r.get("selected") == "SSL", r)
        r, s = negotiate(name(1), 3389, 0)
        s and s.close()
        c.check("negotiate block: RDP alone -> RDP", r.get("selected") == "RDP", r)
        t = tls(name(1), 3389, ca=ca)
        c.check("negotiate block: wildcard lab-CA cert verifies for the name", t["ok"], t.get("error"))
        r, s = negotiate(name(130), 3389, 0)
        s and s.close()
        c.check("tls-required block: RDP alone refused (SSL_REQUIRED_BY_SERVER)",
                r.get("failure") == "SSL_REQUIRED_BY_SERVER", r)
        r, s = negotiate(name(161), 3389, 3)
        s and s.close()
        c.check("rdp-only block: SSL|HYBRID -> RDP", r.get("selected") == "RDP", r)
        t = tls(name(177), 3389)
        c.check("tls10-only block: modern TLS client fails", not t["ok"], t.get("version"))
        t = tls(name(177), 3389, legacy=True)
        c.check("tls10-only block: TLS 1.0 at SECLEVEL 0 connects", t.get("version") == "TLSv1", t)
        t = tls(name(193), 3389, ca=ca)
        c.check("cert-expired block: lab-CA verification: expired (10)", t.get("verify_code") == 10, t)
        t = tls(name(209), 3389)
        c.check("other-issuer block: issuer Other Corp", "Issuer: O = Other Corp" in t.get("cert_text", ""),
                t.get("error"))
        r, s = negotiate(name(225), 3389, 3, timeout=2)
        c.check("closed block: ECONNREFUSED", r.get("errno") == errno.ECONNREFUSED, r)
        r, s = negotiate(name(241), 3389, 3, timeout=2)
        c.check("dropped block: connect times out", r.get("tcp") == "timeout", r)
        r, s = negotiate("198.19.190.7", 3389, 3)
        s and s.close()
        c.check("rest of the /17 (198.19.190.7): negotiate xrdp", r.get("selected") == "SSL", r)
    else:
        c.check(f"known scenario {scn}", False, "no checks for it")
    return c.failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("--host", default="srv.lab.test")
    ap.add_argument("--port", type=int, default=3389)
    ap.add_argument("--ca")
    a = ap.parse_args()
    return 1 if run(a.scenario, a.host, a.port, a.ca) else 0


if __name__ == "__main__":
    sys.exit(main())

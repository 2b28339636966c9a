#!/usr/bin/env python3
"""Scripted RDP peer for the faults no real server shows on demand.

Accepts TCP connections on --port, reads the client's first PDU (the X.224
Connection Request) and then, without answering:
  close  -> closes normally (FIN): the client reads EOF     (mstsc 0x904)
  reset  -> aborts with SO_LINGER 0 (RST): ECONNRESET        (mstsc 0x904)

Bounded: exits after --max-conns connections or --lifetime seconds, whichever
comes first; every read waits at most --read-timeout seconds.
"""
import argparse
import socket
import struct
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("close", "reset"), required=True)
    ap.add_argument("--port", type=int, default=3389)
    ap.add_argument("--lifetime", type=float, default=3600.0)
    ap.add_argument("--max-conns", type=int, default=10000)
    ap.add_argument("--read-timeout", type=float, default=5.0)
    args = ap.parse_args()

    deadline = time.monotonic() + args.lifetime
    with socket.create_server(("0.0.0.0", args.port), reuse_port=False, backlog=16) as srv:
        print(f"responder: mode={args.mode} port={args.port}", flush=True)
        served = 0
        while served < args.max_conns:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            srv.settimeout(min(left, 30.0))
            try:
                conn, peer = srv.accept()
            except socket.timeout:
                continue
            served += 1
            with conn:
                conn.settimeout(args.read_timeout)
                try:
                    first = conn.recv(1024)  # TPKT + X.224 CR, small
                except OSError:
                    first = b""
                print(f"conn {served} from {peer[0]}: {len(first)} bytes {first[:7].hex()}", flush=True)
                if args.mode == "reset":
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        print(f"responder: done after {served} connections", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""nfqdelay: hold packets on a link for a while, as a slow WAN or satellite hop would.

This kernel has no sch_netem, so `tc qdisc ... netem delay` is not available. Instead
iptables hands packets to an NFQUEUE; this process reads them over nfnetlink_queue
(a raw AF_NETLINK socket, standard library only), keeps each one for DELAY +/- JITTER
milliseconds and then gives the kernel its ACCEPT verdict. The packet itself is never
changed: the verdict carries no payload, so the kernel sends its own copy on.

  iptables -A FORWARD -o c0 -j NFQUEUE --queue-num 0 --queue-bypass
  nfqdelay.py --queue 0 --delay-ms 300 --jitter-ms 10 --lifetime 600 --max-packets 100000

--queue-bypass makes the rule a no-op whenever nobody is bound to the queue, so packets
flow undelayed (never dropped) before start and after exit.

Bounded: it exits after --lifetime seconds or after --max-packets packets, whichever comes
first, and on SIGTERM/SIGINT. On every exit it releases the packets it still holds (ACCEPT)
and unbinds the queue, so an exit never loses traffic.

Packets leave in the order they arrived (a FIFO; jitter never lets a later packet overtake
an earlier one), because a reordering link would make TCP retransmit, which is packet loss
and not latency, the one thing this tool must show.
"""
import argparse
import collections
import errno
import random
import select
import signal
import socket
import struct
import sys
import time

# linux/netlink.h, linux/netfilter/nfnetlink.h, linux/netfilter/nfnetlink_queue.h
NETLINK_NETFILTER = 12
NLMSG_ERROR = 2
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLMSG_HDR = struct.Struct("=IHHII")        # len, type, flags, seq, port id (host order)
NFGENMSG = struct.Struct("!BBH")           # family, version, resource id (the queue, BE)
NLATTR = struct.Struct("=HH")              # len, type (host order); payload in BE
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQA_CFG_MASK, NFQA_CFG_FLAGS = 4, 5
NFQNL_CFG_CMD_BIND, NFQNL_CFG_CMD_UNBIND = 1, 2
NFQNL_COPY_PACKET = 2
NFQA_CFG_F_FAIL_OPEN = 0x1                 # queue full -> accept, not drop
NF_ACCEPT = 1

COPY_RANGE = 64          # bytes of each packet copied to us (headers only, for the log)
QUEUE_MAXLEN = 4096      # packets the kernel may hold for us before failing open
RECV_BYTES = 1 << 16
MAX_DELAY_MS = 10_000    # a typo like --delay-ms 30000 would stall every lab run
MAX_PACKETS_CAP = 10_000_000
MAX_LIFETIME_S = 24 * 3600
DRAIN_ROUNDS = 100       # reads of still-waiting packets at exit


class Queue:
    """One bound nfnetlink queue: configuration, packet reading, verdicts."""

    def __init__(self, num):
        self.num = num
        self.seq = 0
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.sock.bind((0, 0))

    def _message(self, msg_type, attrs, flags=NLM_F_REQUEST):
        self.seq += 1
        body = NFGENMSG.pack(socket.AF_UNSPEC, 0, self.num) + b"".join(attrs)
        hdr = NLMSG_HDR.pack(NLMSG_HDR.size + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type,
                             flags, self.seq, 0)
        return hdr + body

    @staticmethod
    def _attr(attr_type, payload):
        raw = NLATTR.pack(NLATTR.size + len(payload), attr_type) + payload
        return raw + b"\0" * (-len(raw) % 4)

    def _configure(self, *attrs):
        """Send one config request and wait for the kernel's ACK, so failures are seen."""
        self.sock.send(self._message(NFQNL_MSG_CONFIG, attrs, NLM_F_REQUEST | NLM_F_ACK))
        want = self.seq
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.sock], [], [], 0.2)
            if not ready:
                continue
            for msg_type, seq, payload in split_messages(self.sock.recv(RECV_BYTES)):
                if msg_type == NLMSG_ERROR and seq == want:
                    err = struct.unpack_from("=i", payload)[0] if len(payload) >= 4 else -1
                    if err:
                        raise OSError(-err, "nfqueue config: " + errno.errorcode.get(-err, "?"))
                    return
        raise TimeoutError("nfqueue config: no answer from the kernel in 2 s")

    def bind(self):
        cmd = struct.pack("!BxH", NFQNL_CFG_CMD_BIND, socket.AF_INET)
        self._configure(self._attr(NFQA_CFG_CMD, cmd))
        params = struct.pack("!IB", COPY_RANGE, NFQNL_COPY_PACKET)
        self._configure(self._attr(NFQA_CFG_PARAMS, params),
                        self._attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", QUEUE_MAXLEN)))
        flag = struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)
        try:
            self._configure(self._attr(NFQA_CFG_FLAGS, flag), self._attr(NFQA_CFG_MASK, flag))
        except OSError as e:   # older kernels: keep going, the queue is just not fail-open
            log(f"fail-open flag not set ({e}); continuing")

    def unbind(self):
        cmd = struct.pack("!BxH", NFQNL_CFG_CMD_UNBIND, socket.AF_INET)
        try:
            self.sock.send(self._message(NFQNL_MSG_CONFIG, [self._attr(NFQA_CFG_CMD, cmd)]))
        except OSError:
            pass   # closing the socket unbinds too

    def accept(self, packet_id):
        verdict = struct.pack("!II", NF_ACCEPT, packet_id)
        self.sock.send(self._message(NFQNL_MSG_VERDICT, [self._attr(NFQA_VERDICT_HDR, verdict)]))

    def packets(self):
        """Packet ids in the datagram now waiting on the socket (call after select)."""
        try:
            data = self.sock.recv(RECV_BYTES)
        except OSError as e:
            if e.errno == errno.ENOBUFS:   # the kernel overran our buffer; it fails open
                log("receive buffer overrun (ENOBUFS); some packets passed undelayed")
                return []
            raise
        ids = []
        for msg_type, _, payload in split_messages(data):
            if msg_type == NLMSG_ERROR:
                err = struct.unpack_from("=i", payload)[0] if len(payload) >= 4 else -1
                if err:
                    log(f"netlink error {err}")
            elif msg_type == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                hdr = parse_attrs(payload[NFGENMSG.size:]).get(NFQA_PACKET_HDR)
                if hdr is not None and len(hdr) >= 4:
                    ids.append(struct.unpack_from("!I", hdr)[0])
        return ids

    def close(self):
        self.sock.close()


def split_messages(data):
    """(type, seq, payload) for each netlink message in one datagram; stops at damage."""
    pos = 0
    while pos + NLMSG_HDR.size <= len(data):
        length, msg_type, _, seq, _ = NLMSG_HDR.unpack_from(data, pos)
        if length < NLMSG_HDR.size or pos + length > len(data):
            return
        yield msg_type, seq, data[pos + NLMSG_HDR.size:pos + length]
        pos += (length + 3) & ~3


def parse_attrs(buf):
    attrs, pos = {}, 0
    while pos + NLATTR.size <= len(buf):
        length, attr_type = NLATTR.unpack_from(buf, pos)
        if length < NLATTR.size or pos + length > len(buf):
            break
        attrs[attr_type & 0x3FFF] = buf[pos + NLATTR.size:pos + length]  # drop NLA_F_* bits
        pos += (length + 3) & ~3
    return attrs


def log(msg):
    print("nfqdelay: " + msg, file=sys.stderr, flush=True)


def bounded(kind, lo, hi):
    def parse(text):
        value = kind(text)
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be between {lo} and {hi}")
        return value
    return parse


def main(argv=None):
    ap = argparse.ArgumentParser(description="Delay packets queued by iptables NFQUEUE.")
    ap.add_argument("--queue", type=bounded(int, 0, 65535), default=0)
    ap.add_argument("--delay-ms", type=bounded(float, 0, MAX_DELAY_MS), default=300.0)
    ap.add_argument("--jitter-ms", type=bounded(float, 0, MAX_DELAY_MS), default=0.0)
    ap.add_argument("--lifetime", type=bounded(float, 0.1, MAX_LIFETIME_S), default=3600.0,
                    help="seconds before a clean exit")
    ap.add_argument("--max-packets", type=bounded(int, 1, MAX_PACKETS_CAP), default=1_000_000,
                    help="packets to delay before a clean exit")
    a = ap.parse_args(argv)
    if a.jitter_ms > a.delay_ms:
        ap.error("--jitter-ms must not exceed --delay-ms")

    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.append(True))

    try:
        queue = Queue(a.queue)
        queue.bind()
    except (OSError, TimeoutError) as e:
        log(f"cannot bind queue {a.queue}: {e}")
        return 1
    log(f"queue {a.queue}: delay {a.delay_ms:g} ms +/- {a.jitter_ms:g} ms, "
        f"lifetime {a.lifetime:g} s, at most {a.max_packets} packets")

    held = collections.deque()   # (due, packet id), due never decreasing: FIFO
    seen = released = 0
    last_due = 0.0
    end = time.monotonic() + a.lifetime
    reason = "lifetime over"
    try:
        while True:
            now = time.monotonic()
            while held and held[0][0] <= now:
                queue.accept(held.popleft()[1])
                released += 1
            if stop:
                reason = "signal"
                break
            if now >= end:
                break
            if seen >= a.max_packets:
                reason = "packet budget spent"
                break
            wait = min(0.5, end - now, (held[0][0] - now) if held else 0.5)
            try:
                ready, _, _ = select.select([queue.sock], [], [], max(0.0, wait))
            except InterruptedError:
                continue
            if not ready:
                continue
            for packet_id in queue.packets():
                seen += 1
                hold = a.delay_ms + random.uniform(-a.jitter_ms, a.jitter_ms)
                last_due = max(last_due, time.monotonic() + hold / 1000.0)
                held.append((last_due, packet_id))
    except OSError as e:
        reason = f"socket error: {e}"
    finally:
        # nothing held may be lost: the kernel drops whatever is still queued when the queue
        # goes away, so release what we hold and what is waiting unread, then unbind
        try:
            for _ in range(DRAIN_ROUNDS):
                while held:
                    queue.accept(held.popleft()[1])
                    released += 1
                ready, _, _ = select.select([queue.sock], [], [], 0)
                if not ready:
                    break
                held.extend((0.0, packet_id) for packet_id in queue.packets())
        except OSError as e:
            log(f"releasing held packets: {e}")
        queue.unbind()
        queue.close()
    log(f"exit ({reason}): {seen} packets delayed, {released} released")
    return 0


if __name__ == "__main__":
    sys.exit(main())

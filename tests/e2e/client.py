#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The e2e client: counts which real server answers.

    client.py count URL N      N sequential new TCP connections, one GET each
                               (Connection: close); prints per-server counts:
                               "rs1=300 rs2=200 rs3=100 failed=0", and when
                               some failed, their kinds ("refused=1 ...").
    client.py probe URL        one connection; prints the server name or the
                               kind of failure (refused, reset, timeout, ...).
    client.py udp ADDR PORT N [--repeat K] [--sport P]
                               N source ports (P, P+1, ... if given), K
                               datagrams from each (default 1); prints counts
                               like count, and "moved=M" when M ports were
                               answered by several servers. The director keeps
                               a connection per source port: runs meant to be
                               scheduled afresh need ports not used before.
    client.py session URL      ONE kept-alive connection driven by stdin: each
                               line "get" sends a request on it and prints the
                               answering server name or "error KIND: detail";
                               "quit" or EOF ends. Never reconnects.
    client.py ping ADDR...     one ICMP/ICMPv6 echo to each address; exit 1
                               if any stays unanswered.
    client.py sources URL SRC... [--repeat K]
                               K new connections (default 1) from each
                               source address SRC; prints a line per source:
                               "SRC rs2", or "SRC mixed=rs1,rs2" when its
                               connections went to several servers, or
                               "SRC failed=KIND".

Every operation has a timeout (--timeout, seconds) and count/udp stop at
--deadline seconds, counting what is left as failed ("deadline=K").
Exit status: 0 when everything answered, 1 otherwise.
"""

import argparse
import collections
import os
import select
import socket
import struct
import sys
import time
import urllib.parse


def failure_kind(exc):
    if isinstance(exc, ConnectionRefusedError):
        return "refused"
    if isinstance(exc, ConnectionResetError):
        return "reset"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timeout"
    if isinstance(exc, (BrokenPipeError, EOFError)):
        return "closed"
    return "error"


def parse_url(url):
    u = urllib.parse.urlsplit(url)
    if u.scheme != "http" or not u.hostname:
        raise SystemExit(f"client.py: not an http URL: `{url}'")
    return u.hostname, u.port or 80, u.path or "/"


def connect(host, port, timeout, source=None):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        if source:
            sock.bind((source, 0))
        sock.connect((host, port))
    except BaseException:
        sock.close()
        raise
    return sock


class Conn:
    """One HTTP/1.1 connection; get() returns the body of one GET."""

    def __init__(self, host, port, path, timeout, source=None):
        self.sock = connect(host, port, timeout, source)
        self.hosthdr = f"[{host}]" if ":" in host else host
        self.path = path
        self.buf = b""

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("connection closed by peer")
        self.buf += data

    def get(self, close=False):
        req = f"GET {self.path} HTTP/1.1\r\nHost: {self.hosthdr}\r\n"
        if close:
            req += "Connection: close\r\n"
        self.sock.sendall((req + "\r\n").encode())
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        if not lines[0].startswith("HTTP/1.1 200"):
            raise ValueError(f"bad status line {lines[0]!r}")
        length = None
        for line in lines[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == "content-length":
                length = int(value)
        if length is None:
            raise ValueError("no Content-Length")
        while len(self.buf) < length:
            self._fill()
        body, self.buf = self.buf[:length], self.buf[length:]
        return body.decode().strip()

    def close(self):
        self.sock.close()


def print_counts(counts, failed):
    parts = [f"{k}={v}" for k, v in sorted(counts.items())]
    parts.append(f"failed={sum(failed.values())}")
    parts += [f"{k}={v}" for k, v in sorted(failed.items())]
    print(" ".join(parts))
    return 0 if not failed else 1


def cmd_count(args):
    host, port, path = parse_url(args.url)
    counts, failed = collections.Counter(), collections.Counter()
    end = time.monotonic() + args.deadline
    for i in range(args.n):
        if time.monotonic() > end:
            failed["deadline"] += args.n - i
            break
        try:
            c = Conn(host, port, path, args.timeout)
            try:
                # Keep-alive, so that we close first: our TIME_WAIT keeps
                # the kernel from reusing the source port. A new SYN on a
                # reused port whose entry is still in FIN_WAIT (all a DR
                # director sees when the server closes first) goes to the
                # old server unscheduled, as in IPVS with conn_reuse_mode 1,
                # and would shift an exact split by one.
                counts[c.get()] += 1
            finally:
                c.close()
        except Exception as e:
            failed[failure_kind(e)] += 1
    return print_counts(counts, failed)


def cmd_probe(args):
    host, port, path = parse_url(args.url)
    try:
        c = Conn(host, port, path, args.timeout)
        try:
            print(c.get(close=True))
        finally:
            c.close()
        return 0
    except Exception as e:
        print(failure_kind(e))
        return 1


def cmd_sources(args):
    host, port, path = parse_url(args.url)
    end = time.monotonic() + args.deadline
    rc = 0
    for src in args.src:
        servers, kind = [], None
        for _ in range(args.repeat):
            if time.monotonic() > end:
                kind = "deadline"
                break
            try:
                c = Conn(host, port, path, args.timeout, src)
                try:
                    servers.append(c.get(close=True))
                finally:
                    c.close()
            except Exception as e:
                kind = failure_kind(e)
                break
        names = sorted(set(servers))
        if kind:
            print(f"{src} failed={kind}")
        elif len(names) > 1:
            print(f"{src} mixed={','.join(names)}")
        else:
            print(f"{src} {names[0]}")
        rc |= bool(kind) or len(names) != 1
    return rc


def cmd_udp(args):
    family = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
    counts, failed = collections.Counter(), collections.Counter()
    end = time.monotonic() + args.deadline
    socks = []  # all kept open, so every socket has its own source port
    try:
        for i in range(args.n):
            if time.monotonic() > end:
                failed["deadline"] += args.n - i
                break
            s = socket.socket(family, socket.SOCK_DGRAM)
            socks.append(s)
            s.settimeout(args.timeout)
            if args.sport:
                s.bind(("::" if family == socket.AF_INET6 else "0.0.0.0", args.sport + i))
            servers = set()
            for _ in range(args.repeat):
                try:
                    # connect(): only an answer from ADDR:PORT (the VIP) counts.
                    s.connect((args.addr, args.port))
                    s.send(b"who\n")
                    name = s.recv(2048).decode().strip()
                    counts[name] += 1
                    servers.add(name)
                except Exception as e:
                    failed[failure_kind(e)] += 1
            if len(servers) > 1:
                failed["moved"] += 1  # one source port, several servers
    finally:
        for s in socks:
            s.close()
    return print_counts(counts, failed)


def cmd_session(args):
    host, port, path = parse_url(args.url)
    try:
        c = Conn(host, port, path, args.timeout)
    except Exception as e:
        print(f"error {failure_kind(e)}: {e}", flush=True)
        return 1
    print(f"connected from port {c.sock.getsockname()[1]}", flush=True)
    dead = None
    rc = 0
    while True:
        line = sys.stdin.readline()
        cmd = line.strip()
        if not line or cmd == "quit":
            break
        if cmd != "get":
            print(f"error usage: unknown command {cmd!r}", flush=True)
            continue
        if dead:
            print(f"error {dead}: connection already failed", flush=True)
            continue
        try:
            print(c.get(), flush=True)
        except Exception as e:
            dead = failure_kind(e)
            rc = 1
            print(f"error {dead}: {e}", flush=True)
    c.close()
    return rc


def icmp_checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ping_one(addr, timeout, ident, seq):
    if ":" in addr:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        req_type, rep_type, hdr_skip = 128, 129, 0  # kernel fills the checksum
    else:
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        req_type, rep_type, hdr_skip = 8, 0, 20  # raw v4 sockets see the IP header
    payload = b"xvs-e2e-ping"
    msg = struct.pack("!BBHHH", req_type, 0, 0, ident, seq) + payload
    if req_type == 8:
        msg = msg[:2] + struct.pack("!H", icmp_checksum(msg)) + msg[4:]
    end = time.monotonic() + timeout
    try:
        sock.sendto(msg, (addr, 0))
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                return False
            data, peer = sock.recvfrom(2048)
            icmp = data[hdr_skip:]
            if len(icmp) < 8 or peer[0] != addr:
                continue
            t, _code, _ck, rid, rseq = struct.unpack("!BBHHH", icmp[:8])
            if t == rep_type and rid == ident and rseq == seq:
                return True
    finally:
        sock.close()


def cmd_ping(args):
    rc = 0
    ident = os.getpid() & 0xFFFF
    for seq, addr in enumerate(args.addr, 1):
        # The first echo may wait for address resolution; allow one retry.
        up = ping_one(addr, args.timeout, ident, seq) or \
            ping_one(addr, args.timeout, ident, seq + 1000)
        print(f"{addr} {'alive' if up else 'unreachable'}")
        rc |= not up
    return rc


def main():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--timeout", type=float, default=2.0, help="per operation (s)")
    common.add_argument("--deadline", type=float, default=60.0, help="per run (s)")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("count", parents=[common])
    p.add_argument("url")
    p.add_argument("n", type=int)
    p = sub.add_parser("probe", parents=[common])
    p.add_argument("url")
    p = sub.add_parser("udp", parents=[common])
    p.add_argument("addr")
    p.add_argument("port", type=int)
    p.add_argument("n", type=int)
    p.add_argument("--repeat", type=int, default=1, help="datagrams per port")
    p.add_argument("--sport", type=int, default=0,
                   help="first source port (default: the kernel's choice)")
    p = sub.add_parser("session", parents=[common])
    p.add_argument("url")
    p = sub.add_parser("ping", parents=[common])
    p.add_argument("addr", nargs="+")
    p = sub.add_parser("sources", parents=[common])
    p.add_argument("url")
    p.add_argument("src", nargs="+")
    p.add_argument("--repeat", type=int, default=1, help="connections per source")
    args = ap.parse_args()
    sys.exit({"count": cmd_count, "probe": cmd_probe, "udp": cmd_udp,
              "session": cmd_session, "ping": cmd_ping,
              "sources": cmd_sources}[args.cmd](args))


if __name__ == "__main__":
    main()

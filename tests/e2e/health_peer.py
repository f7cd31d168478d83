#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A server for xvsd's health checks to probe, whose answers a test changes
while it runs.

    health_peer.py http|https|smtp|dns --port N [--control FILE] [--log FILE]
                   [--ready FILE] [--cert FILE --key FILE] [--name NAME]

Every address (IPv4 and IPv6). Each request reads FILE (--control) again:
its first line is a code, the rest of the file a body. Without the file the
peer answers as a healthy server would.

    http, https  the code is the HTTP status (default 200), the body the
                 response body, sent byte for byte (default "NAME\\n"), so a
                 test computes the digest a checker should see with md5sum.
                 https needs --cert and --key (PEM).
    smtp         the code is the greeting's (default 220); HELO is answered
                 250 and QUIT 221.
    dns          the code is the response's RCODE (default 0, NOERROR; 2 is
                 SERVFAIL), or "silent" for no answer at all.

--log FILE gets one line per thing a checker sent: "GET PATH HOST",
"SNI NAME", "HELO NAME", "QUERY TYPE NAME". FILE (--ready) is created once
listening. Runs until killed; every connection times out after 5 s.
"""

import argparse
import http.server
import os
import socket
import socketserver
import ssl
import struct
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rs_server import DualStackServer, send_text  # noqa: E402

IO_TIMEOUT = 5.0


class Peer:
    """What every protocol shares: the control file, the log, the name."""

    def __init__(self, args, default_code, default_body=b""):
        self.control = args.control
        self.log_path = args.log
        self.default = (default_code, default_body)
        self.lock = threading.Lock()

    def answer(self):
        """(code, body) as the control file says now."""
        try:
            with open(self.control, "rb") as f:
                data = f.read()
        except (TypeError, FileNotFoundError):
            return self.default
        first, _, body = data.partition(b"\n")
        return first.decode().strip(), body

    def log(self, line):
        if not self.log_path:
            return
        with self.lock, open(self.log_path, "a") as f:
            f.write(line + "\n")


def http_handler(peer, tls):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # one request, then close
        timeout = IO_TIMEOUT

        def setup(self):
            self.request.settimeout(IO_TIMEOUT)
            if tls:
                # Here, not in accept(): a client that never finishes its
                # handshake holds only its own thread.
                self.request.do_handshake()
            super().setup()

        def do_GET(self):
            peer.log(f"GET {self.path} {self.headers.get('Host', '-')}")
            code, body = peer.answer()
            send_text(self, int(code), body)

        def log_message(self, fmt, *args):
            pass

    return Handler


def serve_http(args, tls):
    peer = Peer(args, "200", (args.name + "\n").encode())
    server = DualStackServer(("::", args.port), http_handler(peer, tls))
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        ctx.sni_callback = lambda _sock, name, _ctx: peer.log(f"SNI {name}")
        server.socket = ctx.wrap_socket(server.socket, server_side=True,
                                        do_handshake_on_connect=False)
    return server


def smtp_handler(peer):
    class Handler(socketserver.StreamRequestHandler):
        timeout = IO_TIMEOUT

        def say(self, text):
            self.wfile.write((text + "\r\n").encode())

        def handle(self):
            code, _ = peer.answer()
            self.say(f"{code} {socket.gethostname()} xvs test peer")
            while True:
                line = self.rfile.readline(1024).decode("latin-1").strip()
                verb = line.split(" ", 1)[0].upper()
                if not line:
                    return
                if verb in ("HELO", "EHLO"):
                    peer.log(f"HELO {line[5:]}")
                    self.say("250 pleased to meet you")
                elif verb == "QUIT":
                    self.say("221 bye")
                    return
                else:
                    self.say("502 not implemented")

    return Handler


def serve_smtp(args):
    # an HTTP server's socket set-up; the handler is SMTP's
    return DualStackServer(("::", args.port), smtp_handler(Peer(args, "220")))


def dns_question(query):
    """(name, type) of a query's first question, or None if it is cut short."""
    labels, pos = [], 12
    while pos < len(query) and query[pos]:
        n = query[pos]
        labels.append(query[pos + 1:pos + 1 + n].decode("latin-1"))
        pos += 1 + n
    if pos + 5 > len(query):
        return None
    (qtype,) = struct.unpack("!H", query[pos + 1:pos + 3])
    return ".".join(labels) + ".", qtype, pos + 5


def dns_serve(peer, sock):
    while True:
        query, client = sock.recvfrom(512)
        question = dns_question(query)
        if len(query) < 12 or not question:
            continue
        name, qtype, end = question
        peer.log(f"QUERY {qtype} {name}")
        code, _ = peer.answer()
        if code == "silent":
            continue
        qid, flags = struct.unpack("!HH", query[:4])
        # QR, the query's opcode and RD, RA, and the RCODE asked for; the
        # question echoed, no answer records (a checker reads the RCODE).
        flags = 0x8000 | (flags & 0x7900) | 0x0080 | (int(code) & 0xF)
        reply = struct.pack("!HHHHHH", qid, flags, 1, 0, 0, 0) + query[12:end]
        sock.sendto(reply, client)


def serve_dns(args):
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind(("::", args.port))
    return sock


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("proto", choices=("http", "https", "smtp", "dns"))
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--control", help="file with the code and body to answer")
    ap.add_argument("--log", help="file to append what checkers sent to")
    ap.add_argument("--ready", help="file to create once listening")
    ap.add_argument("--cert", help="https: certificate (PEM)")
    ap.add_argument("--key", help="https: private key (PEM)")
    ap.add_argument("--name", default=socket.gethostname(),
                    help="http default body (default: the host name)")
    args = ap.parse_args()
    if args.proto == "https" and not (args.cert and args.key):
        ap.error("https needs --cert and --key")

    if args.proto == "dns":
        sock = serve_dns(args)
        run = lambda: dns_serve(Peer(args, "0"), sock)  # noqa: E731
    else:
        server = serve_smtp(args) if args.proto == "smtp" else \
            serve_http(args, args.proto == "https")
        run = server.serve_forever
    if args.ready:
        open(args.ready, "w").close()
    run()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A real server for the e2e tests: says its name over HTTP and UDP.

    rs_server.py NAME [--http-port 80] [--udp-port 5353] [--ready FILE]

HTTP/1.1 with keep-alive on every address (IPv4 and IPv6, so also on a VIP
held on lo): any GET answers the body "NAME\\n". UDP on every address: any
datagram is answered with "NAME\\n", sent from the address it arrived at
(a DR real server must answer from the VIP). FILE is created once both are
listening. Runs until killed; idle keep-alive connections close after 30 s.
"""

import argparse
import http.server
import socket
import struct
import sys
import threading

IP_PKTINFO = getattr(socket, "IP_PKTINFO", 8)
IPV6_RECVPKTINFO = getattr(socket, "IPV6_RECVPKTINFO", 49)
IPV6_PKTINFO = getattr(socket, "IPV6_PKTINFO", 50)


class DualStackServer(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6
    daemon_threads = True
    request_queue_size = 128

    def server_bind(self):
        self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        super().server_bind()


def send_text(handler, status, body):
    """Answers handler's request: status, and body (bytes) as text/plain."""
    handler.send_response(status)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def make_handler(name):
    body = (name + "\n").encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30  # bounds an idle keep-alive connection

        def do_GET(self):
            send_text(self, 200, body)

        def log_message(self, fmt, *args):
            pass

    return Handler


def udp_serve(sock, family, name):
    """Answers each datagram from the local address it was sent to."""
    reply = (name + "\n").encode()
    while True:
        data, anc, _flags, peer = sock.recvmsg(2048, 256)
        cmsgs = []
        for level, ctype, cdata in anc:
            if family == socket.AF_INET and level == socket.IPPROTO_IP and ctype == IP_PKTINFO:
                # struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }
                _ifindex, _spec, dst = struct.unpack("=I4s4s", cdata[:12])
                cmsgs.append((socket.IPPROTO_IP, IP_PKTINFO,
                              struct.pack("=I4s4s", 0, dst, b"\0" * 4)))
            elif family == socket.AF_INET6 and level == socket.IPPROTO_IPV6 and ctype == IPV6_PKTINFO:
                # struct in6_pktinfo { in6_addr addr; int ifindex; }
                dst, _ifindex = struct.unpack("=16sI", cdata[:20])
                cmsgs.append((socket.IPPROTO_IPV6, IPV6_PKTINFO, struct.pack("=16sI", dst, 0)))
        try:
            sock.sendmsg([reply], cmsgs, 0, peer)
        except OSError as e:
            print(f"udp reply to {peer}: {e}", file=sys.stderr)


def udp_socket(family, port):
    sock = socket.socket(family, socket.SOCK_DGRAM)
    if family == socket.AF_INET:
        sock.setsockopt(socket.IPPROTO_IP, IP_PKTINFO, 1)
        sock.bind(("0.0.0.0", port))
    else:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.setsockopt(socket.IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)
        sock.bind(("::", port))
    return sock


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name")
    ap.add_argument("--http-port", type=int, default=80)
    ap.add_argument("--udp-port", type=int, default=5353)
    ap.add_argument("--ready", help="file to create once listening")
    args = ap.parse_args()

    httpd = DualStackServer(("::", args.http_port), make_handler(args.name))
    for family in (socket.AF_INET, socket.AF_INET6):
        sock = udp_socket(family, args.udp_port)
        threading.Thread(target=udp_serve, args=(sock, family, args.name),
                         daemon=True).start()
    if args.ready:
        open(args.ready, "w").close()
    httpd.serve_forever()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Opens COUNT TCP connections through a director, as clients' handshakes.

    conn_fill.py IFACE SRC_MAC DST_MAC VIP PORT COUNT [--sources N]
                 [--first-source ADDR] [--first-port P] [--batch B]

From raw frames on IFACE (AF_PACKET, so no local socket answers anything):
for each of COUNT flows, from N source addresses (ADDR, ADDR+1, ...) and
consecutive ports from P, a SYN to VIP:PORT and then the client's ACK,
with correct IPv4 and TCP checksums, to the director's MAC DST_MAC. The
director's data plane schedules each SYN and takes the connection to
ESTABLISHED on the ACK, as for a real client's handshake; the real
servers' SYN-ACKs are not needed for that (DR: the director never sees
them). After every B flows the sender yields for a moment, so that the
veths' queues (256 frames) do not overflow. Prints "sent N flows in S s".
"""

import argparse
import ipaddress
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
TCP_SYN = 0x02
TCP_ACK = 0x10


def csum(data):
    """The Internet checksum (RFC 1071) of DATA, an even number of bytes."""
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(eth, saddr, daddr, sport, dport, seq, ack, flags):
    """An Ethernet frame with a 20-byte IPv4 header (DF) and a 20-byte TCP
    header without options; ETH is the 14-byte Ethernet header."""
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags,
                      64240, 0, 0)
    pseudo = saddr + daddr + struct.pack("!BBH", 0, socket.IPPROTO_TCP, 20)
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0x4000, 64,
                     socket.IPPROTO_TCP, 0, saddr, daddr)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return eth + ip + tcp


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("iface")
    ap.add_argument("src_mac")
    ap.add_argument("dst_mac")
    ap.add_argument("vip")
    ap.add_argument("port", type=int)
    ap.add_argument("count", type=int)
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--first-source", default="198.19.0.1")
    ap.add_argument("--first-port", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=64)
    args = ap.parse_args()

    per_source = -(-args.count // args.sources)
    if args.first_port + per_source > 65536:
        sys.exit(f"conn_fill.py: {per_source} ports per source from "
                 f"{args.first_port} pass 65535: use more --sources")
    eth = (bytes.fromhex(args.dst_mac.replace(":", "")) +
           bytes.fromhex(args.src_mac.replace(":", "")) +
           struct.pack("!H", ETH_P_IP))
    daddr = ipaddress.IPv4Address(args.vip).packed
    first = int(ipaddress.IPv4Address(args.first_source))
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((args.iface, 0))
    start = time.monotonic()
    for i in range(args.count):
        saddr = (first + i % args.sources).to_bytes(4, "big")
        sport = args.first_port + i // args.sources
        isn = 1000 + i
        sock.send(frame(eth, saddr, daddr, sport, args.port, isn, 0,
                        TCP_SYN))
        sock.send(frame(eth, saddr, daddr, sport, args.port, isn + 1, 1,
                        TCP_ACK))
        if i % args.batch == args.batch - 1:
            time.sleep(0)
    print(f"sent {args.count} flows in {time.monotonic() - start:.2f} s",
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

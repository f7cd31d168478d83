#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Holds N kept-alive HTTP connections open, for test_conns.sh.

    conn_hold.py URL N [--timeout S] [--deadline S]

Opens N connections one after the other, one GET on each, and prints
"open NAME..." (the server that answered each) and "ports PORT..." (their
local ports), then reads commands from stdin, one per line:
    get     one more GET on each; prints "open NAME..." again
    close   closes every connection (FIN from the client), prints "closed"
            and exits; so does end of input or --deadline seconds of
            silence.
A failure prints "error KIND: detail" and exits 1.
"""

import argparse
import os
import select
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client import Conn, failure_kind, parse_url  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url")
    ap.add_argument("n", type=int)
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--deadline", type=float, default=120.0,
                    help="longest wait for a command (s)")
    args = ap.parse_args()
    host, port, path = parse_url(args.url)
    conns = []
    try:
        for _ in range(args.n):
            conns.append(Conn(host, port, path, args.timeout))
        print("open " + " ".join(c.get() for c in conns), flush=True)
        print("ports " + " ".join(str(c.sock.getsockname()[1]) for c in conns),
              flush=True)
        while select.select([sys.stdin], [], [], args.deadline)[0]:
            cmd = sys.stdin.readline().strip()
            if cmd != "get":
                break
            print("open " + " ".join(c.get() for c in conns), flush=True)
    except Exception as e:
        print(f"error {failure_kind(e)}: {e}", flush=True)
        return 1
    finally:
        for c in conns:
            c.close()
    print("closed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

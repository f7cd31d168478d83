#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes ctl.json (bench/benchjson.py's shape) from bench/ctl/run.sh's work.

    ctl_json.py OUT WORK --services S --rs-per-svc R --lines L --pairs P
                --conns C --made M --listed N

WORK holds hyperfine's exports (restore, add, add_del and list .json) and
the commands as run (commands, one per line). The issue sets no target
for the control plane and nothing else here is comparable (this kernel
has no IPVS), so ratio, target and met are null; "note" gives the cost
per line or per connection.
"""

import argparse
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import benchjson  # noqa: E402


def rounds_ms(work, name):
    """The runs of hyperfine's export WORK/NAME.json, in milliseconds."""
    with open(os.path.join(work, name + ".json")) as f:
        return [t * 1000 for t in json.load(f)["results"][0]["times"]]


def profile(work, name):
    """WORK/NAME.prof's lines ("26.53%  xvsd  [.] symbol") as a list of
    {"share": %, "comm": ..., "symbol": ...}; empty without the file."""
    rows = []
    try:
        with open(os.path.join(work, name + ".prof")) as f:
            for line in f:
                w = line.split()
                if len(w) >= 4 and w[0].endswith("%"):
                    rows.append({"share": float(w[0][:-1]), "comm": w[1],
                                 "symbol": " ".join(w[3:])})
    except OSError:
        pass
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("work")
    for opt in ("services", "rs-per-svc", "lines", "pairs", "conns", "made",
                "listed"):
        ap.add_argument("--" + opt, type=int, required=True)
    a = ap.parse_args()

    restore = rounds_ms(a.work, "restore")
    add = rounds_ms(a.work, "add")
    per_cmd_us = [t * 1000 / (2 * a.pairs)
                  for t in rounds_ms(a.work, "add_del")]
    listing = rounds_ms(a.work, "list")
    dests = a.services * a.rs_per_svc
    per_line_us = statistics.median(restore) * 1000 / a.lines
    per_conn_us = statistics.median(listing) * 1000 / max(a.listed, 1)
    results = [
        benchjson.result(
            f"xvsadm -R: {a.services:,} services x {a.rs_per_svc} real "
            f"servers", "ms", restore, services=a.services,
            real_servers=dests, lines=a.lines,
            profile=profile(a.work, "restore"),
            note=f"{per_line_us:.0f} us per line of {a.lines:,}"),
        benchjson.result(
            "xvsadm -a: one real server more, into that table", "ms", add,
            note=f"table of {a.services:,} services, {dests:,} real servers"),
        benchjson.result(
            f"xvsadm -R of {a.pairs} x (-a, -d) of it: per command", "us",
            per_cmd_us, note="the daemon's share of -a, without xvsadm's "
            "start"),
        benchjson.result(
            f"xvsadm -L -c -n: {a.conns:,} connections", "ms", listing,
            connections_made=a.made, connections_listed=a.listed,
            profile=profile(a.work, "list"),
            made_by="traffic through the data plane: bench/ctl/conn_fill.py "
                    "sends, from the client namespace, a TCP SYN and then "
                    "the ACK of each connection (100 source addresses) to "
                    "a DR service; the data plane schedules each SYN and "
                    "moves the entry to ESTABLISHED on the ACK",
            note=f"{a.listed:,} listed, {per_conn_us:.2f} us per "
                 f"connection"),
    ]
    with open(os.path.join(a.work, "commands")) as f:
        commands = ["QUICK=%s bash bench/ctl/run.sh" %
                    os.environ.get("QUICK", "0")]
        commands += [line.strip() for line in f if line.strip()]
    benchjson.write_part(a.out, "ctl", commands, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

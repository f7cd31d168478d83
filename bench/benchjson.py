#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The raw numbers of one part of `make bench`, as bench/report.py reads them.

Every part writes $BENCH_RESULTS/<part>.json (bench/results by default,
build/bench/results with QUICK=1; pkt also table.json, e2e also
synflood.json), each in this shape:

    {"part": "ctl", "date": ISO-8601, "machine": {"cores": N,
     "kernel": "...", "cpu": "..."}, "commands": ["..."],
     "results": [{"name": "...", "unit": "...", "median": x,
                  "rounds": [...], "ratio": r, "ratio_to": "...",
                  "target": "<= 3x floor", "met": true|false|null, ...}]}

A part that did not finish has "failed": "why" and no results (written by
bench/run.sh). Used from Python (import benchjson) or from a shell:

    benchjson.py failed PART FILE REASON   the file of a failed part
    benchjson.py machine                   this machine, as JSON
"""

import datetime
import json
import os
import platform
import statistics
import sys


def machine():
    """Cores, kernel release and CPU model of this machine."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "kernel": platform.release(), "cpu": cpu}


def result(name, unit, rounds, ratio=None, ratio_to=None, target=None,
           met=None, **extra):
    """One row: the median of ROUNDS, its ratio to RATIO_TO and whether
    TARGET (a text such as "<= 3x floor") was met; EXTRA fields are kept
    as they are (e.g. how the input was made)."""
    row = {"name": name, "unit": unit,
           "median": statistics.median(rounds) if rounds else None,
           "rounds": list(rounds), "ratio": ratio, "ratio_to": ratio_to,
           "target": target, "met": met}
    row.update(extra)
    return row


def write_part(path, part, commands, results, **extra):
    """Writes PATH atomically (a reader never sees half a file)."""
    doc = {"part": part,
           "date": datetime.datetime.now(datetime.timezone.utc)
           .isoformat(timespec="seconds"),
           "machine": machine(), "commands": list(commands),
           "results": list(results)}
    doc.update(extra)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    os.replace(tmp, path)


def main(argv):
    if len(argv) == 5 and argv[1] == "failed":
        write_part(argv[3], argv[2], [], [], failed=argv[4])
        return 0
    if len(argv) == 2 and argv[1] == "machine":
        print(json.dumps(machine()))
        return 0
    sys.stderr.write("usage: benchjson.py failed PART FILE REASON\n"
                     "       benchjson.py machine\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns pktbench's measurements (one JSON object per line) into
bench/results/pkt.json and table.json, in the shared schema of
bench/benchjson.py.

    results.py OUTDIR WORK

WORK (bench/pkt/run.sh's) holds: commands (one per line, as run),
pkt.jsonl and table-N.jsonl (pktbench's output), and profiles, lines of
"CASE<TAB>FILE": perf's top symbols of one more run of CASE, in the shape
bench/ctl's profile() reads (report.py prints them under the table).

Cases timed through the harness (bench/bpf/harness.bpf.c) are reported
harness-subtracted: each round's time minus the time of the harness
alone, in the same mode and the same round; the raw times stay in the row
(raw_rounds, raw_median). Ratios are to the floor (a MAC swap, XDP_TX)
measured in the same run.
"""

import glob
import json
import os
import re
import statistics
import sys

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path[:0] = [BENCH, os.path.join(BENCH, "ctl")]
import benchjson  # noqa: E402
from ctl_json import profile  # noqa: E402  (one reader of perf's top lines)

FLOOR = "floor"
FLOOR_TEXT = "floor (MAC swap, XDP_TX)"
FULL_REPEAT = 10000000  # the issue's; fewer are said in the row's note
NOTES = {
    FLOOR: "bench/bpf/xdp_tx_floor.bpf.c, plain repeat",
    "established DR": "plain repeat: DR rewrites only the MACs, the same "
                      "way every time",
    "not a virtual service": "plain repeat: XDP_PASS leaves the frame "
                             "alone",
    "established DR via harness": "established DR's packet through the "
                                  "harness: how close its subtraction "
                                  "comes to the plain repeat",
    "established TUN (IPIP)": "includes the harness's bpf_xdp_adjust_head "
                              "taking the last outer header off, which "
                              "the harness alone does not pay",
}


def read_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def by_case(lines):
    """Rows per case, in the order the cases first appear."""
    cases = {}
    for row in lines:
        cases.setdefault(row["case"], []).append(row)
    for rows in cases.values():
        rows.sort(key=lambda r: r.get("round", 0))
    return cases


def calibrations(cases):
    """Harness-alone time per mode and round: {mode: {round: ns}}."""
    cal = {}
    for rows in cases.values():
        for r in rows:
            if "calibrates" in r:
                cal.setdefault(r["calibrates"], {})[r["round"]] = r["ns"]
    return cal


def ratio_fields(median, floor, target_x):
    ratio = round(median / floor, 2) if floor else None
    if not target_x:
        return {"ratio": ratio, "ratio_to": FLOOR_TEXT, "target": None,
                "met": None}
    return {"ratio": ratio, "ratio_to": FLOOR_TEXT,
            "target": "<= %gx floor" % target_x,
            "met": ratio is not None and ratio <= target_x}


def timing_row(name, rows, cal, floor, note=None, **extra):
    """One case's row: plain, or harness-subtracted round by round."""
    raw = [r["ns"] for r in rows]
    mode = rows[0].get("harness")
    repeat = rows[0]["repeat"]
    notes = [note] if note else []
    fields = {"repeat": repeat,
              "wall_ns_median": round(statistics.median(
                  r["wall_ns"] for r in rows), 1)}
    if mode:
        sub = [r["ns"] - cal[mode][r["round"]] for r in rows]
        fields.update(basis="harness-subtracted (ratio uses it)",
                      harness=mode, raw_rounds=raw,
                      raw_median=statistics.median(raw),
                      harness_median=statistics.median(
                          cal[mode][r["round"]] for r in rows))
        notes.append("harness-subtracted: %g raw - %g harness" %
                     (fields["raw_median"], fields["harness_median"]))
        rounds = sub
    else:
        fields["basis"] = "plain repeat"
        rounds = raw
    if repeat < FULL_REPEAT:
        notes.append("%s repetitions per round" % format(repeat, ","))
    fields.update(extra)
    fields["note"] = "; ".join(notes)
    median = statistics.median(rounds)
    return benchjson.result(name, "ns/packet", rounds,
                            **ratio_fields(median, floor,
                                           rows[0].get("target_x")),
                            **fields)


def pkt_results(lines, profiles):
    """Every case of the per-packet run; PROFILES: case -> perf's top."""
    cases = by_case(lines)
    cal = calibrations(cases)
    floor = statistics.median(r["ns"] for r in cases[FLOOR])
    out = []
    for name, rows in cases.items():
        extra = {k: rows[0][k] for k in ("sched", "servers") if k in rows[0]}
        note = NOTES.get(name)
        if name.startswith("new flow"):
            note = "a connection table of %s (xvsd's default) kept full: " \
                   "each new flow makes the LRU evict one" \
                   % format(rows[0]["conn_table_size"], ",")
        if "calibrates" in rows[0]:
            note = "the harness alone, subtracted from the cases timed " \
                   "through it"
        if name in profiles:
            extra["profile"] = profiles[name]
        out.append(timing_row(name, rows, cal, floor, note, **extra))
    return out


def table_results(lines):
    """Per table size: its memory, the cost of filling it, and the cost
    of an established flow's packet once it is full."""
    out = []
    for m in (r for r in lines if r["case"] == "memory"):
        n = m["table_size"]
        out += memory_rows(m)
        cases = by_case(r for r in lines if r.get("table_size") == n
                        and r["case"] != "memory")
        cal = calibrations(cases)
        floor = statistics.median(r["ns"] for r in cases[FLOOR])
        for name, rows in cases.items():
            if "calibrates" in rows[0]:
                continue
            hits = sum(r.get("hits", 0) for r in rows)
            reps = sum(r["repeat"] for r in rows)
            note = None
            if name != FLOOR and hits < reps:
                note = "%.3f%% of the flows drawn were evicted while " \
                       "filling (to the kernel)" % (100 - 100 * hits / reps)
            out.append(timing_row("%s, full %s-entry table"
                                  % (name, format(n, ",")),
                                  rows, cal, floor, note, table_size=n))
    return out


def memory_rows(m):
    """What a table of m["table_size"] entries takes, and filling it."""
    n = m["table_size"]
    size = format(n, ",")
    table = m["conns_memlock"] + m["nat_replies_memlock"]
    per_conn = table / n
    return [
        benchjson.result(
            "memory per tracked connection, %s-entry table" % size, "bytes",
            [round(per_conn, 1)], ratio=round(per_conn / 128, 2),
            ratio_to="128 bytes", target="<= 128 bytes",
            met=per_conn <= 128,
            note="conns %.0f + nat_replies %.0f bytes per entry (conns: "
                 "key %d + value %d bytes), both preallocated"
                 % (m["conns_memlock"] / n, m["nat_replies_memlock"] / n,
                    m["key_size"], m["value_size"]),
            basis="fdinfo memlock of conns + nat_replies (both "
                  "preallocated at the table's size) / table size",
            conns_bytes_per_entry=round(m["conns_memlock"] / n, 1),
            nat_replies_bytes_per_entry=round(
                m["nat_replies_memlock"] / n, 1),
            key_size=m["key_size"], value_size=m["value_size"],
            all_maps_bytes=m["all_maps_memlock"],
            vmalloc_rise_bytes=m["vmalloc_rise"]),
        benchjson.result(
            "table memory, %s entries" % size, "MiB",
            [round(table / 2**20, 1)], entries=m["entries"],
            evicted_while_filling=m["evicted_while_filling"],
            established=m["established"],
            data_plane_mib=round(m["all_maps_memlock"] / 2**20, 1),
            vmalloc_rise_mib=round(m["vmalloc_rise"] / 2**20, 1),
            note="%s entries after filling; every map of the data plane "
                 "%.0f MiB; VmallocUsed (system-wide) moved by %.0f MiB "
                 "while it loaded"
                 % (format(m["entries"], ","), m["all_maps_memlock"] / 2**20,
                    m["vmalloc_rise"] / 2**20)),
        benchjson.result(
            "new connection while filling the %s-entry table" % size,
            "ns/packet", [m["fill_ns"] - m["harness_ns"]],
            basis="harness-subtracted, one pass of %d SYNs" % n,
            raw_rounds=[m["fill_ns"]], harness_median=m["harness_ns"],
            note="one pass of %s SYNs: %g raw - %g harness"
                 % (size, m["fill_ns"], m["harness_ns"])),
    ]


def read_profiles(work):
    """Case name -> its profile, from WORK/profiles."""
    out = {}
    try:
        with open(os.path.join(work, "profiles")) as f:
            for line in f:
                case, _, name = line.rstrip("\n").partition("\t")
                rows = profile(work, name)
                if rows:
                    out[case] = rows
    except OSError:
        pass
    return out


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    outdir, work = argv[1:]
    with open(os.path.join(work, "commands")) as f:
        commands = [c.strip() for c in f if c.strip()]
    benchjson.write_part(os.path.join(outdir, "pkt.json"), "pkt", commands,
                         pkt_results(read_lines(os.path.join(work,
                                                             "pkt.jsonl")),
                                     read_profiles(work)))
    tables = sorted(glob.glob(os.path.join(work, "table-*.jsonl")),
                    key=lambda p: int(re.sub(r"\D", "", os.path.basename(p))))
    table_lines = [row for path in tables for row in read_lines(path)]
    if table_lines:
        benchjson.write_part(os.path.join(outdir, "table.json"), "table",
                             commands, table_results(table_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

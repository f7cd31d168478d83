#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""What bench/e2e/run.sh needs beyond the shell: wrk's numbers recorded
one run per line (records.jsonl), the director's XDP program and its
counters read through bpftool, and the two result files written in the
shape of bench/benchjson.py.

    results.py record FILE CONFIG MODE ROUND XDP < wrk output
    results.py xdp-mode < `ip -j -d link show dev IF`   -> "native 42"
    results.py map-id PROG_ID MAP_NAME                   -> map id
    results.py global-stats MAP_ID                       -> summed JSON
    results.py flood-record FILE ROUND WRK_OUT FLOOD_JSON GS_BEFORE
               GS_AFTER RX_BEFORE RX_AFTER TABLE_JSON XDP
    results.py write e2e|synflood RECORDS OUT SETUP_JSON COMMAND...
"""

import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))
import benchjson  # noqa: E402

CONFIGS = {
    "direct": "direct to one nginx (no balancer)",
    "xvs-dr": "xvs DR",
    "xvs-tun": "xvs TUN (IPIP)",
    "xvs-nat": "xvs NAT",
    "hashfwd": "stateless XDP hash-and-forward",
    "haproxy": "HAProxy mode tcp",
    "nginx-stream": "nginx stream",
}
MODES = {"keepalive": "keep-alive", "close": "Connection: close"}
ERRORS = ("connect", "read", "write", "status", "timeout")
XDP_MODES = {0: "none", 1: "native", 2: "generic", 3: "offload", 4: "multi"}
# Targets of issue 6: (mode, config, reference, factor).
TARGETS = [("keepalive", "xvs-dr", "hashfwd", 0.95),
           ("keepalive", "xvs-dr", "haproxy", 1.35),
           ("close", "xvs-dr", "haproxy", 1.6)]


def wrk_numbers(text):
    """The WRKJSON line of wrk_report.lua, with req/s and errors added."""
    for line in text.splitlines():
        if line.startswith("WRKJSON "):
            w = json.loads(line[len("WRKJSON "):])
            w["rps"] = w["requests"] / (w["duration_us"] / 1e6)
            w["errors"] = sum(w[k] for k in ERRORS)
            return w
    raise ValueError("no WRKJSON line in wrk's output:\n" + text[-2000:])


def append(path, rec):
    with open(path, "a") as f:
        f.write(json.dumps(rec) + "\n")


def show(rec, what):
    print("  %-14s %-10s round %s: %9.0f req/s  p50 %7.3f ms  p99 %7.3f ms"
          "  errors %d%s" % (rec["config"], rec["mode"], rec["round"],
                             rec["rps"], rec["p50_us"] / 1e3,
                             rec["p99_us"] / 1e3, rec["errors"], what))


def cmd_record(path, config, mode, rnd, xdp):
    rec = {"config": config, "mode": mode, "round": int(rnd), "xdp": xdp}
    rec.update(wrk_numbers(sys.stdin.read()))
    append(path, rec)
    show(rec, "")


def cmd_xdp_mode():
    """Mode and program id of the XDP program on one interface."""
    link = json.load(sys.stdin)[0]
    xdp = link.get("xdp") or {}
    mode = XDP_MODES.get(xdp.get("mode", 0), str(xdp.get("mode")))
    print(mode, xdp.get("prog", {}).get("id", 0))


def bpftool(*args):
    out = subprocess.run(["bpftool", "-j"] + list(args), check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def cmd_map_id(prog_id, name):
    for map_id in bpftool("prog", "show", "id", prog_id).get("map_ids", []):
        if bpftool("map", "show", "id", str(map_id)).get("name") == name:
            print(map_id)
            return
    raise SystemExit("program %s has no map %s" % (prog_id, name))


def cmd_global_stats(map_id):
    """A per-CPU struct of counters (BTF-formatted dump), summed."""
    total = {}
    for entry in bpftool("map", "dump", "id", map_id):
        for cpu in entry.get("formatted", entry)["values"]:
            for k, v in cpu["value"].items():
                total[k] = total.get(k, 0) + v
    print(json.dumps(total))


def load(path):
    with open(path) as f:
        return json.load(f)


def cmd_flood_record(path, rnd, wrk_out, flood, gs0, gs1, rx0, rx1, table,
                     xdp):
    with open(wrk_out) as f:
        rec = {"config": "xvs-dr", "mode": "flood", "round": int(rnd),
               "xdp": xdp}
        rec.update(wrk_numbers(f.read()))
    rec["flood"] = load(flood)
    a, b = load(gs0), load(gs1)
    rec["dp"] = {k: b[k] - a.get(k, 0) for k in b}
    a, b = load(rx0), load(rx1)
    rec["rx"] = {k: b[k] - a.get(k, 0) for k in b}
    rec["table"] = load(table)
    append(path, rec)
    show(rec, "  (under %.0f SYN/s)" % rec["flood"]["pps"])


def read_records(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def pick(recs, config, mode):
    return sorted((r for r in recs if r["config"] == config and
                   r["mode"] == mode), key=lambda r: r["round"])


def med(xs):
    return statistics.median(xs) if xs else None


def wrk_row(name, runs, ref=None, ref_name=None, target=None, factor=None):
    """One configuration's req/s over its rounds, with latency and errors
    as extra fields; the ratio of medians to REF's runs."""
    rps = [r["rps"] for r in runs]
    p50 = med([r["p50_us"] / 1e3 for r in runs])
    p99 = med([r["p99_us"] / 1e3 for r in runs])
    errors = sum(r["errors"] for r in runs)
    ratio = met = None
    if ref and med(rps) is not None:
        ratio = med(rps) / med([r["rps"] for r in ref])
        if factor is not None:
            met = ratio >= factor
    return benchjson.result(
        name, "req/s", rps, ratio=ratio, ratio_to=ref_name, target=target,
        met=met, note="p50 %.2f ms, p99 %.2f ms, %d errors" % (p50, p99, errors),
        p50_ms=p50, p99_ms=p99,
        p50_ms_rounds=[r["p50_us"] / 1e3 for r in runs],
        p99_ms_rounds=[r["p99_us"] / 1e3 for r in runs],
        errors=errors,
        errors_rounds=[{k: r[k] for k in ERRORS} for r in runs],
        director_xdp=sorted({r.get("xdp", "") for r in runs}))


def e2e_results(recs):
    rows = []
    for mode, mlabel in MODES.items():
        direct = pick(recs, "direct", mode)
        for config, clabel in CONFIGS.items():
            runs = pick(recs, config, mode)
            if runs:
                rows.append(wrk_row("%s: %s" % (mlabel, clabel), runs, direct,
                                    "direct"))
    for mode, config, ref, factor in TARGETS:
        runs, refs = pick(recs, config, mode), pick(recs, ref, mode)
        if runs and refs:
            rows.append(wrk_row(
                "%s: %s vs %s" % (MODES[mode], CONFIGS[config], CONFIGS[ref]),
                runs, refs, CONFIGS[ref], ">= %gx" % factor, factor))
    return rows


def synflood_results(recs):
    base, flood = pick(recs, "xvs-dr", "flood-baseline"), \
        pick(recs, "xvs-dr", "flood")
    if not flood:
        return []
    secs = [r["flood"]["seconds"] for r in flood]
    offered = [r["flood"]["pps"] for r in flood]
    held = [r["dp"]["conn_new"] / s for r, s in zip(flood, secs)]
    seen = [r["dp"]["rx_packets"] / s for r, s in zip(flood, secs)]
    counters = ("conn_new", "conn_evicted", "pass_no_conn", "drop_conn_busy",
                "drop_sched_busy", "fwd_tx", "rx_packets")
    rows = [
        wrk_row("keep-alive through xvs DR, no flood", base),
        wrk_row("keep-alive through xvs DR, during the SYN flood", flood,
                base, "no flood"),
        benchjson.result(
            "errors on established connections during the SYN flood",
            "errors", [r["errors"] for r in flood], target="0",
            met=all(r["errors"] == 0 for r in flood),
            errors_rounds=[{k: r[k] for k in ERRORS} for r in flood]),
        benchjson.result("SYNs offered (generator)", "SYN/s", offered,
                         note="one sender on CPU 0: its sends carry the "
                         "whole path (bridge, director, real server) in "
                         "softirq", flood_seconds=secs,
                         sent=[r["flood"]["sent"] for r in flood],
                         send_errors=[r["flood"]["errors"] for r in flood]),
        benchjson.result(
            "SYNs held: connections created by the data plane", "SYN/s",
            held, ratio=med(held) / med(offered) if med(offered) else None,
            ratio_to="offered"),
        benchjson.result("packets seen by the director's XDP program",
                         "packets/s", seen,
                         note="dropped before XDP on dir's eth0: %d" %
                         sum(r["rx"].get("rx_dropped", 0) for r in flood),
                         rx_dropped=[r["rx"].get("rx_dropped", 0)
                                     for r in flood]),
        benchjson.result(
            "connection table fill at the end of the flood", "entries",
            [r["table"]["entries"] for r in flood],
            ratio=med([r["table"]["entries"] / r["table"]["size"]
                       for r in flood]),
            ratio_to="table size",
            note="evicted by the LRU: %d; established packets without an "
            "entry: %d; ActiveConn + InActConn: %d" % (
                sum(r["dp"].get("conn_evicted", 0) for r in flood),
                sum(r["dp"].get("pass_no_conn", 0) for r in flood),
                med([r["table"]["counted"] for r in flood])),
            table_size=flood[0]["table"]["size"],
            counted_rounds=[r["table"]["counted"] for r in flood],
            list_seconds_rounds=[r["table"]["list_seconds"] for r in flood],
            counters_rounds=[{k: r["dp"].get(k, 0) for k in counters}
                             for r in flood]),
    ]
    return rows


def cmd_write(part, records, out, setup, commands):
    recs = read_records(records)
    rows = e2e_results(recs) if part == "e2e" else synflood_results(recs)
    benchjson.write_part(out, part, commands, rows, setup=json.loads(setup))
    print("  wrote %s (%d results)" % (out, len(rows)))


def main(argv):
    cmds = {"record": (cmd_record, 5), "xdp-mode": (cmd_xdp_mode, 0),
            "map-id": (cmd_map_id, 2), "global-stats": (cmd_global_stats, 1),
            "flood-record": (cmd_flood_record, 10)}
    if len(argv) >= 2 and argv[1] in cmds and \
            len(argv) - 2 == cmds[argv[1]][1]:
        cmds[argv[1]][0](*argv[2:])
        return 0
    if len(argv) >= 6 and argv[1] == "write" and \
            argv[2] in ("e2e", "synflood"):
        cmd_write(argv[2], argv[3], argv[4], argv[5], argv[6:])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))

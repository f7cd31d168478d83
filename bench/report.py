#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Writes the tables of docs/benchmarks.md from bench/results/*.json.

    report.py [--results DIR] [--doc FILE] [--out FILE]

Reads every DIR/<part>.json (the shape of bench/benchjson.py) and replaces
what lies between the markers <!-- results:begin --> and
<!-- results:end --> of FILE (docs/benchmarks.md) with: the machine, the
date and the exact commands of each part, and one table per part (median,
spread of the rounds, ratio, target, met or "missed by N%"). The text
around the markers is kept as it is; it is written to --out (default
FILE itself). A part that failed is shown as failed, with why.
"""

import argparse
import glob
import json
import os
import re
import sys

BEGIN = "<!-- results:begin -->"
END = "<!-- results:end -->"
# Parts in the order make bench runs them; others follow, by name.
TITLES = {
    "pkt": "Per packet (bench/pkt)",
    "table": "The connection table (bench/pkt)",
    "e2e": "End to end (bench/e2e)",
    "synflood": "Under a SYN flood (bench/e2e)",
    "ctl": "Control plane (bench/ctl)",
}


def num(x):
    """A measured value, with as many digits as a reader can use."""
    if x is None:
        return "—"
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    a = abs(x)
    if a >= 1000:
        return f"{x:,.0f}"
    if a >= 100:
        return f"{x:.0f}"
    if a >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def cell(text):
    """TEXT safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def verdict(row):
    """met, "missed by N%" (how far the ratio, for a target such as
    "<= 3x floor", or else the median, for one such as "<= 128 bytes", is
    from the target's bound), or — without a target."""
    met = row.get("met")
    if met is True:
        return "met"
    if met is None:
        return "—" if not row.get("target") else "not judged"
    m = re.search(r"(<=|>=|≤|≥|<|>)\s*([0-9.]+)\s*([x×]?)",
                  row.get("target") or "")
    value = row.get("ratio" if m and m.group(3) else "median")
    if value is None or not m or float(m.group(2)) == 0:
        return "**missed**"
    bound = float(m.group(2))
    if m.group(1) in ("<=", "≤", "<"):
        by = (value / bound - 1) * 100
    else:
        by = (1 - value / bound) * 100
    return f"**missed by {by:.0f}%**"


def spread(row):
    """min–max of the rounds and how many there were."""
    rounds = [r for r in row.get("rounds") or [] if isinstance(r, (int, float))]
    if not rounds:
        return "—"
    if len(rounds) == 1:
        return "1 round"
    return f"{num(min(rounds))}–{num(max(rounds))} ({len(rounds)})"


def ratio(row):
    if row.get("ratio") is None:
        return "—"
    to = row.get("ratio_to")
    return f"{row['ratio']:.2f}×" + (f" {to}" if to else "")


def part_section(doc):
    """The Markdown of one part's file."""
    part = doc.get("part", "?")
    out = [f"### {TITLES.get(part, part)}", ""]
    if doc.get("failed"):
        out += [f"**Failed** ({doc.get('date', 'no date')}):", "", "```",
                doc["failed"].rstrip(), "```", ""]
        return out
    out += [f"Run {doc.get('date', '?')}:", "", "```"]
    out += doc.get("commands") or ["(no commands recorded)"]
    out += ["```", ""]
    rows = doc.get("results") or []
    if not rows:
        return out + ["No results.", ""]
    notes = any(r.get("note") for r in rows)
    head = ["measurement", "median", "unit", "min–max (rounds)", "ratio",
            "target", "result"] + (["note"] if notes else [])
    out += ["| " + " | ".join(head) + " |",
            "|" + "---|" * len(head)]
    for r in rows:
        line = [r.get("name", "?"), num(r.get("median")), r.get("unit", ""),
                spread(r), ratio(r), r.get("target") or "—", verdict(r)]
        if notes:
            line.append(r.get("note") or "")
        out.append("| " + " | ".join(cell(c) for c in line) + " |")
    out.append("")
    for r in rows:
        if r.get("profile"):
            comms = sorted({p["comm"] for p in r["profile"]})
            top = ", ".join(f"{p['share']:.1f}% {p['comm']} `{p['symbol']}`"
                            for p in r["profile"])
            out += [f"Profile of one more run of {r.get('name', '?')}, "
                    f"the top symbols as shares of the samples in "
                    f"{' and '.join(comms)}: {top}.", ""]
    return out


def machine_line(docs):
    """The machine of the run; every distinct one if the parts differ."""
    seen = []
    for d in docs:
        m = d.get("machine")
        if m and m not in seen:
            seen.append(m)
    if not seen:
        return ["Machine: not recorded."]
    lines = [f"Machine: {m.get('cores', '?')} cores, {m.get('cpu', '?')}, "
             f"Linux {m.get('kernel', '?')}." for m in seen]
    if len(lines) > 1:
        lines.insert(0, "**The parts ran on different machines:**")
    return lines


def generate(results_dir):
    """The text between the markers."""
    docs = []
    for path in glob.glob(os.path.join(results_dir, "*.json")):
        with open(path) as f:
            docs.append(json.load(f))
    order = list(TITLES)
    docs.sort(key=lambda d: (order.index(d["part"]) if d.get("part") in order
                             else len(order), d.get("part", "")))
    out = ["", "<!-- Written by bench/report.py from bench/results/*.json; "
           "edits here are overwritten. -->", ""]
    out += machine_line(docs)
    dates = sorted(d["date"] for d in docs if d.get("date"))
    if dates:
        out.append(f"Run {dates[0]}" + (f" to {dates[-1]}" if dates[-1] !=
                                        dates[0] else "") + " (UTC).")
    failed = [d.get("part", "?") for d in docs if d.get("failed")]
    if failed:
        out.append(f"**Failed parts: {', '.join(failed)}.**")
    missing = [p for p in TITLES if p not in [d.get("part") for d in docs]]
    if missing:
        out.append(f"Not run: {', '.join(missing)}.")
    out.append("")
    for d in docs:
        out += part_section(d)
    return "\n".join(out)


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", default=os.path.join(top, "bench/results"))
    ap.add_argument("--doc", default=os.path.join(top, "docs/benchmarks.md"))
    ap.add_argument("--out")
    a = ap.parse_args()
    with open(a.doc) as f:
        text = f.read()
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        sys.exit(f"report.py: {a.doc} lacks {BEGIN} ... {END}")
    text = (text[:start + len(BEGIN)] + "\n" + generate(a.results) + "\n" +
            text[end:])
    out = a.out or a.doc
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

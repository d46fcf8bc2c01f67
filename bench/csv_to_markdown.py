#!/usr/bin/env python3
"""Markdown tables of NativeConv/peer ratios from bench/results/conv.csv or pool.csv, for docs/performance.md.

usage: csv_to_markdown.py RESULTS.csv [value]   value: ratio (default) | nativeconv | peer
One table per peer; a row per suite row; a column per isa x layout x threads.
"""
import csv
import sys


def main():
    path = sys.argv[1]
    value = sys.argv[2] if len(sys.argv) > 2 else "ratio"
    with open(path, newline="") as f:
        lines = list(csv.DictReader(f))
    speed = next(k for k in lines[0] if k.startswith("nativeconv_"))
    peer_speed = next(k for k in lines[0] if k.startswith("peer_") and k != "peer")
    column_of = {"ratio": "ratio", "nativeconv": speed, "peer": peer_speed}[value]
    peers = list(dict.fromkeys(line["peer"] for line in lines))
    for peer in peers:
        mine = [line for line in lines if line["peer"] == peer]
        rows = list(dict.fromkeys(line["row"] for line in mine))
        columns = list(dict.fromkeys((line["isa"], line["layout"], line["threads"]) for line in mine))
        cells = {(line["row"], (line["isa"], line["layout"], line["threads"])): line[column_of] for line in mine}
        print(f"\n**{peer}** ({value})\n")
        print("| row | " + " | ".join(f"{isa} {layout} {threads}t" for isa, layout, threads in columns) + " |")
        print("|---|" + "---:|" * len(columns))
        for row in rows:
            values = [format_cell(cells.get((row, column), ""), value) for column in columns]
            print(f"| {row} | " + " | ".join(values) + " |")


def format_cell(text, value):
    if text == "":
        return "–"
    number = float(text)
    if value != "ratio":
        return f"{number:.1f}"
    return f"**{number:.2f}**" if number < 1.0 else f"{number:.2f}"


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A day's SDN update for the rescreening benchmark: the 2021-07-07 primary file with the
first N entries that the 2024-05-03 file adds appended (OFAC adds tens of entries on a busy
day), leaving out entries already on OFAC's non-SDN list (one id space: on the benchmark's
store they are parties already). Written as OFAC writes it (CRLF lines), to be ingested as a
later version.

    python3 bench/screening/daily_update.py --count 50 --output /tmp/sdn_daily/sdn.csv
"""
import argparse
import os

HERE = os.path.dirname(os.path.abspath(__file__))
LISTS = os.path.join(HERE, "..", "..", "data", "lists")


def entries(path):
    with open(path, "rb") as f:
        data = f.read().replace(b"\x1a", b"")
    rows = {}
    for line in data.splitlines():
        key = line.split(b",", 1)[0]
        if key.strip().isdigit():
            rows[key] = line
    return data, rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    old, before = entries(os.path.join(LISTS, "ofac_sdn_2021-07-07", "sdn.csv"))
    _, after = entries(os.path.join(LISTS, "ofac_sdn_2024-05-03", "sdn.csv"))
    _, consolidated = entries(
        os.path.join(LISTS, "ofac_consolidated_non_sdn_2025-12", "cons_prim.csv")
    )
    added = [
        line
        for key, line in after.items()
        if key not in before and key not in consolidated
    ][: args.count]
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "wb") as f:
        f.write(old.rstrip(b"\r\n") + b"\r\n" + b"\r\n".join(added) + b"\r\n")
    print(f"{len(before)} entries and {len(added)} added: {args.output}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Helpers for bench/peer/run: the case sample, interdict's timing, and the side-by-side table.

    report.py sample CASES N OUT
    report.py time-interdict --bin BIN --db DB --cases CASES --out JSON [--repeat R] [--runs K]
    report.py table --cases CASES --interdict EVAL.json --interdict-timing T.json
                    --peer PEER.json --peer-details DETAILS.jsonl

Standard library only, so it runs under any python3.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def load_jsonl(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def cmd_sample(args: argparse.Namespace) -> None:
    """The first N cases by a hash of their id (deterministic), kept in file order."""
    with open(args.cases, encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip()]
    if 0 < args.n < len(lines):
        key = lambda line: hashlib.sha256(  # noqa: E731
            ("interdict-peer-bench:" + json.loads(line)["id"]).encode()
        ).hexdigest()
        keep = set(sorted(range(len(lines)), key=lambda i: key(lines[i]))[: args.n])
        lines = [line for i, line in enumerate(lines) if i in keep]
    with open(args.out, "w", encoding="utf-8") as out:
        out.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
    print(len(lines))


def pinned(cmd: list[str]) -> list[str]:
    """Runs a command on one core when taskset is there."""
    taskset = shutil.which("taskset")
    return [taskset, "-c", "0", *cmd] if taskset else cmd


def wall(cmd: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return time.perf_counter() - started, done.stdout


def cmd_time_interdict(args: argparse.Namespace) -> None:
    """Per-query throughput of `interdict eval screening` on one core.

    The eval screens its cases one after another in one thread, after loading the store and
    building the index (about 2 s). That fixed cost is measured with an empty case file and
    taken off: queries/s = R*N / (min wall(cases repeated R times) - min wall(no cases)), with R
    chosen so that at least --min-queries queries are timed (the fixed cost varies by a few
    tenths of a second between runs; the minimum is the least disturbed run).
    """
    cases = [line for line in open(args.cases, encoding="utf-8") if line.strip()]
    repeat = max(1, -(-args.min_queries // len(cases)))
    tmp = tempfile.mkdtemp(prefix="peer-time-")
    try:
        empty = os.path.join(tmp, "empty.jsonl")
        repeated = os.path.join(tmp, "repeated.jsonl")
        open(empty, "w").close()
        with open(repeated, "w", encoding="utf-8") as out:
            for _ in range(repeat):
                out.writelines(cases)
        base = [args.bin, "--db", args.db, "eval", "screening"]
        fixed, full, algo, p50s = [], [], None, []
        for _ in range(args.runs):
            fixed.append(wall(pinned(base + [empty]))[0])
            secs, text = wall(pinned(base + [repeated]))
            full.append(secs)
            m = re.search(r"p50 (\d+) µs.*\((.+)\)\s*$", text.strip())
            if m:
                p50s.append(int(m.group(1)))
                algo = m.group(2)
    finally:
        shutil.rmtree(tmp)
    n = repeat * len(cases)
    per_query = (min(full) - min(fixed)) / n
    report = {
        "algorithm": algo,
        "queries_timed": n,
        "runs": args.runs,
        "wall_fixed_s": fixed,
        "wall_with_cases_s": full,
        "mean_us_per_query": per_query * 1e6,
        "qps": 1.0 / per_query,
        "p50_us": p50s,
        "qps_from_p50": 1e6 / statistics.median(p50s) if p50s else None,
        "pinned_to_one_core": shutil.which("taskset") is not None,
    }
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2)


def rate(n: int, d: int) -> str:
    return f"{n / d:.3f}" if d else "-"


def cmd_table(args: argparse.Namespace) -> None:
    cases = {c["id"]: c for c in load_jsonl(args.cases)}
    ie = json.load(open(args.interdict, encoding="utf-8"))
    it = json.load(open(args.interdict_timing, encoding="utf-8"))
    pe = json.load(open(args.peer, encoding="utf-8"))
    pd = {d["id"]: d for d in load_jsonl(args.peer_details)}
    io, po = ie["overall"], pe["overall"]
    n = len(cases)
    assert pe["cases"] == n == io["positives"] + io["negatives"], "tools saw different cases"
    pt = pe["timing"]
    iq = it["qps"]
    version = args.interdict_version or "?"
    if it.get("algorithm"):
        version += f" ({it['algorithm']})"
    peer_version = f"nomenklatura {pe['version']} (ftm {pe['followthemoney']}, rigour {pe['rigour']})"

    print(f"## interdict vs nomenklatura {pe['algorithm']}: {n} cases, same list data\n")
    print("| tool | version | cases | recall@1 | recall@5 | FP rate | threshold | queries/s per core | ratio (interdict ÷ tool) |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| interdict | {version} | {n} | {rate(io['top1'], io['positives'])} | "
        f"{rate(io['top5'], io['positives'])} | {rate(io['false_positives'], io['negatives'])} | "
        f"0.70 (Vessel, Airplane 0.75) | {iq:,.0f} | 1 |"
    )
    for label, qps in (("scoring only", pt["qps_scoring"]), ("retrieval + scoring", pt["qps_total"])):
        print(
            f"| {pe['algorithm']}, {label} | {peer_version} | {n} | "
            f"{rate(po['top1'], po['positives'])} | {rate(po['top5'], po['positives'])} | "
            f"{rate(po['false_positives'], po['negatives'])} | {pe['threshold']:.2f} (yente default) | "
            f"{qps:,.1f} | {iq / qps:,.0f}× |"
        )

    print(
        f"\nPositives {io['positives']}, negatives {io['negatives']}. "
        f"Peer retrieval recall (expected entity among its {pe['candidates_per_query']} candidates): "
        f"{pe['retrieval_recall']:.3f}"
        + "".join(
            f", in the first {k}: {v:.3f}" for k, v in pe.get("retrieval_recall_at", {}).items()
        )
        + f". {pe['entities']} list entities, {pe['names_indexed']} names."
    )
    print(
        f"interdict: {it['mean_us_per_query']:.0f} µs/query mean = (fastest wall of eval over "
        f"{it['queries_timed']} queries − fastest wall of eval over none) ÷ {it['queries_timed']}, "
        f"{it['runs']} runs each{', taskset -c 0' if it['pinned_to_one_core'] else ''}; "
        f"p50 {statistics.median(it['p50_us']) if it['p50_us'] else '?'} µs "
        f"(1/p50 = {it['qps_from_p50'] or 0:,.0f} q/s)."
    )
    print(
        f"{pe['algorithm']}: retrieval {1e3 * pt['retrieval_s'] / n:.1f} ms/query, scoring "
        f"{1e3 * pt['scoring_s'] / n:.1f} ms/query ({pt['us_per_pair']:.0f} µs per compared pair, "
        f"{pt['pairs_scored']} pairs); load {pt['load_s']:.1f} s, index {pt['index_s']:.1f} s, "
        f"warm-up {pt['warmup_s']:.1f} s not counted."
    )

    # Per group and pool.
    print("\n| group | n | interdict r@1 | logic-v2 r@1 | interdict FP | logic-v2 FP |")
    print("|---|---|---|---|---|---|")
    rows = [(g, ie["groups"].get(g), pe["groups"].get(g)) for g in sorted(set(ie["groups"]) | set(pe["groups"]))]
    rows += [(f"pool {p}", ie["pools"].get(p), pe["pools"].get(p)) for p in sorted(set(ie["pools"]) | set(pe["pools"])) if p]
    for label, a, b in rows:
        a = a or {"positives": 0, "top1": 0, "negatives": 0, "false_positives": 0}
        b = b or {"positives": 0, "top1": 0, "negatives": 0, "false_positives": 0}
        size = a["positives"] + a["negatives"]
        print(
            f"| {label} | {size} | {rate(a['top1'], a['positives'])} | {rate(b['top1'], b['positives'])} | "
            f"{rate(a['false_positives'], a['negatives'])} | {rate(b['false_positives'], b['negatives'])} |"
        )

    # Where they disagree.
    i_miss = {m["id"]: m for m in ie["misses"]}
    i_fp = {m["id"]: m for m in ie["false_positives"]}
    pos = [cid for cid, c in cases.items() if c["kind"] == "must_match"]
    neg = [cid for cid, c in cases.items() if c["kind"] != "must_match"]
    peer_wins = [cid for cid in pos if cid in i_miss and pd[cid]["top1"]]
    interdict_wins = [cid for cid in pos if cid not in i_miss and not pd[cid]["top1"]]
    both_miss = [cid for cid in pos if cid in i_miss and not pd[cid]["top1"]]
    fp_only_i = [cid for cid in neg if cid in i_fp and not pd[cid]["false_positive"]]
    fp_only_p = [cid for cid in neg if cid not in i_fp and pd[cid]["false_positive"]]
    fp_both = [cid for cid in neg if cid in i_fp and pd[cid]["false_positive"]]
    print(
        f"\nTop-1 on positives: logic-v2 right where interdict misses: {len(peer_wins)}; "
        f"interdict right where logic-v2 misses: {len(interdict_wins)}; both miss: {len(both_miss)}."
    )
    print(
        f"False positives on negatives: interdict only: {len(fp_only_i)}; "
        f"logic-v2 only: {len(fp_only_p)}; both: {len(fp_both)}."
    )

    def show(title: str, ids: list[str], limit: int) -> None:
        if not ids:
            return
        print(f"\n{title} (first {min(limit, len(ids))} of {len(ids)}):\n")
        print("| case | query | expected | interdict first | logic-v2 first |")
        print("|---|---|---|---|---|")
        for cid in ids[:limit]:
            c = cases[cid]
            failed = i_miss.get(cid) or i_fp.get(cid)
            if failed is None:
                gi = "(expected)" if c["kind"] == "must_match" else "none"
            else:
                got_i = failed.get("got")
                gi = f"{got_i[0]} {got_i[2]:.3f}" if got_i else "none"
            gp = pd[cid]["got"]
            gpx = f"{gp[0][0]} {gp[0][2]:.3f}" if gp else "none"
            if c["kind"] == "must_match" and pd[cid].get("expected_score") is not None and not pd[cid]["top1"]:
                gpx += f" (expected {pd[cid]['expected_score']:.3f})"
            q = c["query"].replace("|", "\\|")
            print(f"| {cid} | {q} | {c.get('expected') or '-'} | {gi} | {gpx} |")

    show("Positives logic-v2 gets at top 1 and interdict does not", peer_wins, args.limit)
    show("Negatives only interdict flags", fp_only_i, args.limit)
    show("Positives interdict gets at top 1 and logic-v2 does not", interdict_wins, args.limit)
    show("Negatives only logic-v2 flags", fp_only_p, args.limit)


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("sample")
    p.add_argument("cases")
    p.add_argument("n", type=int)
    p.add_argument("out")
    p.set_defaults(func=cmd_sample)
    p = sub.add_parser("time-interdict")
    p.add_argument("--bin", required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--cases", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--min-queries", type=int, default=10000)
    p.add_argument("--runs", type=int, default=3)
    p.set_defaults(func=cmd_time_interdict)
    p = sub.add_parser("table")
    p.add_argument("--cases", required=True)
    p.add_argument("--interdict", required=True)
    p.add_argument("--interdict-timing", required=True)
    p.add_argument("--interdict-version")
    p.add_argument("--peer", required=True)
    p.add_argument("--peer-details", required=True)
    p.add_argument("--limit", type=int, default=15)
    p.set_defaults(func=cmd_table)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    sys.exit(main())

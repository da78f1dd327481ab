#!/usr/bin/env python3
"""Helpers for bench/http/run (standard library only).

  bench.py bodies CASES OUT          one /match request body per case, one per line
  bench.py warmup URL BODIES OUT     send every body once, in order, on one keep-alive connection
  bench.py table ...                 print the markdown table from oha's JSON reports
"""
import http.client
import json
import sys
import time
import urllib.parse


def bodies(cases_path, out_path):
    n = 0
    with open(cases_path, encoding="utf-8") as cases, open(out_path, "w", encoding="utf-8") as out:
        for line in cases:
            line = line.strip()
            if not line:
                continue
            case = json.loads(line)
            schema = case.get("schema") or "LegalEntity"
            props = {"name": [case["query"]]}
            if case.get("birth_date"):
                props["birthDate" if schema == "Person" else "incorporationDate"] = [case["birth_date"]]
            if case.get("country"):
                props["nationality" if schema == "Person" else "country"] = [case["country"]]
            body = {"queries": {"q": {"schema": schema, "properties": props}}}
            # One line per body: oha -Z reads the file line by line.
            out.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n")
            n += 1
    print(n)


def warmup(url, bodies_path, out_path):
    """Closed loop, one connection: a warm-up that also checks every body gets a 200 and
    counts how many of the queries come back with a match (the hit/miss mix of the load)."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    statuses, hits, lat = {}, 0, []
    with open(bodies_path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip()]
    for body in lines:
        t = time.perf_counter()
        conn.request("POST", u.path, body=body.encode(), headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        data = resp.read()
        lat.append(time.perf_counter() - t)
        statuses[resp.status] = statuses.get(resp.status, 0) + 1
        if resp.status == 200:
            results = json.loads(data)["responses"]["q"]["results"]
            if any(r.get("match") for r in results):
                hits += 1
    conn.close()
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    summary = {
        "requests": len(lines),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "hits": hits,
        "misses": len(lines) - hits,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": lat[-1] * 1000,
    }
    with open(out_path, "w") as out:
        json.dump(summary, out, indent=1)
    print(
        f"warm-up: {len(lines)} requests, statuses {summary['statuses']}, "
        f"{hits} with a match / {len(lines) - hits} without; closed-loop latency "
        f"p50 {summary['p50_ms']:.2f} ms, p99 {summary['p99_ms']:.2f} ms, max {summary['max_ms']:.2f} ms"
    )


def oha_row(path):
    with open(path) as f:
        r = json.load(f)
    s = r["summary"]
    codes = {str(k): v for k, v in (r.get("statusCodeDistribution") or {}).items()}
    errors = r.get("errorDistribution") or {}
    n_ok = codes.get("200", 0)
    n = sum(codes.values()) + sum(errors.values())
    p = r.get("latencyPercentiles") or {}
    ms = lambda v: "n/a" if v is None else f"{v * 1000:.2f} ms"
    return {
        "n": n,
        "ok": n_ok,
        "rps": s.get("requestsPerSec"),
        "p50": ms(p.get("p50")),
        "p90": ms(p.get("p90")),
        "p99": ms(p.get("p99")),
        "max": ms(s.get("slowest")),
        "codes": codes,
        "errors": errors,
    }


def table(args):
    # args: label rate duration oha.json rss_kb hwm_kb cpu_s [label rate duration oha.json rss hwm cpu ...]
    print("| run | rate | duration | requests | success (200) | achieved req/s | p50 | p90 | p99 | max | server CPU | server RSS / peak |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    notes = []
    for i in range(0, len(args), 7):
        label, rate, dur, path, rss, hwm, cpu = args[i : i + 7]
        row = oha_row(path)
        pct = 100.0 * row["ok"] / row["n"] if row["n"] else 0.0
        cpu_s = float(cpu)
        print(
            f"| {label} | {rate} | {dur} s | {row['n']} | {pct:.2f} % | {row['rps']:.1f} | {row['p50']} | {row['p90']} "
            f"| {row['p99']} | {row['max']} | {cpu_s:.1f} s ({100 * cpu_s / float(dur):.0f} % of a core) "
            f"| {int(rss) // 1024} MB / {int(hwm) // 1024} MB |"
        )
        bad = {k: v for k, v in row["codes"].items() if k != "200"}
        if bad or row["errors"]:
            notes.append(f"{label}: non-200 statuses {bad or 'none'}, client errors {row['errors'] or 'none'}")
    for n in notes:
        print(f"\n{n}")


if __name__ == "__main__":
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "bodies":
        bodies(*rest)
    elif cmd == "warmup":
        warmup(*rest)
    elif cmd == "table":
        table(rest)
    else:
        sys.exit(f"unknown command {cmd}")

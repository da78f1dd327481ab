#!/usr/bin/env python3
"""The 50% rule the way a user would first try it: SQLite and SQL.

Loads DIR/ownership.csv and DIR/listed.csv (written by `scale --csv DIR`) into a SQLite file,
then computes the blocked set:

  1. one recursive CTE that follows holdings of 50% or more from listed parties. SQLite does not
     allow aggregates inside the recursive part, so this misses blocking by aggregate holdings
     (FAQ 401: two blocked owners of 25% each) and under-counts;
  2. the fix-point as a loop: INSERT the assets whose SUM of holdings by blocked owners reaches
     50, until no row is added: without an index on owner_id (the first try), with one, and with
     one and the join order forced so that SQLite uses it (tuned).

Every link counts, whatever its dates (as `derive` with no `as_of`). Percentages are REAL, as a
user would declare them. Prints one tab-separated line per measure and compares the loop's
blocked set with DIR/blocked.csv (interdict's).
"""
import csv
import os
import sqlite3
import sys
import time

LOOP = """
INSERT INTO blocked
SELECT o.asset_id FROM ownership o JOIN blocked b ON b.id = o.owner_id
WHERE o.asset_id NOT IN (SELECT id FROM blocked)
GROUP BY o.asset_id HAVING SUM(o.percentage) >= 50
"""

# The same, tuned: SQLite has no statistics on the new `blocked` table and scans all of
# `ownership` each round even with the index; CROSS JOIN makes it walk from `blocked`.
TUNED = LOOP.replace("FROM ownership o JOIN blocked b", "FROM blocked b CROSS JOIN ownership o")

CTE = """
WITH RECURSIVE reached(id) AS (
  SELECT id FROM listed
  UNION
  SELECT o.asset_id FROM ownership o JOIN reached r ON o.owner_id = r.id
  WHERE o.percentage >= 50
)
SELECT count(*) FROM reached WHERE id NOT IN (SELECT id FROM listed)
"""


def fixpoint(db, deadline, query=LOOP):
    """Runs the loop; returns (derived ids, rounds, seconds) or None past the deadline."""
    started = time.perf_counter()
    db.execute("DROP TABLE IF EXISTS blocked")
    db.execute("CREATE TABLE blocked(id TEXT PRIMARY KEY)")
    db.execute("INSERT INTO blocked SELECT id FROM listed")
    rounds = 0
    while True:
        rounds += 1
        added = db.execute(query).rowcount
        if added == 0:
            break
        if time.perf_counter() > deadline:
            return None
    db.commit()
    took = time.perf_counter() - started
    ids = {r[0] for r in db.execute(
        "SELECT id FROM blocked WHERE id NOT IN (SELECT id FROM listed)")}
    return ids, rounds, took


def main():
    folder = sys.argv[1]
    cap = float(sys.argv[2]) if len(sys.argv) > 2 else 300.0
    deadline = time.perf_counter() + cap
    path = os.path.join(folder, "ownership.db")
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    db = sqlite3.connect(path)
    out = lambda key, value: print(f"{key}\t{value}", flush=True)

    started = time.perf_counter()
    db.execute("CREATE TABLE ownership(owner_id TEXT, asset_id TEXT, percentage REAL,"
               " start_date TEXT, end_date TEXT)")
    db.execute("CREATE TABLE listed(id TEXT PRIMARY KEY)")
    with open(os.path.join(folder, "ownership.csv"), newline="") as f:
        rows = csv.reader(f)
        next(rows)
        db.executemany("INSERT INTO ownership VALUES (?, ?, ?, ?, ?)",
                       ((a, b, float(p), s or None, e or None) for a, b, p, s, e in rows))
    with open(os.path.join(folder, "listed.csv"), newline="") as f:
        rows = csv.reader(f)
        next(rows)
        db.executemany("INSERT OR IGNORE INTO listed VALUES (?)", (r for r in rows))
    db.commit()
    out("load_ms", f"{(time.perf_counter() - started) * 1e3:.1f}")

    # The first try: one recursive query, no index.
    started = time.perf_counter()
    cte = db.execute(CTE).fetchone()[0]
    out("cte_noindex_ms", f"{(time.perf_counter() - started) * 1e3:.1f}")
    out("cte_blocked", cte)

    # The loop, without an index (deadline permitting).
    result = fixpoint(db, min(deadline, time.perf_counter() + cap / 2))
    if result is None:
        out("loop_noindex_ms", "timeout")
    else:
        out("loop_noindex_ms", f"{result[2] * 1e3:.1f}")

    started = time.perf_counter()
    db.execute("CREATE INDEX ownership_owner ON ownership(owner_id)")
    db.execute("ANALYZE")
    out("index_ms", f"{(time.perf_counter() - started) * 1e3:.1f}")

    started = time.perf_counter()
    cte = db.execute(CTE).fetchone()[0]
    out("cte_ms", f"{(time.perf_counter() - started) * 1e3:.1f}")

    results = {}
    for key, query in (("loop", LOOP), ("loop_tuned", TUNED)):
        times = []
        for _ in range(3):
            result = fixpoint(db, deadline, query)
            if result is None:
                out(f"{key}_ms", "timeout")
                return
            ids, rounds, took = result
            times.append(took)
        times.sort()
        out(f"{key}_ms", f"{times[len(times) // 2] * 1e3:.1f}")
        out(f"{key}_rounds", rounds)
        out(f"{key}_blocked", len(ids))
        results[key] = ids
    if results["loop"] != results["loop_tuned"]:
        out("warning", "the two loops disagree")

    with open(os.path.join(folder, "blocked.csv"), newline="") as f:
        rows = csv.reader(f)
        next(rows)
        theirs = {r[0] for r in rows}
    out("only_sql", len(ids - theirs))
    out("only_interdict", len(theirs - ids))
    for id in sorted(ids ^ theirs)[:5]:
        out("differs", id)
    db.close()


if __name__ == "__main__":
    main()

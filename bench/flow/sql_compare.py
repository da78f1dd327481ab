"""The windowed rules as SQL window queries in DuckDB over the same AMLworld file: what a user
would try first. Prints the time of each step and the hits, for BENCHMARKS.md.

    python3 bench/flow/sql_compare.py /tmp/simtx/transactions.csv [--threads 1]

The queries are the rules' cores without what needs state across rows (episodes, the
account's usual activity, the 25-counterparty cap): structuring in one day; fan-in and
fan-out (distinct counterparties in the 72 h before each transaction); pass-through (an
outflow of 90-100% of an inflow within 24 h). Needs `pip install duckdb`.
"""

import sys
import time

import duckdb


def main():
    path = sys.argv[1]
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    timings = {}

    def step(name, sql):
        started = time.perf_counter()
        result = con.execute(sql).fetchall()
        timings[name] = time.perf_counter() - started
        print(f"{name:<14} {timings[name]:8.2f} s  {result[0] if result else ''}")

    step(
        "load",
        f"""
        CREATE TABLE t AS
        SELECT row_number() OVER () AS seq,
               strptime(ts, '%Y/%m/%d %H:%M') AS moment,
               fb || ':' || fa AS src, tb || ':' || ta AS dst,
               paid AS amount, pcur AS currency, fmt AS channel, fb AS place
        FROM read_csv('{path}', header = true,
            columns = {{'ts': 'VARCHAR', 'fb': 'VARCHAR', 'fa': 'VARCHAR', 'tb': 'VARCHAR',
                       'ta': 'VARCHAR', 'received': 'DOUBLE', 'rcur': 'VARCHAR',
                       'paid': 'DOUBLE', 'pcur': 'VARCHAR', 'fmt': 'VARCHAR',
                       'laundering': 'INTEGER'}});
        SELECT count(*) FROM t
        """,
    )
    step(
        "structuring",
        """
        SELECT count(*) FROM (
          SELECT dst, CAST(moment AS DATE) AS day, count(*) AS n, sum(amount) AS total
          FROM t WHERE channel = 'Cash' AND currency = 'US Dollar' AND amount < 10000
          GROUP BY dst, day HAVING count(*) >= 2 AND sum(amount) > 10000)
        """,
    )
    for name, side, other in [("fan-in", "dst", "src"), ("fan-out", "src", "dst")]:
        step(
            name,
            f"""
            SELECT count(DISTINCT {side}) FROM (
              SELECT {side}, count(DISTINCT {other}) OVER (
                PARTITION BY {side} ORDER BY moment
                RANGE BETWEEN INTERVAL 72 HOURS PRECEDING AND CURRENT ROW) AS k
              FROM t WHERE src <> dst AND channel NOT IN ('Credit Card', 'Reinvestment'))
            WHERE k >= 5
            """,
        )
    step(
        "pass-through",
        """
        SELECT count(DISTINCT o.src) FROM t i JOIN t o
          ON o.src = i.dst AND o.moment >= i.moment AND o.moment <= i.moment + INTERVAL 24 HOURS
         AND o.amount <= i.amount AND o.amount >= 0.9 * i.amount
         AND o.currency = i.currency AND o.dst <> i.src
        WHERE i.src <> i.dst AND o.src <> o.dst
          AND i.channel NOT IN ('Cash', 'Credit Card') AND o.channel NOT IN ('Cash', 'Credit Card')
        """,
    )
    print(f"{'total':<14} {sum(timings.values()):8.2f} s  (threads {threads})")


if __name__ == "__main__":
    main()

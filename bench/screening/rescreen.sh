#!/bin/bash
# Rescreening benchmark (BENCHMARKS.md, issue 6). A store with OFAC's non-SDN list, the UN
# list and the 2021-07-07 SDN file; 1,000,000 customers screened; then a day's update (50
# new SDN entries), then the bundled lists (the 2024-05-03 SDN set: half the parties new or
# changed), each ingest rescreening the customers itself.
#   B=target/release/interdict bench/screening/rescreen.sh
set -e
B=${B:-target/release/interdict}
HERE=$(cd "$(dirname "$0")" && pwd)
L=$HERE/../../data/lists
DB=${DB:-/tmp/rescreen-bench.db}
T="/usr/bin/time -f %e_s_wall_%U_s_user_%M_KB"
[ -f /tmp/cust1m.jsonl ] || python3 "$HERE/customers.py" --count 1000000 --seed 1 \
    --sdn "$L/ofac_sdn_2024-05-03/sdn.csv" > /tmp/cust1m.jsonl
python3 "$HERE/daily_update.py" --count 50 --output /tmp/sdn_daily/sdn.csv
rm -f "$DB" "$DB-wal" "$DB-shm"
$B --db "$DB" ingest "$L/ofac_consolidated_non_sdn_2025-12" > /dev/null
$B --db "$DB" ingest "$L/un_consolidated_2026-02-27" > /dev/null
$B --db "$DB" ingest "$L/ofac_sdn_2021-07-07/sdn.csv" > /dev/null
echo "== import 1M customers, no screening"
$T $B --db "$DB" customers import /tmp/cust1m.jsonl --no-screen
echo "== first run: every customer against every party"
$T $B --db "$DB" rescreen
cp "$DB" "$DB.after-first-run"; if [ -f "$DB-wal" ]; then cp "$DB-wal" "$DB.after-first-run-wal"; fi
echo "== a day's update: 50 new SDN entries (ingest, rescreen included)"
$T $B --db "$DB" ingest /tmp/sdn_daily/sdn.csv --version-date 2021-07-08 > /dev/null
echo "== the bundled lists: the 2024-05-03 SDN set (ingest, rescreen included)"
$T $B --db "$DB" ingest > /dev/null
echo "== nothing changed"
$T $B --db "$DB" rescreen

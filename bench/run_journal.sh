#!/usr/bin/env bash
# What the status journal costs (issue #14 §4): bench/journal_benchmark.cpp on a throwaway
# PostgreSQL under /tmp (fsync off), stopped at the end.
#   - answering a response and approving an assessment, with the journal and without its hook,
#     beside the ceiling: one transaction holding a one-row UPDATE and an audit append;
#   - the scheduler's catch-up for the 10,000 suppliers of bench/seed_status.sql after 30 days.
#     The clock starts 280 days ahead of today, so the 30 days it then moves on cross the seed's
#     valid_until dates (today + 300..359) and their 30-day windows: most suppliers have a change
#     to record, each on its own day.
#
#   bench/run_journal.sh [ITERATIONS] [SUPPLIERS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
iterations="${1:-300}"
suppliers="${2:-10000}"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
psql_coco() { "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U coco -d coco -v ON_ERROR_STOP=1 "$@"; }
"$bin/coco" catalogue import "$COCO_ROOT/standards" >/dev/null 2>&1
echo "$(nproc) cores, $(date -u +%F), PostgreSQL with fsync off"
"$bin/bench/coco_bench_journal" WRITES "$iterations"

"$bin/coco" token create --role assessor --name bench >/dev/null 2>&1
assessor="$(psql_coco -tAc "SELECT id FROM users WHERE role = 'assessor' LIMIT 1")"
started=$(date +%s)
psql_coco -q -v suppliers="$suppliers" -v assessor="'$assessor'" -f "$COCO_ROOT/bench/seed_status.sql" >/dev/null
echo "seeded $suppliers suppliers in $(( $(date +%s) - started )) s"
"$bin/bench/coco_bench_journal" CATCHUP 280

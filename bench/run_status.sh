#!/usr/bin/env bash
# The status benchmark of issue #6. Seeds 10,000 suppliers (one service, three approved
# assessments each: bench/seed_status.sql), then measures over loopback:
#   - GET /suppliers/{id}/status with a real token and random supplier ids (wrk -t2 -c32), next to
#     its ceiling in the same run: bare Pistache with coco's options running one prepared
#     primary-key query keyed by the same random ids, no authentication;
#   - one portfolio page of 100 rows and the full portfolio CSV (30,000 rows), server time;
#   - the pure status function with Google Benchmark.
# Builds Release, starts a throwaway PostgreSQL under /tmp, stops everything it started.
#
#   bench/run_status.sh [DURATION_SECONDS] [SUPPLIERS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
duration="${1:-10}"
suppliers="${2:-10000}"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
psql_coco() { "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U coco -d coco -v ON_ERROR_STOP=1 "$@"; }
"$bin/coco" catalogue import "$COCO_ROOT/standards" >/dev/null 2>&1
token="$("$bin/coco" token create --role procurement --name bench 2>/dev/null)"
assessor="$("$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U coco -d coco -tAc 'SELECT id FROM users LIMIT 1')"

started=$(date +%s)
psql_coco -q -v suppliers="$suppliers" -v assessor="'$assessor'" -f "$COCO_ROOT/bench/seed_status.sql" >/dev/null
echo "seeded $suppliers suppliers in $(( $(date +%s) - started )) s"
export SUPPLIER_IDS="$scratch/supplier_ids"
psql_coco -tAc 'SELECT id FROM suppliers' >"$SUPPLIER_IDS"

threads=2
ceiling_port="$(free_port)"
bench_start "$bin/bench/coco_bench_ceiling" supplier "$ceiling_port" "$threads" "$COCO_DATABASE_URL"
coco_port="$(free_port)"
bench_start env COCO_LOG_LEVEL=warn COCO_THREADS="$threads" COCO_SIGNING_KEY="$scratch/key.pem" \
  "$bin/coco" serve --port "$coco_port" --no-migrate
wait_http "$ceiling_port"; wait_http "$coco_port"

# run_wrk NAME PORT [TOKEN]: random /suppliers/{id}/status; prints "NAME req/s p99 errors"
run_wrk() {
  local name="$1" port="$2" out
  out="$(TOKEN="${3:-}" wrk -t2 -c32 -d"${duration}s" --latency -s "$COCO_ROOT/bench/status.lua" \
    "http://127.0.0.1:$port")"
  printf '%-52s %10s req/s   p99 %8s  %s\n' "$name" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
    "$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' || true)"
}

# server_ms URL [ACCEPT]: median over 15 requests of the time to the first byte, in ms
server_ms() {
  for _ in $(seq 1 15); do
    curl -s -o /dev/null -w '%{time_starttransfer}\n' -H "Authorization: Bearer $token" \
      -H "Accept: ${2:-application/json}" "$1"
  done | sort -n | awk '{ t[NR] = $1 } END { printf "%.1f", t[int((NR + 1) / 2)] * 1000 }'
}

echo "wrk -t2 -c32 -d${duration}s over loopback, $threads server threads, $(nproc) cores, $(date -u +%F)"
run_wrk "ceiling: Pistache + one prepared PK query (random id)" "$ceiling_port"
run_wrk "coco GET /suppliers/{id}/status (token + status)" "$coco_port" "$token"
run_wrk "ceiling again (same run, after coco)" "$ceiling_port"

page="http://127.0.0.1:$coco_port/status?limit=100"
rows="$(curl -s -H "Authorization: Bearer $token" "$page" | grep -o '"supplier_id"' | wc -l)"
echo "portfolio page of $rows rows: $(server_ms "$page") ms (median of 15, time to first byte)"
csv="http://127.0.0.1:$coco_port/status"
lines="$(curl -s -H "Authorization: Bearer $token" -H 'Accept: text/csv' "$csv" | wc -l)"
full="$(for _ in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
  -H 'Accept: text/csv' "$csv"; done | sort -n | sed -n 2p)"
echo "full portfolio CSV: $((lines - 1)) rows in $(awk -v t="$full" 'BEGIN { printf "%.0f", t * 1000 }') ms (median of 3)"

"$bin/bench/coco_bench_status" --benchmark_min_time=1 2>/dev/null | grep -E '^BM_|Benchmark'

#!/usr/bin/env bash
# HTTP benchmarks over loopback with wrk (-t2 -c32 -d10s by default), each next to its ceiling
# measured in the same run: bare Pistache with coco's options returning fixed JSON, and the same
# running one prepared primary-key query. Builds Release, starts a throwaway PostgreSQL under
# /tmp, stops everything it started. Bounded: every wrk run lasts DURATION seconds.
#
#   bench/run_http.sh [DURATION_SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
duration="${1:-10}"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
"$bin/coco" catalogue import "$COCO_ROOT/standards" 2>/dev/null
token="$("$bin/coco" token create --role admin --name bench 2>/dev/null)"
user_id="$("$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U coco -d coco -tAc 'SELECT id FROM users LIMIT 1')"

threads=2

# run_wrk NAME URL [HEADER]: prints "NAME req/s p99"
run_wrk() {
  local name="$1" url="$2" header="${3:-}"
  local args=(-t2 -c32 -d"${duration}s" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  local out
  out="$(wrk "${args[@]}" "$url")"
  local rps p99 errors
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  errors="$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
  printf '%-44s %10s req/s   p99 %8s  %s\n' "$name" "$rps" "$p99" "$errors"
}

ceiling_port="$(free_port)"
bench_start "$bin/bench/coco_bench_ceiling" fixed "$ceiling_port" "$threads"
pk_port="$(free_port)"
bench_start "$bin/bench/coco_bench_ceiling" pk "$pk_port" "$threads" "$COCO_DATABASE_URL" "$user_id"
coco_port="$(free_port)"
bench_start env COCO_LOG_LEVEL=warn COCO_THREADS="$threads" "$bin/coco" serve --port "$coco_port" \
  --no-migrate
wait_http "$ceiling_port"; wait_http "$pk_port"; wait_http "$coco_port"

echo "wrk -t2 -c32 -d${duration}s over loopback, $threads server threads, $(nproc) cores, $(date -u +%F)"
run_wrk "ceiling: Pistache fixed JSON" "http://127.0.0.1:$ceiling_port/"
run_wrk "coco GET /healthz" "http://127.0.0.1:$coco_port/healthz"
run_wrk "ceiling: Pistache + one prepared PK query" "http://127.0.0.1:$pk_port/"
run_wrk "coco GET /standards/COCO (token + catalogue)" \
  "http://127.0.0.1:$coco_port/standards/COCO" "Authorization: Bearer $token"
run_wrk "coco GET /metrics (token lookup)" \
  "http://127.0.0.1:$coco_port/metrics" "Authorization: Bearer $token"

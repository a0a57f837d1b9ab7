#!/usr/bin/env bash
# Evidence upload benchmark over loopback: a 20 MiB file POSTed to coco (hash + store in
# PostgreSQL, every upload new bytes) next to a bare Pistache handler that only reads the body,
# in the same run. wrk -t2 -c4 (uploads are bounded to COCO_MAX_UPLOADS=4 at once).
#
#   bench/run_upload.sh [DURATION_SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
duration="${1:-10}"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
admin="$("$bin/coco" token create --role admin --name bench 2>/dev/null)"

coco_port="$(free_port)"
bench_start env COCO_LOG_LEVEL=warn COCO_THREADS=2 "$bin/coco" serve --port "$coco_port" --no-migrate
body_port="$(free_port)"
bench_start "$bin/bench/coco_bench_ceiling" body "$body_port" 2
wait_http "$coco_port"
wait_http "$body_port"

supplier="$(curl -s -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
  -d '{"name":"bench","contact_email":"bench@bench.example"}' "http://127.0.0.1:$coco_port/suppliers" |
  sed -E 's/.*"id":"([^"]+)".*/\1/')"
token="$("$bin/coco" token create --role supplier --supplier "$supplier" --name bench-supplier 2>/dev/null)"

export COCO_BENCH_FILE="$scratch/evidence.bin"
head -c $((20 * 1024 * 1024)) /dev/urandom > "$COCO_BENCH_FILE"
mb=$(awk 'BEGIN { printf "%.3f", 20 * 1024 * 1024 / 1e6 }')

run() {
  local name="$1" url="$2"
  shift 2
  local out rps p99
  out="$(wrk -t2 -c4 -d"${duration}s" --timeout 30s --latency -s "$COCO_ROOT/bench/upload.lua" "$@" "$url")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  printf '%-46s %8s uploads/s  %8.1f MB/s  p99 %8s  %s\n' "$name" "$rps" \
    "$(awk -v r="$rps" -v m="$mb" 'BEGIN { print r * m }')" "$p99" \
    "$(grep -E 'Non-2xx|Socket errors' <<<"$out" || true)"
}

echo "wrk -t2 -c4 -d${duration}s, 20 MiB bodies over loopback, $(nproc) cores, $(date -u +%F)"
run "ceiling: Pistache handler reading the body" "http://127.0.0.1:$body_port/"
run "coco POST /suppliers/{id}/evidence" \
  "http://127.0.0.1:$coco_port/suppliers/$supplier/evidence?filename=bench.pdf&kind=policy" \
  -H "Authorization: Bearer $token"
stored="$("$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U coco -d coco -tAc 'SELECT count(*) || '"' files, '"' || count(DISTINCT sha256) || '"' distinct' FROM evidence")"
echo "stored: $stored"

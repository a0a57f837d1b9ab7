#!/usr/bin/env bash
# Evidence upload benchmark over loopback: a 20 MiB file POSTed to coco (hash + store in
# PostgreSQL, every upload new bytes) next to a bare Pistache handler that only reads the body,
# in the same run. wrk -t2 -c4 (uploads are bounded to COCO_MAX_UPLOADS=4 at once).
#
#   bench/run_upload.sh [DURATION_SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
duration="${1:-10}"

install_packages "${COCO_PACKAGES[@]}" wrk
install_tools
build "$COCO_ROOT/build/bench" Release -DCOCO_BUILD_TESTS=OFF -DCOCO_BUILD_BENCH=ON
bin="$COCO_ROOT/build/bench"

scratch="$(mktemp -d /tmp/coco-bench.XXXXXX)"
chmod 755 "$scratch"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pg_stop "$scratch/pgdata"
  rm -rf "$scratch"
}
trap cleanup EXIT

pg_init "$scratch/pgdata"
pg_port="$(free_port)"
pg_start "$scratch/pgdata" "$pg_port" "-c fsync=off -c synchronous_commit=off"
pg_ensure_database "$pg_port" coco
export COCO_DATABASE_URL="postgresql://coco@127.0.0.1:$pg_port/coco"
"$bin/coco" migrate 2>/dev/null
admin="$("$bin/coco" token create --role admin --name bench 2>/dev/null)"

coco_port="$(free_port)"
COCO_LOG_LEVEL=warn COCO_THREADS=2 "$bin/coco" serve --port "$coco_port" --no-migrate 2>/dev/null &
pids+=($!)
body_port="$(free_port)"
"$bin/bench/coco_bench_ceiling" body "$body_port" 2 2>/dev/null &
pids+=($!)
for port in "$coco_port" "$body_port"; do
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done

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

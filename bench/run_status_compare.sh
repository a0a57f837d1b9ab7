#!/usr/bin/env bash
# The status read before and after a change, on the same machine in the same run (issue #14
# §4): builds BASELINE (a git revision) in a worktree under build/, gives each version a
# database of its own, migrated and seeded by that version's own migrations and
# bench/seed_status.sql, then the ceiling, the baseline and the current server take turns for
# ROUNDS rounds of `wrk -t2 -c32` against GET /suppliers/{id}/status (bench/run_status.sh says
# what the ceiling is). Each ratio is to the ceiling run just before it; the medians are
# reported. Builds Release, stops everything it started.
#
#   bench/run_status_compare.sh BASELINE [DURATION_SECONDS] [SUPPLIERS] [ROUNDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
baseline_rev="${1:?usage: bench/run_status_compare.sh BASELINE [DURATION] [SUPPLIERS] [ROUNDS]}"
duration="${2:-10}"
suppliers="${3:-10000}"
rounds="${4:-5}"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup

# The baseline's sources (a detached worktree) and its own Release build.
baseline_src="$COCO_ROOT/build/baseline-src"
baseline_rev="$(git -C "$COCO_ROOT" rev-parse "$baseline_rev")"
if [ "$(git -C "$baseline_src" rev-parse HEAD 2>/dev/null || true)" != "$baseline_rev" ]; then
  git -C "$COCO_ROOT" worktree remove --force "$baseline_src" 2>/dev/null || rm -rf "$baseline_src"
  git -C "$COCO_ROOT" worktree prune
  git -C "$COCO_ROOT" worktree add --detach "$baseline_src" "$baseline_rev" >/dev/null
fi
ln -sfn "$COCO_ROOT/tools/node_modules" "$baseline_src/tools/node_modules"
say "building the baseline ${baseline_rev:0:10} (Release) in build/bench-baseline"
cmake -S "$baseline_src" -B "$COCO_ROOT/build/bench-baseline" -DCMAKE_BUILD_TYPE=Release \
  -DCOCO_BUILD_TESTS=OFF >/dev/null
cmake --build "$COCO_ROOT/build/bench-baseline" -j2 --target coco -- --no-print-directory >/dev/null
baseline_bin="$COCO_ROOT/build/bench-baseline/coco"

# seed NAME BINARY SEED_FILE: a database of its own for one version; prints its token.
seed() {
  local db="$1" binary="$2" seed_file="$3" url token assessor
  pg_ensure_database "$pg_port" "$db"
  url="postgresql://coco@127.0.0.1:$pg_port/$db"
  COCO_DATABASE_URL="$url" "$binary" migrate >/dev/null 2>&1
  COCO_DATABASE_URL="$url" "$binary" catalogue import "$COCO_ROOT/standards" >/dev/null 2>&1
  token="$(COCO_DATABASE_URL="$url" "$binary" token create --role procurement --name bench 2>/dev/null)"
  assessor="$("$PG_BIN/psql" "$url" -tAc 'SELECT id FROM users LIMIT 1')"
  "$PG_BIN/psql" "$url" -q -v ON_ERROR_STOP=1 -v suppliers="$suppliers" -v assessor="'$assessor'" \
    -f "$seed_file" >/dev/null
  "$PG_BIN/psql" "$url" -tAc 'SELECT id FROM suppliers' >"$scratch/$db.ids"
  echo "$token"
}
started=$(date +%s)
current_token="$(seed coco_current "$bin/coco" "$COCO_ROOT/bench/seed_status.sql")"
baseline_token="$(seed coco_baseline "$baseline_bin" "$baseline_src/bench/seed_status.sql")"
echo "seeded $suppliers suppliers twice in $(( $(date +%s) - started )) s"

threads=2
ceiling_port="$(free_port)"
bench_start "$bin/bench/coco_bench_ceiling" supplier "$ceiling_port" "$threads" \
  "postgresql://coco@127.0.0.1:$pg_port/coco_current"
baseline_port="$(free_port)"
bench_start env COCO_LOG_LEVEL=warn COCO_THREADS="$threads" COCO_SIGNING_KEY="$scratch/base.pem" \
  COCO_DATABASE_URL="postgresql://coco@127.0.0.1:$pg_port/coco_baseline" \
  "$baseline_bin" serve --port "$baseline_port" --no-migrate
current_port="$(free_port)"
bench_start env COCO_LOG_LEVEL=warn COCO_THREADS="$threads" COCO_SIGNING_KEY="$scratch/cur.pem" \
  COCO_DATABASE_URL="postgresql://coco@127.0.0.1:$pg_port/coco_current" \
  "$bin/coco" serve --port "$current_port" --no-migrate
wait_http "$ceiling_port"; wait_http "$baseline_port"; wait_http "$current_port"

# run_wrk PORT IDS [TOKEN]: prints "req/s p99"
run_wrk() {
  local out
  out="$(SUPPLIER_IDS="$2" TOKEN="${3:-}" wrk -t2 -c32 -d"${duration}s" --latency \
    -s "$COCO_ROOT/bench/status.lua" "http://127.0.0.1:$1")"
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then die "errors in a run on port $1: $out"; fi
  printf '%s %s\n' "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "99%" {print $2}' <<<"$out")"
}
median() { sort -n | awk '{ r[NR] = $1 } END { print (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'; }

echo "wrk -t2 -c32 -d${duration}s, $threads server threads, $(nproc) cores, $(date -u +%F)," \
  "baseline ${baseline_rev:0:10}, current $(git -C "$COCO_ROOT" rev-parse --short HEAD)"
base_ratios=(); current_ratios=()
for round in $(seq 1 "$rounds"); do
  read -r c1 p1 < <(run_wrk "$ceiling_port" "$scratch/coco_current.ids")
  read -r b bp < <(run_wrk "$baseline_port" "$scratch/coco_baseline.ids" "$baseline_token")
  read -r c2 p2 < <(run_wrk "$ceiling_port" "$scratch/coco_current.ids")
  read -r n np < <(run_wrk "$current_port" "$scratch/coco_current.ids" "$current_token")
  rb="$(awk -v a="$b" -v c="$c1" 'BEGIN { printf "%.3f", a / c }')"
  rn="$(awk -v a="$n" -v c="$c2" 'BEGIN { printf "%.3f", a / c }')"
  base_ratios+=("$rb"); current_ratios+=("$rn")
  printf 'round %s: ceiling %s req/s, baseline %s req/s (p99 %s) = %s; ceiling %s req/s, current %s req/s (p99 %s) = %s\n' \
    "$round" "$c1" "$b" "$bp" "$rb" "$c2" "$n" "$np" "$rn"
done
echo "status read / ceiling, median of $rounds rounds: baseline $(printf '%s\n' "${base_ratios[@]}" | median)," \
  "current $(printf '%s\n' "${current_ratios[@]}" | median)"

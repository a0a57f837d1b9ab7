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
    -f "$seed_file" >/dev/null || die "seeding $db failed"
  "$PG_BIN/psql" "$url" -tAc 'SELECT id FROM suppliers' >"$scratch/$db.ids"
  [ -s "$scratch/$db.ids" ] || die "seeding $db left no supplier"
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
ceiling_pid="${pids[-1]}"
baseline_port="$(free_port)"
bench_start env COCO_LOG_LEVEL=warn COCO_THREADS="$threads" COCO_SIGNING_KEY="$scratch/base.pem" \
  COCO_DATABASE_URL="postgresql://coco@127.0.0.1:$pg_port/coco_baseline" \
  "$baseline_bin" serve --port "$baseline_port" --no-migrate
baseline_pid="${pids[-1]}"
current_port="$(free_port)"
bench_start env COCO_LOG_LEVEL=warn COCO_THREADS="$threads" COCO_SIGNING_KEY="$scratch/cur.pem" \
  COCO_DATABASE_URL="postgresql://coco@127.0.0.1:$pg_port/coco_current" \
  "$bin/coco" serve --port "$current_port" --no-migrate
current_pid="${pids[-1]}"
wait_http "$ceiling_port"; wait_http "$baseline_port"; wait_http "$current_port"
started=$(date +%s)
wait_journalled "postgresql://coco@127.0.0.1:$pg_port/coco_current"
echo "the current server's scheduler journalled the seeded suppliers in $(( $(date +%s) - started )) s"

# The CPU a run cost, which the machine's other tenants move far less than they move the
# throughput: clock ticks (user + system) of the server and of every PostgreSQL process.
# ticks PID/stat...: the sum over those processes (one that has exited counts nothing).
ticks() {
  local total=0 file fields
  for file in "$@"; do
    if read -r -a fields 2>/dev/null <"/proc/$file"; then
      total=$((total + fields[13] + fields[14]))
    fi
  done
  echo "$total"
}
pg_ticks() {
  local postmaster
  postmaster="$(head -1 "$scratch/pgdata/postmaster.pid")"
  # shellcheck disable=SC2046
  ticks $(printf '%s/stat ' "$postmaster" $(pgrep -P "$postmaster"))
}
hz="$(getconf CLK_TCK)"

# run_wrk PORT PID IDS [TOKEN]: prints "req/s p99 server-µs/request postgres-µs/request"
run_wrk() {
  local out server_before pg_before requests
  server_before="$(ticks "$2/stat")"; pg_before="$(pg_ticks)"
  out="$(SUPPLIER_IDS="$3" TOKEN="${4:-}" wrk -t2 -c32 -d"${duration}s" --latency \
    -s "$COCO_ROOT/bench/status.lua" "http://127.0.0.1:$1")"
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then die "errors in a run on port $1: $out"; fi
  requests="$(awk '/requests in/ {print $1}' <<<"$out")"
  printf '%s %s %s %s\n' "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")" \
    "$(awk -v t="$(( $(ticks "$2/stat") - server_before ))" -v n="$requests" -v hz="$hz" \
       'BEGIN { printf "%.1f", t * 1e6 / hz / n }')" \
    "$(awk -v t="$(( $(pg_ticks) - pg_before ))" -v n="$requests" -v hz="$hz" \
       'BEGIN { printf "%.1f", t * 1e6 / hz / n }')"
}
median() { sort -n | awk '{ r[NR] = $1 } END { print (NR % 2) ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'; }

echo "wrk -t2 -c32 -d${duration}s, $threads server threads, $(nproc) cores, $(date -u +%F)," \
  "baseline ${baseline_rev:0:10}, current $(git -C "$COCO_ROOT" rev-parse --short HEAD)"
base_ratios=(); current_ratios=(); base_cpu=(); current_cpu=(); ceiling_cpu=()
for round in $(seq 1 "$rounds"); do
  read -r c1 p1 cs1 cp1 < <(run_wrk "$ceiling_port" "$ceiling_pid" "$scratch/coco_current.ids")
  read -r b bp bs bpg < <(run_wrk "$baseline_port" "$baseline_pid" "$scratch/coco_baseline.ids" \
    "$baseline_token")
  read -r c2 p2 cs2 cp2 < <(run_wrk "$ceiling_port" "$ceiling_pid" "$scratch/coco_current.ids")
  read -r n np ns npg < <(run_wrk "$current_port" "$current_pid" "$scratch/coco_current.ids" \
    "$current_token")
  rb="$(awk -v a="$b" -v c="$c1" 'BEGIN { printf "%.3f", a / c }')"
  rn="$(awk -v a="$n" -v c="$c2" 'BEGIN { printf "%.3f", a / c }')"
  base_ratios+=("$rb"); current_ratios+=("$rn")
  base_cpu+=("$(awk -v s="$bs" -v p="$bpg" 'BEGIN { print s + p }')")
  current_cpu+=("$(awk -v s="$ns" -v p="$npg" 'BEGIN { print s + p }')")
  ceiling_cpu+=("$(awk -v s="$cs1" -v p="$cp1" 'BEGIN { print s + p }')" \
    "$(awk -v s="$cs2" -v p="$cp2" 'BEGIN { print s + p }')")
  printf 'round %s: ceiling %s req/s = %s; baseline %s req/s (p99 %s, CPU µs/req server %s + pg %s) = %s;' \
    "$round" "$c1" "$cs1+$cp1" "$b" "$bp" "$bs" "$bpg" "$rb"
  printf ' ceiling %s req/s = %s; current %s req/s (p99 %s, CPU µs/req server %s + pg %s) = %s\n' \
    "$c2" "$cs2+$cp2" "$n" "$np" "$ns" "$npg" "$rn"
done
echo "status read / ceiling, median of $rounds rounds: baseline $(printf '%s\n' "${base_ratios[@]}" | median)," \
  "current $(printf '%s\n' "${current_ratios[@]}" | median)"
echo "CPU µs per request (server + PostgreSQL), medians: ceiling $(printf '%s\n' "${ceiling_cpu[@]}" | median)," \
  "baseline $(printf '%s\n' "${base_cpu[@]}" | median), current $(printf '%s\n' "${current_cpu[@]}" | median)"

#!/usr/bin/env bash
# Webhook delivery under a burst (docs/notifications.md): EVENTS status changes of SUPPLIERS
# suppliers land in the outbox in one transaction (as a catalogue-wide trigger would write them),
# and coco delivers each to 3 subscribers over loopback. The receivers are the ceiling server in
# `body` mode (bare Pistache answering 200 to anything), so what is measured is coco's side; they
# stand for other machines, so they run at the lowest CPU priority and take what is left.
# Reports deliveries per second and the time to drain, the API's latency (wrk on GET /me, one
# database round trip) in WINDOWS windows of WRK_SECONDS each idle before the burst, during it
# and idle again after it drained, all in the same run, with the median of each phase (this
# machine's own noise moves a single window's p99 by half); and coco's RSS before and after.
# Builds Release, starts a throwaway PostgreSQL under /tmp, stops everything it started; the
# drain is bounded at 10 minutes.
#
#   bench/run_webhooks.sh [EVENTS] [SUPPLIERS] [WRK_SECONDS] [WINDOWS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
events="${1:-10000}"
suppliers="${2:-100}"
seconds="${3:-3}"
windows="${4:-3}"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
"$bin/coco" catalogue import "$COCO_ROOT/standards" 2>/dev/null
token="$("$bin/coco" token create --role admin --name bench 2>/dev/null)"
sql() { "$PG_BIN/psql" "$COCO_DATABASE_URL" -qtAX -c "$1"; }

receivers=()
for _ in 1 2 3; do
  port="$(free_port)"
  bench_start nice -n 19 "$bin/bench/coco_bench_ceiling" body "$port" 1
  receivers+=("$port")
done
coco_port="$(free_port)"
bench_start env COCO_LOG_LEVEL=warn COCO_THREADS=2 COCO_WEBHOOK_ALLOW_HTTP=127.0.0.1 \
  COCO_WEBHOOK_ALLOW_HOSTS=127.0.0.1 COCO_WEBHOOK_INTERVAL_MS=100 \
  "$bin/coco" serve --port "$coco_port" --no-migrate
coco_pid="${pids[-1]}"
for port in "${receivers[@]}" "$coco_port"; do wait_http "$port"; done
api="http://127.0.0.1:$coco_port"

sql "INSERT INTO suppliers (id, name, contact_email)
     SELECT gen_random_uuid(), 'bench ' || g, 'bench@example.org' FROM generate_series(1, $suppliers) g"
for port in "${receivers[@]}"; do
  curl -sf -o /dev/null -X POST "$api/webhooks" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -d "{\"url\": \"http://127.0.0.1:$port/hook\", \"event_types\": [\"status.changed\"]}"
done

rss() { awk '/VmRSS/ {print $2 " " $3}' "/proc/$coco_pid/status"; }
# phase NAME: $windows runs of wrk on GET /me, $seconds each; prints each and appends
# "NAME req/s p50 p99" (milliseconds) to $scratch/windows
phase() {
  local out rate p50 p99
  for _ in $(seq 1 "$windows"); do
    out="$(wrk -t1 -c8 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$api/me")"
    rate="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    printf '  %-8s %9s req/s   p50 %8s   p99 %8s\n' "$1" "$rate" "$p50" "$p99"
    echo "$1 $rate $(ms "$p50") $(ms "$p99")" >>"$scratch/windows"
  done
}
# ms 1.23ms|456.00us|1.01s: in milliseconds
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /[0-9]s$/ && v !~ /ms$/) n *= 1000; print n }'; }
delivered() { sql "SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'"; }

echo "webhooks: $events events of $suppliers suppliers to 3 subscribers over loopback," \
  "$(nproc) cores, $(date -u +%F)"
echo "RSS before: $(rss)"
phase idle

start="$(date +%s.%N)"
sql "INSERT INTO events (type, supplier_id, entity, entity_id, data, occurred_at)
     SELECT 'status.changed', s.id, 'supplier', s.id::text, '{}', now()
       FROM generate_series(1, $events) g
       JOIN LATERAL (SELECT id FROM suppliers ORDER BY id OFFSET (g % $suppliers) LIMIT 1) s ON true"
phase burst
busy_done="$(delivered)"
busy_end="$(date +%s.%N)"
want=$((events * 3))
done_count=0
for _ in $(seq 1 6000); do
  done_count="$(delivered)"
  [ "$done_count" -ge "$want" ] && break
  sleep 0.1
done
end="$(date +%s.%N)"
[ "$done_count" -ge "$want" ] || die "only $done_count of $want deliveries after 10 minutes"
[ "$busy_done" -lt "$want" ] || echo "warning: the burst drained before its windows ended"
awk -v n="$want" -v a="$start" -v b="$end" -v busy="$busy_done" -v c="$busy_end" \
  'BEGIN { printf "delivered %d in %.1f s: %.0f deliveries/s (%d in the %.1f s the API was busy, %.0f/s; the rest at %.0f/s)\n",
           n, b - a, n / (b - a), busy, c - a, busy / (c - a), (n - busy) / (b - c) }'
echo "RSS after: $(rss)"
failed="$(sql "SELECT count(*) FROM webhook_deliveries WHERE attempts > 1 OR state <> 'delivered'")"
echo "deliveries tried more than once or not delivered: $failed"
phase after

# The median of each phase's windows; idle is before and after together.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_of() { awk -v p="$1" -v c="$2" '($1 == p || (p == "idle" && $1 == "after")) { print $c }' "$scratch/windows" | median; }
for c in 2 3 4; do
  idle[c]="$(column_of idle "$c")"
  burst[c]="$(column_of burst "$c")"
done
awk -v ir="${idle[2]}" -v i50="${idle[3]}" -v i99="${idle[4]}" \
  -v br="${burst[2]}" -v b50="${burst[3]}" -v b99="${burst[4]}" 'BEGIN {
  printf "median idle:  %7.0f req/s   p50 %5.2f ms   p99 %5.2f ms\n", ir, i50, i99
  printf "median burst: %7.0f req/s   p50 %5.2f ms   p99 %5.2f ms\n", br, b50, b99
  printf "burst / idle: throughput %.2fx   p50 %.2fx   p99 %.2fx\n", br / ir, b50 / i50, b99 / i99 }'

#!/usr/bin/env bash
# Webhook delivery under a burst (docs/notifications.md): EVENTS status changes of SUPPLIERS
# suppliers land in the outbox in one transaction (as a catalogue-wide trigger would write them),
# and coco delivers each to 3 subscribers over loopback. The receivers are the ceiling server in
# `body` mode (bare Pistache answering 200 to anything), so what is measured is coco's side.
# Reports deliveries per second and the time to drain, the API's latency (wrk on GET /me, one
# database round trip) idle and during the burst in the same run, and coco's RSS before and
# after. Builds Release, starts a throwaway PostgreSQL under /tmp, stops everything it started;
# the drain is bounded at 10 minutes.
#
#   bench/run_webhooks.sh [EVENTS] [SUPPLIERS] [WRK_SECONDS]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"
events="${1:-10000}"
suppliers="${2:-100}"
seconds="${3:-5}"

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_setup
"$bin/coco" catalogue import "$COCO_ROOT/standards" 2>/dev/null
token="$("$bin/coco" token create --role admin --name bench 2>/dev/null)"
sql() { "$PG_BIN/psql" "$COCO_DATABASE_URL" -qtAX -c "$1"; }

receivers=()
for _ in 1 2 3; do
  port="$(free_port)"
  bench_start "$bin/bench/coco_bench_ceiling" body "$port" 1
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
# latency NAME: wrk on GET /me for $seconds; prints "NAME req/s p50 p99"
latency() {
  local out
  out="$(wrk -t1 -c8 -d"${seconds}s" --latency -H "Authorization: Bearer $token" "$api/me")"
  printf '%-28s %9s req/s   p50 %8s   p99 %8s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" "$(awk '$1 == "50%" {print $2}' <<<"$out")" \
    "$(awk '$1 == "99%" {print $2}' <<<"$out")"
}

echo "webhooks: $events events of $suppliers suppliers to 3 subscribers over loopback," \
  "$(nproc) cores, $(date -u +%F)"
echo "RSS before: $(rss)"
latency "API idle"

start="$(date +%s.%N)"
sql "INSERT INTO events (type, supplier_id, entity, entity_id, data, occurred_at)
     SELECT 'status.changed', s.id, 'supplier', s.id::text, '{}', now()
       FROM generate_series(1, $events) g
       JOIN LATERAL (SELECT id FROM suppliers ORDER BY id OFFSET (g % $suppliers) LIMIT 1) s ON true"
latency "API during the burst"
want=$((events * 3))
delivered=0
for _ in $(seq 1 6000); do
  delivered="$(sql "SELECT count(*) FROM webhook_deliveries WHERE state = 'delivered'")"
  [ "$delivered" -ge "$want" ] && break
  sleep 0.1
done
end="$(date +%s.%N)"
[ "$delivered" -ge "$want" ] || die "only $delivered of $want deliveries after 10 minutes"
awk -v n="$want" -v a="$start" -v b="$end" \
  'BEGIN { printf "delivered %d in %.1f s: %.0f deliveries/s\n", n, b - a, n / (b - a) }'
echo "RSS after: $(rss)"
failed="$(sql "SELECT count(*) FROM webhook_deliveries WHERE attempts > 1 OR state <> 'delivered'")"
echo "deliveries tried more than once or not delivered: $failed"

#!/usr/bin/env bash
# Runs the README walkthrough exactly as written (the bash block between the walkthrough markers)
# against a fresh coco: its own database on the test cluster, the catalogue imported, an admin
# token made by the CLI. Fails if any command fails or an expected line is missing.
#
#   COCO_BINARY=build/coco COCO_TEST_DATABASE_URL=postgresql://coco@127.0.0.1:PORT/postgres \
#     tests/walkthrough/run.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$root/scripts/lib/common.sh"
: "${COCO_BINARY:?}" "${COCO_TEST_DATABASE_URL:?}"

work="$(mktemp -d /tmp/coco-walkthrough.XXXXXX)"
database="walkthrough_$$_$RANDOM"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  "$PG_BIN/psql" "$COCO_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$PG_BIN/psql" "$COCO_TEST_DATABASE_URL" -qc "CREATE DATABASE $database" >/dev/null
export COCO_DATABASE_URL="${COCO_TEST_DATABASE_URL%/*}/$database"
"$COCO_BINARY" migrate >/dev/null 2>&1
"$COCO_BINARY" catalogue import "$root/standards" >/dev/null 2>&1
ADMIN_TOKEN="$("$COCO_BINARY" token create --role admin --name walkthrough 2>/dev/null)"
export ADMIN_TOKEN

port="$(free_port)"
COCO_PORT="$port" COCO_LOG_LEVEL=warn COCO_SIGNING_KEY="$work/signing-key.pem" "$COCO_BINARY" serve \
  2>"$work/server.log" &
server=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
export COCO="http://127.0.0.1:$port"

# The block, verbatim.
awk '/<!-- walkthrough:begin -->/ { on = 1; next } /<!-- walkthrough:end -->/ { on = 0 }
     on && !/^```/' "$root/README.md" >"$work/walkthrough.sh"
[ -s "$work/walkthrough.sh" ] || { echo "no walkthrough block in README.md" >&2; exit 1; }

cd "$work"
if ! bash -euo pipefail walkthrough.sh >output.txt 2>&1; then
  echo "the README walkthrough failed; its output:" >&2
  cat output.txt >&2
  echo "--- server log ---" >&2
  tail -20 server.log >&2
  exit 1
fi
cat output.txt

expect() {
  grep -q -- "$1" output.txt || { echo "walkthrough output lacks: $1" >&2; exit 1; }
}
expect '"state":"submitted"'
expect '"state":"approved"'
expect '"standard": "COCO"'
expect '"status": "conditionally_assured"'
expect '"open_actions"'
expect '"next_change"'
expect 'Signature Verified Successfully'
expect '"iss":"coco"'
expect 'yesterday: 404'
expect '"at":"before approval","status":"not_assessed","coco":"in_progress"'
expect '"standard":"COCO","from_status":"in_progress","to_status":"conditionally_assured"'
echo "README walkthrough: OK"

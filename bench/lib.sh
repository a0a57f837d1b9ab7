# Shared by the benchmark scripts: a Release build with the benchmark targets and a throwaway
# PostgreSQL under /tmp, migrated, stopped with everything else the script started on exit.
# Sourced after scripts/lib/common.sh. Sets: bin, scratch, pg_port, COCO_DATABASE_URL, pids.
bench_setup() {
  install_packages "${COCO_PACKAGES[@]}" wrk libbenchmark-dev
  install_tools
  build "$COCO_ROOT/build/bench" Release -DCOCO_BUILD_TESTS=OFF -DCOCO_BUILD_BENCH=ON
  bin="$COCO_ROOT/build/bench"

  scratch="$(mktemp -d /tmp/coco-bench.XXXXXX)"
  chmod 755 "$scratch"
  pids=()
  trap bench_cleanup EXIT

  pg_init "$scratch/pgdata"
  pg_port="$(free_port)"
  pg_start "$scratch/pgdata" "$pg_port" "-c fsync=off -c synchronous_commit=off"
  pg_ensure_database "$pg_port" coco
  export COCO_DATABASE_URL="postgresql://coco@127.0.0.1:$pg_port/coco"
  "$bin/coco" migrate 2>/dev/null
}

bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  pg_stop "$scratch/pgdata"
  rm -rf "$scratch"
}

# bench_start COMMAND...: starts a server in the background (stderr dropped), remembered
# for cleanup.
bench_start() {
  "$@" 2>/dev/null &
  pids+=($!)
}

# wait_http PORT: until something accepts connections there (10 s at most).
wait_http() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "nothing listens on $1"
}

# wait_journalled URL: until the status scheduler of the server on URL has journalled every
# supplier and left nothing queued (5 minutes at most), so that its one-off catch-up of a freshly
# seeded database is not measured as part of the reads. No-op for a version without a journal.
wait_journalled() {
  local url="$1" left
  if [ "$("$PG_BIN/psql" "$url" -tAc "SELECT to_regclass('status_journal') IS NOT NULL")" != t ]; then
    return 0
  fi
  for _ in $(seq 1 300); do
    left="$("$PG_BIN/psql" "$url" -tAc "SELECT (SELECT count(*) FROM suppliers s WHERE NOT EXISTS
      (SELECT 1 FROM status_journal j WHERE j.supplier_id = s.id))
      + (SELECT count(*) FROM status_pending)")"
    if [ "$left" = 0 ]; then return 0; fi
    sleep 1
  done
  die "the status scheduler did not catch up on $url"
}

#!/usr/bin/env bash
# run_fuzzer.sh BINARY FUZZ_DIR SECONDS ARTIFACTS: runs one libFuzzer target for SECONDS on its
# seed corpus (fuzz/corpus/<name>, and standards/ for the catalogue target; read only) plus a
# scratch folder that receives the new inputs, with its dictionary when there is one. Exits non-zero on any crash, leak, timeout or sanitizer
# report; the reproducer is left in ARTIFACTS.
set -euo pipefail
binary="$1" fuzz_dir="$2" seconds="$3" artifacts="$4"
name="$(basename "$binary")"
scratch="$(mktemp -d "/tmp/coco-fuzz-$name.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
      -artifact_prefix="$artifacts/$name-")
if [ -f "$fuzz_dir/$name.dict" ]; then args+=(-dict="$fuzz_dir/$name.dict"); fi
seeds=()
if [ -d "$fuzz_dir/corpus/$name" ]; then seeds+=("$fuzz_dir/corpus/$name"); fi
# The catalogue target's seeds are the shipped standards themselves, not copies that drift.
if [ "$name" = catalogue_fuzzer ]; then seeds+=("$fuzz_dir/../standards"); fi
exec "$binary" "${args[@]}" "$scratch" "${seeds[@]}"

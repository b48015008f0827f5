#!/usr/bin/env bash
# Top-up benchmark (issue 14's table), in one run on a fresh embedded cluster: a fresh seed of
# the target profile beside top-ups to it from smaller databases, batch by batch
# (--append-mode batch), in one transaction per table keeping the indexes (transaction) and as
# auto chooses (one transaction, the indexes rebuilt where the new rows at least double a table),
# and a top-up of 1% more rows. Prints the seconds of each command and its ratio to the fresh
# seed.
#
#   bash bench/topup_bench.sh [build-dir] [target]      (defaults: build, xl)
#
# Each case starts from a database seeded (not timed) with the starting profile; the top-ups use
# --allow-mismatch, since the profiles differ in their targets only by name. ROUNDS=N repeats the
# whole table (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
target=${2:-xl}
source bench/cluster.sh "$build" "$target"
rounds=${ROUNDS:-1}

# Creates database $1 (fresh_db runs in the caller's shell, so names are the caller's).
fresh_db() { psql "$(url_of postgres)" -qAtc "CREATE DATABASE $1" >/dev/null; }
# Seconds of one seedforge command.
timed() {
  local start end
  start=$(date +%s.%N)
  "$bin" "$@" --quiet
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }'
}
drop() { psql "$(url_of postgres)" -qAtc "DROP DATABASE $1" >/dev/null; }

printf '%-34s %10s %8s\n' case seconds ratio
for _ in $(seq "$rounds"); do
  db=topup_fresh
  fresh_db "$db"
  fresh=$(timed seed --db "$(url_of "$db")" --profile "$target")
  printf '%-34s %10s %8s\n' "fresh $target" "$fresh" 1.00
  # xl plus 1% of each table, batch by batch and in one transaction.
  for mode in batch auto; do
    db2=topup_scaled_$mode
    fresh_db "$db2"
    "$bin" seed --db "$(url_of "$db2")" --profile "$target" --quiet
    scaled=$(timed seed --db "$(url_of "$db2")" --profile "$target" --scale 1.01 --append-mode "$mode")
    printf '%-34s %10s %8s\n' "$target +1% ($mode)" "$scaled" \
      "$(awk -v a="$scaled" -v b="$fresh" 'BEGIN { printf "%.2f", a / b }')"
    drop "$db2"
  done
  drop "$db"
  for start in default large; do
    [ "$start" = "$target" ] && continue
    for mode in batch transaction auto; do
      db=topup_${start}_$mode
      fresh_db "$db"
      "$bin" seed --db "$(url_of "$db")" --profile "$start" --quiet
      seconds=$(timed seed --db "$(url_of "$db")" --profile "$target" --allow-mismatch \
        --append-mode "$mode")
      printf '%-34s %10s %8s\n' "$start -> $target ($mode)" "$seconds" \
        "$(awk -v a="$seconds" -v b="$fresh" 'BEGIN { printf "%.2f", a / b }')"
      drop "$db"
    done
  done
done

#!/usr/bin/env bash
# Where rebuilding a table's indexes after the COPY (--append-mode rebuild) starts to beat keeping
# them up to date row by row (--append-mode transaction), in one run on a fresh embedded cluster:
# from a database seeded with `large` (100,000 events), the events alone are topped up by a
# growing share of the rows present, on each path. Prints the seconds of each top-up and the
# ratio rebuild / transaction; `auto` rebuilds from a ratio of new to present rows of 1.
#
#   bash bench/rebuild_crossover.sh [build-dir]      (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/cluster.sh "${1:-build}" large
present=100000

timed() {
  local start end
  start=$(date +%s.%N)
  "$bin" "$@" --quiet
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }'
}

printf '%-22s %12s %12s %8s\n' "new / present rows" transaction rebuild ratio
for share in ${SHARES:-0.05 0.1 0.15 0.2 0.25 0.5 1 2 4}; do
  target=$(awk -v p="$present" -v s="$share" 'BEGIN { printf "%d", p * (1 + s) }')
  declare -A seconds=()
  for mode in transaction rebuild; do
    db=crossover_$mode
    psql "$(url_of postgres)" -qAtc "CREATE DATABASE $db" >/dev/null
    "$bin" seed --db "$(url_of "$db")" --profile large --quiet
    seconds[$mode]=$(timed seed --db "$(url_of "$db")" --profile large --rows "events=$target" \
      --append-mode "$mode")
    psql "$(url_of postgres)" -qAtc "DROP DATABASE $db" >/dev/null
  done
  printf '%-22s %12s %12s %8s\n' "$share" "${seconds[transaction]}" "${seconds[rebuild]}" \
    "$(awk -v a="${seconds[rebuild]}" -v b="${seconds[transaction]}" 'BEGIN { printf "%.2f", a / b }')"
done

#!/usr/bin/env bash
# End-to-end seeding benchmark: seeds `large` and `xl` into fresh databases of a fresh embedded
# PostgreSQL cluster and prints the seconds of each run (wall clock of the whole command,
# including connecting, planning, loading, index builds and constraint validation).
#
#   bash bench/seed_e2e.sh [build-dir] [profile ...]      (defaults: build, large xl)
#
# Each configuration (COPY format x connections) is run once per profile, each into a fresh
# database: text/2, binary/1 (tables one after another) and binary/2 (the default: empty tables
# load in parallel). Requires a built tree.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/cluster.sh "$@"

printf '%-8s %-8s %5s %10s %12s %10s\n' profile format conns rows seconds rows/s
n=0
for profile in "${profiles[@]}"; do
  for config in text:2 binary:1 binary:2; do
    format=${config%:*}
    connections=${config#*:}
    n=$((n + 1))
    db="bench_${profile}_${format}_$n"
    psql "$(url_of postgres)" -qAtc "CREATE DATABASE $db" >/dev/null
    url=$(url_of "$db")
    start=$(date +%s.%N)
    "$bin" seed --db "$url" --profile "$profile" --copy-format "$format" \
      --connections "$connections" --quiet --report "$home/report.json"
    end=$(date +%s.%N)
    rows=$(grep -o '"total": {"rows": [0-9]*' "$home/report.json" | grep -o '[0-9]*$')
    awk -v p="$profile" -v f="$format" -v c="$connections" -v r="$rows" -v s="$start" \
      -v e="$end" 'BEGIN { printf "%-8s %-8s %5d %10d %12.3f %10.0f\n", p, f, c, r, e - s, r / (e - s) }'
    psql "$(url_of postgres)" -qAtc "DROP DATABASE $db" >/dev/null
  done
done

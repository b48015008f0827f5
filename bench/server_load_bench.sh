#!/usr/bin/env bash
# seedforge beside the server's own best load of the same rows, in one run on one fresh embedded
# PostgreSQL cluster, per profile (default: large xl).
#
#   bash bench/server_load_bench.sh [build-dir] [profile ...]      (defaults: build, large xl)
#   ROUNDS=3 (default) runs each side that many times, alternating, each into a fresh database.
#
# The reference ("server"), as a DBA would load the rows by hand with nothing but the server:
#   untimed: `seedforge generate --format csv` writes the rows; the tables are created bare (the
#            pre-data section of a schema-only pg_dump of a database seedforge filled: columns,
#            defaults, identities, CHECKs; no keys, indexes or foreign keys);
#   timed:   server-side `COPY ... FROM 'file' (FORMAT csv, FREEZE)` right after a TRUNCATE in
#            the same transaction, in two sessions at once (the largest table alone in one, the
#            others one after another in the other), then the keys, indexes and foreign keys
#            (pg_restore --section=post-data -j 2).
# seedforge: `seedforge seed --profile P` into a fresh, empty database, wall clock of the whole
# command (connecting, planning, generating, loading, keys, indexes, foreign keys, history).
# The ratio is seedforge's seconds over the reference's (below 1: seedforge is faster). Both load
# the same rows (checked: row count and md5 of the largest table). The load average is printed:
# numbers from a shared machine are only comparable within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/cluster.sh "$@"
rounds=${ROUNDS:-3}
admin=$(url_of postgres)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)  # the server's own tools
sql() { psql "$1" -qAtc "$2"; }
fresh_db() { sql "$admin" "DROP DATABASE IF EXISTS $1" >/dev/null 2>&1; sql "$admin" "CREATE DATABASE $1" >/dev/null; }
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.3f", e - s }'; }
fingerprint() {  # database, table: "rows md5"
  sql "$(url_of "$1")" "SELECT count(*) || ' ' || md5(string_agg(t::text, '' ORDER BY id)) FROM $2 t"
}

# One session's share of the reference load: TRUNCATE + COPY FREEZE per table, a transaction each.
load_tables() {  # database, csv folder, table...
  local url=$1 folder=$2
  shift 2
  local script=""
  for table in "$@"; do
    local columns
    columns=$(head -1 "$folder/$table.csv")
    script+="BEGIN; TRUNCATE $table; COPY $table ($columns) FROM '$folder/$table.csv' (FORMAT csv, HEADER true, FREEZE true); COMMIT;"
  done
  psql "$url" -qX -v ON_ERROR_STOP=1 -c "$script" >/dev/null
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
printf '%-8s %-6s %-10s %9s\n' profile round side seconds
for profile in "${profiles[@]}"; do
  # The rows as CSV and the bare schema, once per profile (untimed).
  csv="$home/csv_$profile"
  rm -rf "$csv"
  "$bin" generate --profile "$profile" --format csv --out "$csv" --quiet
  chmod 755 "$csv"
  chmod 644 "$csv"/*.csv
  mapfile -t tables < <(cd "$csv" && ls -S -- *.csv | sed 's/\.csv$//')  # largest first
  largest=${tables[0]}
  fresh_db "bench_${profile}_model"
  "$bin" seed --db "$(url_of "bench_${profile}_model")" --profile "$profile" --rows users=1 \
    --rows applications=1 --rows assets=1 --rows deployments=1 --rows events=1 --quiet
  archive="$home/schema_$profile.dump"
  table_args=()
  for table in "${tables[@]}"; do table_args+=("--table=public.$table"); done
  "$pg_bin/pg_dump" --schema-only --format=custom --no-owner --no-privileges "${table_args[@]}" \
    --file="$archive" "$(url_of "bench_${profile}_model")"
  expected=""
  seedforge_total=0
  server_total=0
  for round in $(seq 1 "$rounds"); do
    db="bench_${profile}_sf"
    fresh_db "$db"
    start=$(now)
    "$bin" seed --db "$(url_of "$db")" --profile "$profile" --quiet
    end=$(now)
    seconds=$(elapsed "$start" "$end")
    seedforge_total=$(awk -v a="$seedforge_total" -v b="$seconds" 'BEGIN { print a + b }')
    printf '%-8s %-6s %-10s %9s\n' "$profile" "$round" seedforge "$seconds"
    got=$(fingerprint "$db" "$largest")
    [ -z "$expected" ] && expected=$got
    [ "$got" = "$expected" ] || { echo "MISMATCH seedforge $profile: $got vs $expected" >&2; exit 1; }

    db="bench_${profile}_server"
    fresh_db "$db"
    "$pg_bin/pg_restore" --section=pre-data --no-owner --dbname="$(url_of "$db")" "$archive"
    start=$(now)
    load_tables "$(url_of "$db")" "$csv" "$largest" &
    first=$!
    load_tables "$(url_of "$db")" "$csv" "${tables[@]:1}"
    wait "$first"
    "$pg_bin/pg_restore" --section=post-data -j 2 --no-owner --dbname="$(url_of "$db")" "$archive"
    end=$(now)
    seconds=$(elapsed "$start" "$end")
    server_total=$(awk -v a="$server_total" -v b="$seconds" 'BEGIN { print a + b }')
    printf '%-8s %-6s %-10s %9s\n' "$profile" "$round" server "$seconds"
    got=$(fingerprint "$db" "$largest")
    [ "$got" = "$expected" ] || { echo "MISMATCH server $profile: $got vs $expected" >&2; exit 1; }
  done
  awk -v p="$profile" -v s="$seedforge_total" -v r="$server_total" -v n="$rounds" 'BEGIN {
    printf "%-8s mean   seedforge %.3f s, server %.3f s, ratio %.2f\n", p, s / n, r / n, s / r }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Snapshot benchmark: seedforge snapshot create/restore beside pg_dump -Fc / pg_restore, in one
# run on one fresh embedded PostgreSQL cluster, per profile (default: large xl).
#
#   bash bench/snapshot_bench.sh [build-dir] [profile ...]      (defaults: build, large xl)
#
# Per profile, on a freshly seeded database:
#   create      seedforge snapshot create        vs  pg_dump -Fc          (seconds, bytes)
#   template    seedforge snapshot create --template (files + template database)
#   restore     into an emptied database (a new, empty one; the same state for both tools):
#               seedforge snapshot restore --no-template  vs  pg_restore, and pg_restore -j 2
#   replace     over the seeded database itself (rows changed first): seedforge rows path,
#               template clone, and pg_restore --clean --if-exists --single-transaction
# Every restored database is checked against the source (row count and md5 of events). Wall
# clock of whole commands. The machine's load average is printed before and after: numbers from
# a shared machine are only comparable within one run.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/cluster.sh "$@"
admin=$(url_of postgres)
sql() { psql "$1" -qAtc "$2"; }
fresh_db() { sql "$admin" "DROP DATABASE IF EXISTS $1" >/dev/null; sql "$admin" "CREATE DATABASE $1" >/dev/null; }
now() { date +%s.%N; }
elapsed() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.2f", e - s }'; }
check() {  # database, expected "rows md5" of events
  local got
  got=$(sql "$(url_of "$1")" "SELECT count(*) || ' ' || md5(string_agg(e::text, '' ORDER BY id)) FROM events e")
  [ "$got" = "$2" ] || { echo "MISMATCH in $1: $got" >&2; exit 1; }
}
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
printf '%-8s %-44s %9s %12s\n' profile step seconds size
row() { printf '%-8s %-44s %9s %12s\n' "$@"; }
for profile in "${profiles[@]}"; do
  src="bench_${profile}"
  fresh_db "$src"
  src_url=$(url_of "$src")
  start=$(now)
  "$bin" seed --db "$src_url" --profile "$profile" --quiet
  row "$profile" "seed (for reference)" "$(elapsed "$start" "$(now)")" ""
  sql "$src_url" "VACUUM ANALYZE" >/dev/null
  expected=$(sql "$src_url" "SELECT count(*) || ' ' || md5(string_agg(e::text, '' ORDER BY id)) FROM events e")
  snaps="$home/snapshots"

  start=$(now)
  "$bin" snapshot create files --dir "$snaps" --db "$src_url" --quiet
  end=$(now)
  row "$profile" "seedforge snapshot create" "$(elapsed "$start" "$end")" "$(mb "$(du -sb "$snaps/files" | cut -f1)")"
  start=$(now)
  pg_dump -Fc -f "$home/$profile.dump" "$src_url"
  end=$(now)
  row "$profile" "pg_dump -Fc" "$(elapsed "$start" "$end")" "$(mb "$(stat -c %s "$home/$profile.dump")")"
  start=$(now)
  "$bin" snapshot create tpl --template --dir "$snaps" --db "$src_url" --quiet
  end=$(now)
  row "$profile" "seedforge snapshot create --template" "$(elapsed "$start" "$end")" "$(mb "$(du -sb "$snaps/tpl" | cut -f1)")"

  fresh_db "${src}_sf"
  start=$(now)
  "$bin" snapshot restore files --dir "$snaps" --db "$(url_of "${src}_sf")" --yes --quiet
  row "$profile" "seedforge restore into an empty database" "$(elapsed "$start" "$(now)")" ""
  check "${src}_sf" "$expected"
  fresh_db "${src}_pg"
  start=$(now)
  pg_restore -d "$(url_of "${src}_pg")" "$home/$profile.dump"
  row "$profile" "pg_restore into an empty database" "$(elapsed "$start" "$(now)")" ""
  check "${src}_pg" "$expected"
  fresh_db "${src}_pg"
  start=$(now)
  pg_restore -j 2 -d "$(url_of "${src}_pg")" "$home/$profile.dump"
  row "$profile" "pg_restore -j 2 into an empty database" "$(elapsed "$start" "$(now)")" ""
  check "${src}_pg" "$expected"
  sql "$admin" "DROP DATABASE ${src}_sf" >/dev/null
  sql "$admin" "DROP DATABASE ${src}_pg" >/dev/null

  sql "$src_url" "DELETE FROM events WHERE id % 10 = 0; UPDATE users SET role = 'changed'" >/dev/null
  start=$(now)
  "$bin" snapshot restore files --dir "$snaps" --db "$src_url" --yes --quiet
  row "$profile" "seedforge restore replacing rows" "$(elapsed "$start" "$(now)")" ""
  check "$src" "$expected"
  sql "$src_url" "DELETE FROM events WHERE id % 10 = 0; UPDATE users SET role = 'changed'" >/dev/null
  start=$(now)
  "$bin" snapshot restore tpl --dir "$snaps" --db "$src_url" --yes --quiet
  row "$profile" "seedforge restore from the template" "$(elapsed "$start" "$(now)")" ""
  check "$src" "$expected"
  sql "$src_url" "DELETE FROM events WHERE id % 10 = 0; UPDATE users SET role = 'changed'" >/dev/null
  start=$(now)
  pg_restore --clean --if-exists --single-transaction -d "$src_url" "$home/$profile.dump"
  row "$profile" "pg_restore --clean --single-transaction" "$(elapsed "$start" "$(now)")" ""
  check "$src" "$expected"

  "$bin" snapshot delete tpl --dir "$snaps" --db "$src_url" --quiet
  rm -rf "$snaps" "$home/$profile.dump"
  sql "$admin" "DROP DATABASE $src" >/dev/null
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

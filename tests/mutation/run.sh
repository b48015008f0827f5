#!/usr/bin/env bash
# Mutation check: does the test suite catch small, plausible bugs?
#
# For each line of tests/mutation/mutations.txt (see its header for the format) this script
# applies one source change to a scratch copy of the tree, builds it incrementally in one reused
# scratch build folder, runs the suite, puts the file back, and finally prints a table:
# mutation, caught/survived, first failing test. A mutation whose search text no longer occurs
# exactly once stops the script with an error (fix the list, do not let it go silently stale).
#
# TOO SLOW FOR CI: every mutation is a rebuild plus a full suite run (the server suites start a
# PostgreSQL and take minutes). Run it by hand before resolving a change to the engine, e.g.
#   tests/mutation/run.sh                                  # every mutation, whole suite
#   MUTATION_SUITE=unit MUTATION_TESTS=unit_tests tests/mutation/run.sh   # no server needed
#
# Environment:
#   MUTATION_TESTS    regex of the test binaries to run (unit_tests, db_tests, cli_tests);
#                     default: all of them
#   MUTATION_FILTER   --gtest_filter for every binary; default: all tests
#   MUTATION_SUITE    run only the mutations whose suite column is this (unit or server)
#   MUTATION_ONLY     comma-separated mutation numbers (1-based, in file order) to run
#   MUTATION_SCRATCH  scratch folder (source copy + build), reused between runs;
#                     default /tmp/seedforge-mutation-$USER
#   MUTATION_TIMEOUT  seconds per test binary run (a hang counts as caught); default 1800
#   MUTATION_JOBS     build parallelism; default 2
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
list="${MUTATION_LIST:-$root/tests/mutation/mutations.txt}"
scratch="${MUTATION_SCRATCH:-/tmp/seedforge-mutation-${USER:-$(id -un)}}"
tests_regex="${MUTATION_TESTS:-.}"
filter="${MUTATION_FILTER:-*}"
only_suite="${MUTATION_SUITE:-}"
only="${MUTATION_ONLY:-}"
timeout_seconds="${MUTATION_TIMEOUT:-1800}"
jobs="${MUTATION_JOBS:-2}"
src="$scratch/src"
build="$scratch/build"
log="$scratch/logs"

die() { echo "mutation: $*" >&2; exit 2; }

# --- The scratch copy: the tree without build folders or .git, refreshed on every run. ---
# The copy is made afresh (a file deleted or moved in the tree must not linger in it); tar keeps
# modification times, so the objects of unchanged files stay up to date.
rm -rf "$src"
mkdir -p "$src" "$build" "$log"
(cd "$root" && tar --exclude=./build --exclude='./build-*' --exclude=./.git -cf - .) |
  (cd "$src" && tar -xf -)
# Every file a mutation ever touched is touched again after the refresh too: the refresh puts
# back its original (older) mtime, and the build would keep the object made from the mutant.
if [[ -f "$scratch/mutated" ]]; then
  cat "$scratch/mutated" >>"$scratch/ever-mutated"
  rm -f "$scratch/mutated"
fi
if [[ -f "$scratch/ever-mutated" ]]; then
  sort -u "$scratch/ever-mutated" | while IFS= read -r touched; do
    if [[ -f "$src/$touched" ]]; then touch "$src/$touched"; fi  # it may have moved since
  done
fi
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$log/cmake.log" 2>&1 ||
  die "cmake failed, see $log/cmake.log"

binaries=()
for name in unit_tests db_tests cli_tests; do
  if [[ "$name" =~ $tests_regex ]]; then binaries+=("$name"); fi
done
[[ ${#binaries[@]} -gt 0 ]] || die "MUTATION_TESTS='$tests_regex' matches no test binary"

build_tree() {  # $1: log file
  cmake --build "$build" -j"$jobs" --target seedforge "${binaries[@]}" >"$1" 2>&1
}

# Runs the chosen binaries; prints the first failing test (or the binary that failed), or
# nothing when everything passed.
run_suite() {  # $1: log prefix
  local name status first
  for name in "${binaries[@]}"; do
    status=0
    timeout "$timeout_seconds" "$build/tests/$name" --gtest_color=no --gtest_filter="$filter" \
      >"$1.$name.log" 2>&1 || status=$?
    if [[ $status -ne 0 ]]; then
      first="$(grep -m1 -E '^\[  FAILED  \] [A-Za-z_0-9/.]+' "$1.$name.log" |
        sed -E 's/^\[  FAILED  \] ([^ ,]+).*/\1/' || true)"
      if [[ $status -eq 124 ]]; then first="${first:-$name timed out}"; fi
      echo "${first:-$name exit $status}"
      return 0
    fi
  done
}

# Literal search-and-replace of one occurrence; fails unless `search` occurs exactly once.
# "\n" in the fields stands for a newline.
apply() {  # $1 file, $2 search, $3 replace
  python3 - "$1" "$2" "$3" <<'EOF'
import sys
path, search, replace = sys.argv[1], sys.argv[2].replace("\\n", "\n"), sys.argv[3].replace("\\n", "\n")
text = open(path, encoding="utf-8").read()
count = text.count(search)
if count != 1:
    sys.exit(f"{path}: the search text occurs {count} times (expected exactly once): {search!r}")
open(path, "w", encoding="utf-8").write(text.replace(search, replace, 1))
EOF
}

# --- Read the list and check every mutation still applies before spending time on builds. ---
declare -a m_suite m_file m_search m_replace m_what
while IFS= read -r line || [[ -n "$line" ]]; do
  [[ -z "${line// /}" || "$line" == \#* ]] && continue
  rest="$line"
  fields=()
  while [[ "$rest" == *" ||| "* ]]; do
    fields+=("${rest%% ||| *}")
    rest="${rest#* ||| }"
  done
  fields+=("$rest")
  [[ ${#fields[@]} -eq 5 ]] || die "bad line in $list (expected 5 fields): $line"
  m_suite+=("${fields[0]}")
  m_file+=("${fields[1]}")
  m_search+=("${fields[2]}")
  m_replace+=("${fields[3]}")
  m_what+=("${fields[4]}")
done <"$list"
count=${#m_file[@]}
for ((i = 0; i < count; ++i)); do
  file="$src/${m_file[$i]}"
  [[ -f "$file" ]] || die "mutation $((i + 1)): no file ${m_file[$i]}"
  cp "$file" "$scratch/check.tmp"
  apply "$scratch/check.tmp" "${m_search[$i]}" "${m_replace[$i]}" ||
    die "mutation $((i + 1)) (${m_what[$i]}) no longer applies"
done
rm -f "$scratch/check.tmp"

selected() {  # $1: index
  [[ -n "$only_suite" && "${m_suite[$1]}" != "$only_suite" ]] && return 1
  if [[ -n "$only" ]]; then
    [[ ",$only," == *",$(($1 + 1)),"* ]] || return 1
  fi
  return 0
}

# --- Baseline: the unchanged tree must build and pass, or the check means nothing. ---
echo "mutation: building the unchanged tree in $build" >&2
build_tree "$log/baseline.build.log" || die "the unchanged tree does not build, see $log/baseline.build.log"
baseline="$(run_suite "$log/baseline")"
[[ -z "$baseline" ]] || die "the unchanged tree fails ($baseline), see $log/baseline.*.log"

results=()
caught=0
survived=0
tried=0
for ((i = 0; i < count; ++i)); do
  selected "$i" || continue
  n=$((i + 1))
  file="$src/${m_file[$i]}"
  cp -p "$file" "$scratch/original.tmp"
  echo "${m_file[$i]}" >"$scratch/mutated"
  echo "${m_file[$i]}" >>"$scratch/ever-mutated"
  trap 'cp "$scratch/original.tmp" "$file"; touch "$file"; rm -f "$scratch/mutated"' EXIT
  apply "$file" "${m_search[$i]}" "${m_replace[$i]}"
  echo "mutation $n: ${m_what[$i]}" >&2
  if ! build_tree "$log/m$n.build.log"; then
    outcome="caught"
    first="(does not build)"
  else
    first="$(run_suite "$log/m$n")"
    if [[ -n "$first" ]]; then outcome="caught"; else outcome="SURVIVED"; first="-"; fi
  fi
  # Restore with a fresh mtime so that the next build recompiles the file.
  cp "$scratch/original.tmp" "$file"
  touch "$file"
  rm -f "$scratch/mutated"
  trap - EXIT
  tried=$((tried + 1))
  if [[ "$outcome" == caught ]]; then caught=$((caught + 1)); else survived=$((survived + 1)); fi
  results+=("$(printf '%3d | %-6s | %-8s | %-58s | %s' "$n" "${m_suite[$i]}" "$outcome" \
    "${m_what[$i]:0:58}" "$first")")
  echo "  -> $outcome: $first" >&2
done

printf '\n%3s | %-6s | %-8s | %-58s | %s\n' "#" "suite" "result" "mutation" "first failing test"
printf '%s\n' "----+--------+----------+-$(printf '%.0s-' {1..58})-+-------------------"
printf '%s\n' "${results[@]}"
printf '\n%d tried, %d caught, %d survived (tests: %s, filter: %s)\n' "$tried" "$caught" \
  "$survived" "${binaries[*]}" "$filter"
[[ $survived -eq 0 ]]

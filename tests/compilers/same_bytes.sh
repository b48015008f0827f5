#!/usr/bin/env bash
# Two compilers, one output: builds the seedforge binary a second time with Clang (clang++, tests
# and benchmarks off, warnings as errors) into its own build folder, then checks that it writes
# exactly the bytes the GCC build writes for the xl profile in every file format, and for the
# profiles that declare their tables in COPY text. This is the test
# behind "the same bytes on any machine": generation must not depend on the compiler's floating
# point, its order of evaluation or its standard library.
#
# Usage: same_bytes.sh SOURCE_DIR CLANG_BUILD_DIR GCC_SEEDFORGE_BINARY
# Run by ctest (tests/CMakeLists.txt, test `compilers_same_bytes`). Fails loudly, naming the
# format and the files, on any difference. Each format's output is hashed and deleted before the
# next is written, so at most one format of one build is on disk at a time.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 SOURCE_DIR CLANG_BUILD_DIR GCC_SEEDFORGE_BINARY" >&2
  exit 2
fi
source_dir=$1
build_dir=$2
gcc_binary=$3

if ! command -v clang++ >/dev/null 2>&1; then
  echo "same_bytes: clang++ not found (bash scripts/install-deps.sh installs Debian's clang)" >&2
  exit 1
fi

echo "same_bytes: building seedforge with $(clang++ --version | head -n 1) in $build_dir"
if ! cmake -S "$source_dir" -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=Release -DSEEDFORGE_BUILD_TESTS=OFF -DSEEDFORGE_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS=-Werror >"$build_dir.configure.log" 2>&1; then
  cat "$build_dir.configure.log" >&2
  echo "same_bytes: FAILED: configuring the Clang build" >&2
  exit 1
fi
if ! cmake --build "$build_dir" -j"$(nproc)" --target seedforge; then
  echo "same_bytes: FAILED: the Clang build does not build warning-free" >&2
  exit 1
fi
clang_binary=$build_dir/seedforge

work=$(mktemp -d "${TMPDIR:-/tmp}/seedforge-same-bytes.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Writes profile $3 (default xl) in format $2 with binary $1 and prints "sha256  file" per file.
sums() {
  local binary=$1 format=$2 profile=${3:-xl} out=$work/out
  rm -rf "$out"
  "$binary" generate --profile "$profile" --format "$format" --out "$out" --quiet
  (cd "$out" && sha256sum -- *)
  rm -rf "$out"
}

failed=0
for format in copy-binary copy-text csv jsonl; do
  gcc_sums=$(sums "$gcc_binary" "$format")
  clang_sums=$(sums "$clang_binary" "$format")
  files=$(wc -l <<<"$gcc_sums")
  if [[ -z "$gcc_sums" || "$files" -lt 5 ]]; then
    echo "same_bytes: FAILED: $format: the GCC build wrote $files files, expected 5" >&2
    failed=1
  elif [[ "$gcc_sums" != "$clang_sums" ]]; then
    echo "same_bytes: FAILED: $format: the GCC and Clang builds wrote different bytes" >&2
    diff <(echo "$gcc_sums") <(echo "$clang_sums") | sed 's/^</  gcc  /; s/^>/  clang/' >&2 || true
    failed=1
  else
    echo "same_bytes: $format: $files files identical"
    sed 's/^/  /' <<<"$gcc_sums"
  fi
done
# The profiles that declare their tables run the generic generators (generators/values,
# generators/declared): their bytes must not depend on the compiler either.
for profile in travelers-large theatre-large storefront trading; do
  gcc_sums=$(sums "$gcc_binary" copy-text "$profile")
  clang_sums=$(sums "$clang_binary" copy-text "$profile")
  if [[ -z "$gcc_sums" ]]; then
    echo "same_bytes: FAILED: $profile: the GCC build wrote no files" >&2
    failed=1
  elif [[ "$gcc_sums" != "$clang_sums" ]]; then
    echo "same_bytes: FAILED: $profile: the GCC and Clang builds wrote different bytes" >&2
    diff <(echo "$gcc_sums") <(echo "$clang_sums") | sed 's/^</  gcc  /; s/^>/  clang/' >&2 || true
    failed=1
  else
    echo "same_bytes: $profile (copy-text): $(wc -l <<<"$gcc_sums") files identical"
  fi
done
if [[ $failed -ne 0 ]]; then
  echo "same_bytes: FAILED: generated data depends on the compiler" >&2
  exit 1
fi
echo "same_bytes: every format identical"

#!/usr/bin/env bash
# Builds seedforge (see build.sh; SEEDFORGE_SANITIZE picks a sanitizer build) and runs every test
# suite with ctest. Extra arguments go to ctest, e.g. `scripts/test.sh -R db_tests`.
# The exit code is ctest's.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh

build_dir=build
if [[ -n "${SEEDFORGE_SANITIZE:-}" ]]; then
  build_dir=build-$SEEDFORGE_SANITIZE
fi
exec ctest --test-dir "$build_dir" --output-on-failure "$@"

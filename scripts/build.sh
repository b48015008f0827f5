#!/usr/bin/env bash
# Installs the dependencies, then configures and builds seedforge.
#   build/                      Release build (default)
#   build-address/, build-thread/  with SEEDFORGE_SANITIZE=address (ASan+UBSan) or thread (TSan)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

sanitize=${SEEDFORGE_SANITIZE:-}
case "$sanitize" in
  "")
    build_dir=build
    cmake_args=(-DCMAKE_BUILD_TYPE=Release -DSEEDFORGE_SANITIZE=)
    ;;
  address | thread)
    build_dir=build-$sanitize
    # Debug info for readable sanitizer reports, optimised so the suites stay fast.
    cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo "-DSEEDFORGE_SANITIZE=$sanitize")
    ;;
  *)
    echo "build.sh: SEEDFORGE_SANITIZE must be empty, 'address' or 'thread' (got '$sanitize')" >&2
    exit 2
    ;;
esac

cmake -S . -B "$build_dir" "${cmake_args[@]}"
cmake --build "$build_dir" -j"$(nproc)"

#!/usr/bin/env bash
# From a fresh checkout to a seeded database: builds seedforge, starts its own PostgreSQL
# (in ./.seedforge), seeds the default profile and shows how to connect.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/build.sh

echo
echo "== Starting the embedded PostgreSQL (build/seedforge up)"
build/seedforge up

echo
echo "== Seeding the default profile (build/seedforge seed --profile default)"
build/seedforge seed --profile default

echo
echo "== Connecting (build/seedforge status)"
build/seedforge status
echo
echo "Stop the server with: build/seedforge down"

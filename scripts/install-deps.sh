#!/usr/bin/env bash
# Installs the Debian packages seedforge needs to build, test and run. Idempotent: packages that
# are already installed are skipped, and `apt-get update` runs only when something is missing, so
# a rerun takes well under a second.
#
# The Debian `postgresql` package is installed for its server programs (initdb, pg_ctl) only:
# seedforge runs its own cluster (tools/embedded_cluster.h). While installing, a temporary
# policy-rc.d keeps apt from starting the distribution's postgresql service; it is removed again
# afterwards (a policy-rc.d that was already there, as in many containers, is left alone).
set -euo pipefail

packages=(
  cmake g++ clang make pkg-config
  libpq-dev libtbb-dev libboost-dev libsimdjson-dev libbenchmark-dev libgtest-dev libcli11-dev
  libfmt-dev libzstd-dev libssl-dev libcpp-httplib-dev
  postgresql postgresql-client postgresql-contrib
  clang-format ca-certificates
  chromium nodejs
)
# Debian's npm, unless npm is there already (a nodejs of another origin brings its own npm and
# conflicts with Debian's).
if ! command -v npm >/dev/null 2>&1; then
  packages+=(npm)
fi

# The browser test's node modules (tests/browser: puppeteer-core, pinned by its package-lock.json)
# come from npm with `npm ci`, after the Debian packages; it drives the Debian chromium.
# Skipped where the folder is absent (the Docker build copies this script alone) and when the
# modules were installed after the lock file last changed (build.sh runs this script every time).
install_browser_modules() {
  local dir
  dir="$(dirname "$0")/../tests/browser"
  [[ -f "$dir/package-lock.json" ]] || return 0
  if [[ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]]; then
    return 0
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "installed" ]]; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  install_browser_modules
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps: these packages are missing: ${missing[*]}" >&2
    echo "install-deps: installing them needs root; run this script as root or install sudo" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"

policy=/usr/sbin/policy-rc.d
added_policy=0
remove_policy() {
  if [[ $added_policy -eq 1 ]]; then
    "${sudo[@]}" rm -f "$policy"
  fi
}
trap remove_policy EXIT
if [[ ! -e "$policy" ]]; then
  # Exit status 101 tells invoke-rc.d (and deb-systemd-invoke) that starting services is denied.
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  added_policy=1
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"
install_browser_modules
echo "install-deps: done"

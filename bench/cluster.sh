# Shared setup of the bench scripts, sourced after `cd` to the repository root with the script's
# arguments: [build-dir] [profile ...] (defaults: build, large xl). Sets `bin`, `profiles`, starts
# a fresh embedded cluster in a temporary home (stopped and removed on exit) and defines
# url_of DATABASE, the libpq URL of a database on it.
build=${1:-build}
shift || true
profiles=("$@")
[ ${#profiles[@]} -eq 0 ] && profiles=(large xl)
bin="$build/seedforge"
[ -x "$bin" ] || { echo "build first: $bin not found" >&2; exit 1; }

home=$(mktemp -d /tmp/seedforge-bench.XXXXXX)
chmod 755 "$home"
trap '"$bin" down --home "$home" >/dev/null 2>&1 || true; rm -rf "$home"' EXIT
"$bin" up --home "$home" >/dev/null
base=$("$bin" status --home "$home" | awk '/^url:/ {print $2}')
url_of() { echo "${base/\/seedforge\?//$1?}"; }

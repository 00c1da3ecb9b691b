#!/usr/bin/env bash
# cargo-nextest setup script (.config/nextest.toml): one embedded PostgreSQL
# for the whole run instead of one per test process (nextest runs each test
# in its own process). Starts `schema-parity serve` detached, waits until it
# accepts connections, and hands PARITY_PG_URL to every test via $NEXTEST_ENV.
# The server stops and removes itself when nextest (this script's parent)
# exits, and on Ctrl-C/SIGTERM. An existing PARITY_PG_URL is used as is.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${PARITY_PG_URL:-}" ]; then
    echo "nextest-pg: using the given PARITY_PG_URL"
    exit 0
fi

# The schema-parity binary nextest just built (integration tests build it):
# the newer of release and debug.
target="${CARGO_TARGET_DIR:-target}"
bin=""
for b in "$target/release/schema-parity" "$target/debug/schema-parity"; do
    if [ -x "$b" ] && { [ -z "$bin" ] || [ "$b" -nt "$bin" ]; }; then bin="$b"; fi
done
if [ -z "$bin" ]; then
    echo "nextest-pg: no schema-parity binary under $target/{release,debug}; run cargo build first" >&2
    exit 1
fi

runner=$PPID
state=$(mktemp -d "${TMPDIR:-/tmp}/schema-parity-nextest.XXXXXX")
trap 'rm -rf "$state"' EXIT
# setsid and closed stdio: nextest must not wait on the server's output.
setsid "$bin" serve --env-file "$state/env" --until-pid "$runner" \
    </dev/null >"$state/log" 2>&1 &
server=$!

for _ in $(seq 1 600); do
    if [ -s "$state/env" ]; then
        cat "$state/env" >>"${NEXTEST_ENV:?not run by cargo-nextest}"
        echo "nextest-pg: $(cat "$state/env") (stops when nextest, pid $runner, exits)"
        exit 0
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "nextest-pg: the server did not start:" >&2
        cat "$state/log" >&2
        exit 1
    fi
    sleep 0.1
done
echo "nextest-pg: no server after 60 s:" >&2
cat "$state/log" >&2
kill "$server" 2>/dev/null || true
exit 1

#!/usr/bin/env bash
# Makes the schema-parity binary available to ci/parity-check.sh: uses
# $SCHEMA_PARITY or one already installed (a CI cache of ~/.cargo/bin), and
# otherwise installs it with cargo. Prints the binary's path on stdout.
#   env: SCHEMA_PARITY               a binary to use as is
#        SCHEMA_PARITY_INSTALL_ARGS  what `cargo install --locked` installs
#                                    (default: schema-parity; e.g.
#                                    `--git URL schema-parity` or `--path DIR`)
set -euo pipefail
bin_dir="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin"

found() {
    echo "schema-parity: using $1 ($("$1" --version))" >&2
    echo "$1"
    exit 0
}
if [ -n "${SCHEMA_PARITY:-}" ]; then
    [ -x "$SCHEMA_PARITY" ] || { echo "install-schema-parity: SCHEMA_PARITY=$SCHEMA_PARITY is not an executable" >&2; exit 2; }
    found "$SCHEMA_PARITY"
fi
if [ -x "$bin_dir/schema-parity" ]; then found "$bin_dir/schema-parity"; fi
if command -v schema-parity >/dev/null 2>&1; then found "$(command -v schema-parity)"; fi

read -r -a args <<<"${SCHEMA_PARITY_INSTALL_ARGS:-schema-parity}"
echo "schema-parity: cargo install --locked ${args[*]}" >&2
cargo install --locked "${args[@]}" >&2
[ -x "$bin_dir/schema-parity" ] || { echo "install-schema-parity: cargo install left no $bin_dir/schema-parity" >&2; exit 1; }
found "$bin_dir/schema-parity"

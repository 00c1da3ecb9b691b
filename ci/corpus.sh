#!/usr/bin/env bash
# Runs schema-parity zero-config on the corpus of real pairs (open-source
# projects that keep a SQLite and a PostgreSQL migration history side by
# side; results in docs/corpus.md) and prints one line per run (synapse is three runs: one per
# schema, each side one file). Needs the bare git snapshots the `fetch` tool
# brings (MIRROR, default /work/.mirror/<owner>+<name>/repo); nothing of them
# is copied into this repository. Extra arguments go to every `check`
# (e.g. `--cases 64` for a quick try).
#   usage: ci/corpus.sh [BIN] [OUT_DIR] [CHECK_ARGS...]
set -euo pipefail
BIN="${1:-target/release/schema-parity}"
OUT="${2:-/tmp/schema-parity-corpus}"
shift $(( $# < 2 ? $# : 2 ))
MIRROR="${MIRROR:-/work/.mirror}"
case "$BIN" in /*) ;; *) BIN="$PWD/$BIN" ;; esac
mkdir -p "$OUT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
extract() { # repo folder dest: the folder's contents into dest
    local gd="$MIRROR/$1/repo"
    mkdir -p "$3"
    git --git-dir="$gd" archive HEAD "$2" | tar -x -C "$3" --strip-components="$(awk -F/ '{print NF}' <<<"$2")"
}
extract_file() { # repo file dest: one file, its name kept, into the folder dest
    mkdir -p "$3"
    git --git-dir="$MIRROR/$1/repo" show "HEAD:$2" >"$3/$(basename "$2")"
}
extract go-shiori+shiori internal/database/migrations/sqlite "$work/shiori/sqlite"
extract go-shiori+shiori internal/database/migrations/postgres "$work/shiori/pg"
extract Plume-org+Plume migrations/sqlite "$work/plume/sqlite"
extract Plume-org+Plume migrations/postgres "$work/plume/pg"
extract usememos+memos store/migration/sqlite "$work/memos/sqlite"
extract usememos+memos store/migration/postgres "$work/memos/pg"
extract authelia+authelia internal/storage/migrations "$work/authelia/all"
extract harness+harness app/store/database/migrate/sqlite "$work/harness/sqlite"
extract harness+harness app/store/database/migrate/postgres "$work/harness/pg"
extract charmbracelet+soft-serve pkg/db/migrate "$work/soft-serve/all"
for s in common main state; do
    for e in sqlite postgres; do
        extract_file element-hq+synapse "synapse/storage/schema/$s/full_schemas/72/full.sql.$e" "$work/synapse-$s"
    done
done
# name  --sqlite  --pg  (authelia and soft-serve: one folder, the engine in
# the file names or subfolders)
runs=(
    "shiori $work/shiori/sqlite $work/shiori/pg"
    "plume $work/plume/sqlite $work/plume/pg"
    "memos $work/memos/sqlite $work/memos/pg"
    "authelia $work/authelia/all $work/authelia/all"
    "harness $work/harness/sqlite $work/harness/pg"
    "soft-serve $work/soft-serve/all $work/soft-serve/all"
)
for s in common main state; do
    runs+=("synapse-$s $work/synapse-$s/full.sql.sqlite $work/synapse-$s/full.sql.postgres")
done
for run in "${runs[@]}"; do
    read -r p s g <<<"$run"
    start=$(date +%s%N)
    rc=0
    (cd "$work" && "$BIN" check --sqlite "$s" --pg "$g" --format json --output "$OUT/$p.json" "$@" 2>"$OUT/$p.stderr") || rc=$?
    echo "$p exit=$rc seconds=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') report=$OUT/$p.json"
done

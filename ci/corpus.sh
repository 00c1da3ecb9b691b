#!/usr/bin/env bash
# Runs schema-parity zero-config on the corpus of real pairs (DESIGN.md,
# "Real pairs") and prints one line per pair. Needs the bare git snapshots
# the `fetch` tool brings (MIRROR, default /work/.mirror/<owner>+<name>/repo);
# nothing of them is copied into this repository.
#   usage: ci/corpus.sh [BIN] [OUT_DIR]
set -euo pipefail
BIN="${1:-target/release/schema-parity}"
OUT="${2:-/tmp/schema-parity-corpus}"
MIRROR="${MIRROR:-/work/.mirror}"
mkdir -p "$OUT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
extract() { # repo path dest
    local gd="$MIRROR/$1/repo"
    mkdir -p "$3"
    git --git-dir="$gd" archive HEAD "$2" | tar -x -C "$3" --strip-components="$(awk -F/ '{print NF}' <<<"$2")"
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
for p in shiori plume memos authelia harness; do
    if [ "$p" = authelia ]; then s="$work/authelia/all"; g="$s"; else s="$work/$p/sqlite"; g="$work/$p/pg"; fi
    start=$(date +%s)
    rc=0
    (cd "$work" && "$BIN" check --sqlite "$s" --pg "$g" --format json --output "$OUT/$p.json" 2>"$OUT/$p.stderr") || rc=$?
    echo "$p exit=$rc seconds=$(( $(date +%s) - start )) report=$OUT/$p.json"
done

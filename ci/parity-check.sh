#!/usr/bin/env bash
# Runs `schema-parity check` once and writes the one report three ways: JUnit
# XML for the CI's test report, Markdown for the job summary (appended to
# $GITHUB_STEP_SUMMARY when it is set), and text on stdout. Exits with the
# check's exit code (0 parity, 1 findings or INCOMPLETE, 2 bad input,
# 3 no PostgreSQL). Runs the same on a laptop as in CI.
#   usage: ci/parity-check.sh SQLITE PG [more `check` options...]
#   env:   SCHEMA_PARITY      the binary (default: schema-parity in
#                             $CARGO_HOME/bin, then on PATH)
#          PARITY_REPORT_DIR  where the reports go (default: parity-report)
#          PARITY_BASELINE    a baseline file: fail only on new findings
#          and the CLI's own: PARITY_CASES, PARITY_SEED, PARITY_PG_URL,
#          PARITY_PG_BACKEND
set -euo pipefail
if [ "$#" -lt 2 ]; then
    echo "usage: ci/parity-check.sh SQLITE PG [more check options...]" >&2
    exit 2
fi
sqlite="$1"
pg="$2"
shift 2

bin="${SCHEMA_PARITY:-}"
if [ -z "$bin" ]; then
    bin="${CARGO_INSTALL_ROOT:-${CARGO_HOME:-$HOME/.cargo}}/bin/schema-parity"
    [ -x "$bin" ] || bin="$(command -v schema-parity || true)"
fi
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "parity-check: no schema-parity binary (run ci/install-schema-parity.sh, or set SCHEMA_PARITY)" >&2
    exit 2
fi

out="${PARITY_REPORT_DIR:-parity-report}"
mkdir -p "$out"
extra=()
if [ -n "${PARITY_BASELINE:-}" ]; then extra+=(--baseline "$PARITY_BASELINE"); fi

rc=0
"$bin" check --sqlite "$sqlite" --pg "$pg" "${extra[@]}" "$@" \
    --format junit --output "$out/junit.xml" \
    --report "markdown=$out/summary.md" \
    --report "text=$out/report.txt" || rc=$?

if [ -f "$out/report.txt" ]; then cat "$out/report.txt"; fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/summary.md" ]; then
    cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
echo "parity-check: exit $rc; reports in $out/ (junit.xml, summary.md, report.txt)" >&2
exit "$rc"

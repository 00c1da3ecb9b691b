#!/usr/bin/env bash
# Starts a Docker engine for the container backend's tests and builds the
# PostgreSQL image they use (offline, see ci/build-pg-image.sh).
#
# Installs docker.io when `dockerd` is missing, starts
# `dockerd --bridge=none --iptables=false` in the background (containers use
# the host network and loopback only) with its pid in $DOCKERD_PIDFILE, and
# waits until `docker info` answers. An engine that already answers is used
# as is (and no pid file is written, so ci/stop-docker.sh leaves it alone).
# Stop it with ci/stop-docker.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

PIDFILE="${DOCKERD_PIDFILE:-/tmp/schema-parity-dockerd.pid}"
LOG="${DOCKERD_LOG:-/tmp/schema-parity-dockerd.log}"
TIMEOUT="${DOCKERD_TIMEOUT:-30}"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if docker info >/dev/null 2>&1; then
    echo "start-docker: a Docker engine already answers; using it"
else
    if ! command -v dockerd >/dev/null 2>&1; then
        echo "start-docker: installing docker.io"
        $SUDO apt-get update
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y docker.io
    fi
    # Debian's package may have started its own engine; use it when it answers.
    if ! docker info >/dev/null 2>&1; then
        echo "start-docker: starting dockerd (log: $LOG)"
        # shellcheck disable=SC2086
        $SUDO dockerd --bridge=none --iptables=false >"$LOG" 2>&1 &
        echo $! >"$PIDFILE"
        deadline=$(($(date +%s) + TIMEOUT))
        until docker info >/dev/null 2>&1; do
            if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
                echo "start-docker: dockerd exited; its log ends with:" >&2
                tail -n 20 "$LOG" >&2 || true
                rm -f "$PIDFILE"
                exit 1
            fi
            if [ "$(date +%s)" -ge "$deadline" ]; then
                echo "start-docker: dockerd did not answer within ${TIMEOUT} s; its log ends with:" >&2
                tail -n 20 "$LOG" >&2 || true
                exit 1
            fi
            sleep 0.2
        done
        echo "start-docker: dockerd $(cat "$PIDFILE") is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
    fi
fi

bash ci/build-pg-image.sh

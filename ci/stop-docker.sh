#!/usr/bin/env bash
# Stops the dockerd that ci/start-docker.sh started (by the pid it wrote) and
# waits for it to exit. Does nothing when that script started no engine.
set -euo pipefail

PIDFILE="${DOCKERD_PIDFILE:-/tmp/schema-parity-dockerd.pid}"
TIMEOUT="${DOCKERD_TIMEOUT:-30}"

if [ ! -s "$PIDFILE" ]; then
    echo "stop-docker: no pid file at $PIDFILE; nothing to stop"
    exit 0
fi
pid=$(cat "$PIDFILE")
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Running, and not a zombie waiting for its parent to reap it.
alive() {
    kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
# Only a dockerd (or the sudo that runs it): a stale pid file must not make
# us signal another process.
comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
if ! alive "$pid" || { [ "$comm" != dockerd ] && [ "$comm" != sudo ]; }; then
    echo "stop-docker: dockerd $pid is not running"
    rm -f "$PIDFILE"
    exit 0
fi
$SUDO kill -TERM "$pid"
deadline=$(($(date +%s) + TIMEOUT))
while alive "$pid"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "stop-docker: dockerd $pid still running after ${TIMEOUT} s; killing it" >&2
        $SUDO kill -KILL "$pid" 2>/dev/null || true
        sleep 1
        break
    fi
    sleep 0.2
done
rm -f "$PIDFILE"
echo "stop-docker: dockerd $pid stopped"

#!/usr/bin/env bash
# Installs PostgreSQL server binaries (initdb, postgres) when none are found,
# so the embedded backend can start a throwaway cluster.
set -euo pipefail
have() {
    command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1 && return 0
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}
if have; then
    echo "postgres server binaries: present"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y postgresql
# Debian's package starts a cluster of its own: stop it, we never use it.
$SUDO service postgresql stop >/dev/null 2>&1 || true
echo "postgres server binaries: installed"

#!/usr/bin/env bash
# Installs check-jsonschema (PyPI) into its own virtualenv, for the test that
# validates ci/workflows/*.yml against the official GitHub Actions and
# GitLab CI schemas (`--builtin-schema`: the schemas ship inside the package,
# so validating needs no network). Prints the path of the executable on the
# last line of stdout. Nothing is installed into the system Python.
#   usage: ci/install-check-jsonschema.sh [VENV_DIR]
set -euo pipefail
VERSION="${CHECK_JSONSCHEMA_VERSION:-0.39.0}"
VENV="${1:-${PARITY_TOOLS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/schema-parity/venv}}"
exe="$VENV/bin/check-jsonschema"

if [ -x "$exe" ] && [ "$("$exe" --version 2>/dev/null | awk '{print $NF}')" = "$VERSION" ]; then
    echo "check-jsonschema $VERSION: present" >&2
    echo "$exe"
    exit 0
fi

python="$(command -v python3 || true)"
if [ -z "$python" ] || ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    # Debian's system Python keeps venv/ensurepip in a separate package.
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y python3 python3-venv >&2
    python="$(command -v python3)"
fi

rm -rf "$VENV"
mkdir -p "$(dirname "$VENV")"
"$python" -m venv "$VENV" >&2
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "check-jsonschema==$VERSION" >&2
echo "check-jsonschema $("$exe" --version | awk '{print $NF}'): installed in $VENV" >&2
echo "$exe"

#!/usr/bin/env bash
# Install everything the tests need and run the whole suite, browser tests included.
#   ./scripts/test.sh [pytest args...]
# Uses the active virtualenv if there is one, else creates ./.venv. Installs Debian's
# chromium if no Chromium is on PATH (never a browser build of its own), and Debian's
# postgresql + postgis if initdb or PostGIS is missing (the store tests start a temporary
# cluster on loopback; Debian keeps initdb in /usr/lib/postgresql/<version>/bin).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${VIRTUAL_ENV:-}" ]; then
    [ -x .venv/bin/python ] || python3 -m venv .venv
    PY=.venv/bin/python
else
    PY=python
fi

if [ -z "${FRONTLINE_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
    && ! command -v chromium-browser >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        echo "scripts/test.sh: installing Debian's chromium for the browser tests"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    else
        echo "scripts/test.sh: no Chromium and no apt-get; install Chromium or set FRONTLINE_CHROMIUM" >&2
        exit 1
    fi
fi

have_postgis() {
    for bin in /usr/lib/postgresql/*/bin; do
        version=$(basename "$(dirname "$bin")")
        [ -x "$bin/initdb" ] && [ -f "/usr/share/postgresql/$version/extension/postgis.control" ] && return 0
    done
    return 1
}
if ! have_postgis; then
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        echo "scripts/test.sh: installing Debian's postgresql and postgis for the store tests"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql postgis >/dev/null
    else
        echo "scripts/test.sh: no PostgreSQL + PostGIS and no apt-get; install them" >&2
        exit 1
    fi
fi

"$PY" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
"$PY" -m ruff check .
"$PY" -m ruff format --check .
"$PY" -m geo assets >/dev/null
"$PY" -m geo validate data
"$PY" -m pytest "$@"

#!/usr/bin/env bash
# Install everything the tests need and run the whole suite, browser tests included.
# Usage: ./scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}

# Headless Chromium for the browser tests: the system package, never a browser build of our own.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=""
        [ "$(id -u)" -eq 0 ] || SUDO="sudo"
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    else
        echo "scripts/test.sh: Chromium is missing and apt-get is not available; install Chromium and set FRONTLINE_CHROMIUM=/path/to/chromium" >&2
        exit 1
    fi
fi

"$PYTHON" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
"$PYTHON" -m ruff check .
"$PYTHON" -m ruff format --check .
"$PYTHON" -m geo validate data
"$PYTHON" -m pytest "$@"

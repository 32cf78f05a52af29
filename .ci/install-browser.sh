#!/usr/bin/env bash
# Debian's chromium for the e2e tests (tests/e2e), installed only when missing.
# Playwright's own browser download is never used: it cannot be fetched here.
# With its recommends, as tested: they bring the fonts that cover Vietnamese.
# Idempotent, quiet and non-interactive; needs root (or sudo) the first time only.
set -euo pipefail

CHROMIUM="${CAUNOI_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "install-browser: $CHROMIUM is missing and this is not root; install the chromium package" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium; } >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "install-browser: could not install chromium with apt-get" >&2
    exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "install-browser: chromium installed but $CHROMIUM is not there; set CAUNOI_CHROMIUM" >&2
    exit 1
fi

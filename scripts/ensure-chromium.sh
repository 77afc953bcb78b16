#!/usr/bin/env bash
# Make sure Debian's headless-capable Chromium is present for the browser tests
# (tests/publish drive it through playwright with executable_path=/usr/bin/chromium).
# Idempotent and instant when it is already installed; installs it with apt-get otherwise.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "ensure-chromium: $CHROMIUM is missing and we are not root (no sudo): install the Debian package 'chromium'" >&2
        exit 1
    fi
fi
echo "ensure-chromium: installing Debian chromium (once)" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null  # DejaVu: Vietnamese glyphs in screenshots
test -x "$CHROMIUM"

#!/usr/bin/env bash
# Installs Debian's chromium for the example server's browser test (examples/conecta-server/test/browser.test.ts).
# Idempotent: does nothing when /usr/bin/chromium is already there.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "browser.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "browser.sh: /usr/bin/chromium is missing and this user cannot install packages (not root, no sudo)" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium

if [ ! -x /usr/bin/chromium ]; then
  echo "browser.sh: apt-get installed chromium but /usr/bin/chromium is not there" >&2
  exit 1
fi
echo "browser.sh: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"

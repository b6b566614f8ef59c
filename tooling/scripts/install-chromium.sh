#!/usr/bin/env bash
# The browser the browser test (test/browser) drives: Debian's own Chromium (/usr/bin/chromium),
# run headless by playwright-core (a devDependency; it downloads no browser of its own).
# Idempotent: installs only when it is missing, so a warm machine spends no time here. Needs root
# (or passwordless sudo) when it is missing. `npm run test:browser` runs it first. With
# CHROMIUM_PATH set to an existing browser nothing is installed.
#
#   bash tooling/scripts/install-chromium.sh
set -euo pipefail

if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then
	echo "install-chromium: using CHROMIUM_PATH=${CHROMIUM_PATH}"
	exit 0
fi
if [ -x /usr/bin/chromium ]; then
	echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) is already installed"
	exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
		echo "install-chromium: need root (or sudo) to install chromium" >&2
		exit 1
	fi
fi

echo "install-chromium: installing chromium"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends chromium
echo "install-chromium: done ($(/usr/bin/chromium --version 2>/dev/null || echo chromium))"

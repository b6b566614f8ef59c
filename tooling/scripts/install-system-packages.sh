#!/usr/bin/env bash
# System packages the queue-mode test (test/queue) needs: Redis and PostgreSQL from Debian's own
# repositories. Idempotent: installs only what is missing, so a warm machine spends no time here.
# Needs root (or passwordless sudo) when something is missing. `npm run test:queue` runs it first.
#
#   bash tooling/scripts/install-system-packages.sh
set -euo pipefail

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# PostgreSQL's server binaries live in /usr/lib/postgresql/<major>/bin (not on PATH).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need+=(postgresql); fi

if [ ${#need[@]} -eq 0 ]; then
	echo "install-system-packages: redis-server and postgresql are already installed"
	exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); else
		echo "install-system-packages: need root (or sudo) to install: ${need[*]}" >&2
		exit 1
	fi
fi

echo "install-system-packages: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
# --no-install-recommends keeps it small; the Debian packages also create the postgres system user
# that the launcher runs PostgreSQL as when it is started by root.
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"

# The packages start system-wide services where an init system runs (not in containers). The test
# starts its own instances on free loopback ports with data in a temporary folder, so the system
# services are neither used nor needed.
echo "install-system-packages: done"

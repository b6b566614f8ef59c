#!/usr/bin/env bash
# System packages the slow tests need, from Debian's own repositories, by group:
#  - queue: Redis and PostgreSQL for the queue-mode test (test/queue);
#  - proxy: tinyproxy, a real forward proxy, for test/proxy and the e2e run through a proxy;
#  - browser: Chromium (/usr/bin/chromium), driven headless by playwright-core (which downloads no
#    browser of its own) in test/browser and `npm run screenshots`; CHROMIUM_PATH set to an
#    existing browser stands in for it.
# Idempotent: installs only what is missing, so a warm machine spends no time here. Needs root (or
# passwordless sudo) when something is missing. The npm scripts of the slow suites run it first.
#
#   bash tooling/scripts/install-system-packages.sh [queue] [proxy] [browser]    (no argument: all)
set -euo pipefail

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(queue proxy browser)

need=()
for group in "${groups[@]}"; do
	case "$group" in
	queue)
		command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
		# PostgreSQL's server binaries live in /usr/lib/postgresql/<major>/bin (not on PATH).
		if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then need+=(postgresql); fi
		;;
	proxy)
		# tinyproxy lives in /usr/bin (test/helpers/tinyproxy.ts starts it from there).
		[ -x /usr/bin/tinyproxy ] || need+=(tinyproxy)
		;;
	browser)
		if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "${CHROMIUM_PATH}" ]; then :; else
			[ -x /usr/bin/chromium ] || need+=(chromium)
		fi
		;;
	*)
		echo "install-system-packages: unknown group \"$group\" (queue, proxy, browser)" >&2
		exit 2
		;;
	esac
done

if [ ${#need[@]} -eq 0 ]; then
	echo "install-system-packages: what ${groups[*]} needs is already installed"
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

#!/usr/bin/env bash
# The one command that runs the tests: installs everything (pnpm, dependencies, Chromium and a CJK font for
# the browser tests), checks the services the tests use (PostgreSQL 127.0.0.1:5432, Redis 127.0.0.1:6379),
# then typecheck, lint and the vitest suite. All three run; the exit code is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
if [[ ! -x /usr/bin/chromium || ! -d /usr/share/fonts/truetype/wqy ]]; then
  echo "test: installing Chromium and a CJK font for the browser tests …" >&2
  if [[ $(id -u) -eq 0 ]]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei) >/dev/null || exit 1
  else
    echo "test: install them with: sudo apt-get install -y chromium fonts-wqy-microhei" >&2
    exit 1
  fi
fi
bash scripts/services.sh || exit 1
failed=0
pnpm --silent typecheck || { echo "test: typecheck failed" >&2; failed=1; }
pnpm --silent lint || { echo "test: lint failed" >&2; failed=1; }
pnpm --silent test "$@" || failed=1
exit $failed

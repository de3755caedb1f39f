#!/usr/bin/env bash
# The one command that runs the tests: installs everything (pnpm, dependencies, Chromium), checks the
# services the tests use (PostgreSQL 127.0.0.1:5432, Redis 127.0.0.1:6379), then typecheck + vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [[ ! -x /usr/bin/chromium || ! -d /usr/share/fonts/truetype/wqy ]]; then
  echo "test: installing Chromium for the browser tests …" >&2
  if [[ $(id -u) -eq 0 ]]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei) >/dev/null
  else
    echo "test: /usr/bin/chromium is missing; install it with: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi
bash scripts/services.sh
pnpm --silent typecheck
pnpm --silent lint
exec pnpm --silent test "$@"

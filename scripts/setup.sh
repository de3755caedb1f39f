#!/usr/bin/env bash
# Installs what Yuqing needs to run: pnpm 12, the workspace's dependencies (with nodejieba's native build)
# and the generated Prisma client. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# This machine kind builds native addons against the system's Node headers and must not prompt.
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
export npm_config_yes=true

if ! command -v node >/dev/null 2>&1; then
  echo "setup: Node.js 20.19+ is required (https://nodejs.org or apt-get install nodejs)" >&2
  exit 1
fi
if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version 2>/dev/null)" != 12.* ]]; then
  echo "setup: installing pnpm 12 …" >&2
  npm install -g pnpm@12.4.2 >/dev/null
fi
pnpm install --frozen-lockfile --reporter=append-only 2>&1 | grep -v '^Progress' >&2 || { echo "setup: pnpm install failed" >&2; exit 1; }
pnpm --silent db:generate >/dev/null
# The CLI's ahead-of-time bundle (packages/cli/dist/): `yq` rebuilds it itself when a source is newer; building it
# here keeps the first call fast. Without it `yq` still runs, through tsx.
node packages/cli/bin/cli-bundle.mjs >/dev/null || echo "setup: the CLI bundle was not built; yq runs through tsx" >&2

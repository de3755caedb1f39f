#!/usr/bin/env bash
# The one command that starts the whole system on the embedded default (PGlite in ./data, private Redis if
# none runs), with the demo site and demo sources, at http://127.0.0.1:3000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec pnpm --silent yq start --demo "$@"

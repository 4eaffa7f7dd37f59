#!/usr/bin/env bash
# Installs the pinned npm packages (the Agents Playground) when node_modules is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "node 20+ and npm are required (https://nodejs.org or: apt-get install -y nodejs npm)." >&2
  exit 1
fi

marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ] || [ package.json -nt "$marker" ] \
   || [ ! -f node_modules/@microsoft/m365agentsplayground/cli.js ]; then
  echo "==> npm ci (Agents Playground)"
  npm ci --no-audit --no-fund --loglevel=error
fi

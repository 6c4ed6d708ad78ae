#!/usr/bin/env bash
# Sets up everything the product and its tests need on a fresh machine (Python 3.11, Node 20):
# a virtual environment with the pinned Python packages, Neo4j's Cypher linter (npm), and
# Debian's Chromium for the browser test. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11+ is needed"'

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> installing the project and its pinned packages (pyproject.toml), with the \`vusta\` command"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"

echo "==> installing the Cypher linter (tools/cypher_lint)"
(cd tools/cypher_lint && npm ci --no-audit --no-fund --loglevel=error)

if ! command -v chromium >/dev/null 2>&1; then
  echo "==> installing Chromium (Debian package) for the browser test"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
echo "==> ready"

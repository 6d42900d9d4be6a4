#!/usr/bin/env bash
# Main job on a fresh machine: make .venv, install the package, build the graph and its views
# from seeds/ into build/ on the embedded default store. Extra arguments go to `kg build`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[all]'
.venv/bin/kg build "$@"

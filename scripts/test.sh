#!/usr/bin/env bash
# Test set-up and run on a fresh machine: Debian's chromium, virtuoso-opensource and wordnet-base (when apt is
# available and we are root or have sudo), a .venv with the package and its test extras, then pytest.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  if ! command -v chromium >/dev/null 2>&1 || ! command -v virtuoso-t >/dev/null 2>&1 \
     || [ ! -e /usr/share/wordnet/index.verb ]; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq || echo "warning: apt-get update failed; browser/virtuoso tests may skip"
    $SUDO apt-get install -y -qq chromium virtuoso-opensource wordnet-base >/dev/null \
      || echo "warning: could not install chromium/virtuoso-opensource/wordnet-base; their tests will skip"
  fi
fi
PY="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[all,test]'
exec .venv/bin/python -m pytest "$@"

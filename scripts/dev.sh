#!/usr/bin/env bash
# Set up dsi-crawler on a fresh machine and run the demo or the tests.
#   scripts/dev.sh setup   venv + package + Debian chromium (idempotent)
#   scripts/dev.sh demo    setup, then `dsi demo` (sandbox web -> crawl -> SQLite -> classify)
#   scripts/dev.sh test    setup, then ruff, mypy and the whole pytest suite, on every core
#                          (DSI_TEST_WORKERS=N: N pytest-xdist workers; 0: one process)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${DSI_VENV:-.venv}"
PY="${PYTHON:-python3}"

setup() {
  if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian chromium (for JavaScript pages)" >&2
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  # Reinstall only when the project metadata changed (keeps the second run fast).
  stamp="$VENV/.dsi-installed"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip >&2
    "$VENV/bin/python" -m pip install -q -e ".[dev]" >&2
    touch "$stamp"
  fi
  export DSI_CHROMIUM_PATH="${DSI_CHROMIUM_PATH:-/usr/bin/chromium}"
}

run_tests() {
  "$VENV/bin/ruff" check .
  "$VENV/bin/ruff" format --check .
  "$VENV/bin/mypy"
  set +e
  "$VENV/bin/python" -m pytest -n "${DSI_TEST_WORKERS:-auto}" --dist worksteal "$@"
  rc=$?
  set -e
  if [ "$rc" = 5 ]; then
    echo "pytest collected no tests: failing" >&2
    exit 1
  fi
  exit "$rc"
}

cmd="${1:-}"
shift || true
case "$cmd" in
  setup) setup ;;
  demo) setup; exec "$VENV/bin/dsi" demo "$@" ;;
  test) setup; run_tests "$@" ;;
  *) echo "usage: scripts/dev.sh setup|demo|test [args...]" >&2; exit 2 ;;
esac

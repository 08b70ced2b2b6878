#!/usr/bin/env bash
# One entry point for a fresh machine: sets up .venv (reused when up to date), then
#   ./dev.sh app    launches the web app on the embedded model (no key, no network)
#   ./dev.sh test   runs the test suite (what CI runs)
#   ./dev.sh setup  only sets up
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3.11}
VENV=.venv
STAMP=$VENV/.crca-installed

setup_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "» Création de l'environnement virtuel $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  local want
  want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "» Installation des dépendances (la première fois, llama-cpp-python se compile : ~5 min)"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip wheel setuptools
    CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
    echo "$want" > "$STAMP"
  fi
  "$VENV/bin/crca" model prepare
}

ensure_chromium() {
  # Browser tests drive Debian's chromium; Playwright never downloads a browser here.
  if command -v chromium >/dev/null 2>&1; then return; fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    echo "» Installation de chromium (paquet Debian) pour les tests navigateur"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      || echo "!! chromium n'a pas pu être installé : les tests navigateur seront ignorés"
  fi
}

cmd=${1:-app}
shift || true
case "$cmd" in
  setup)
    setup_venv ;;
  app)
    setup_venv
    exec "$VENV/bin/crca" app "$@" ;;
  test)
    setup_venv
    ensure_chromium
    set +e
    "$VENV/bin/python" -m pytest -m "not slow" "$@"
    rc=$?
    set -e
    if [ "$rc" -eq 5 ]; then echo "Aucun test collecté."; exit 1; fi
    exit "$rc" ;;
  *)
    echo "usage: ./dev.sh [app|test|setup] [arguments...]" >&2; exit 2 ;;
esac

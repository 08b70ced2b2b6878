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

# llama.cpp is compiled for this CPU, without its AMX kernels: on Xeon machines that
# advertise AMX, they crash the model on its first multi-token prompt (segfault in
# ggml_backend_amx_mul_mat, llama-cpp-python 0.3.36). GCC lets -mno-* win over -march=native.
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=ON"
LLAMA_CFLAGS=""
if [ "$(uname -m)" = "x86_64" ]; then LLAMA_CFLAGS="-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"; fi

build_llama_wheel() {
  # One wheel per (version, build flags), kept out of pip's cache: pip keys its cache by
  # source only, so a wheel built with other flags would be reused silently.
  local spec version key
  spec=$(grep -o '"llama-cpp-python\[server\]==[^"]*"' pyproject.toml | tr -d '"')
  version=${spec##*==}
  key=$(printf '%s|%s|%s|%s' "$version" "$LLAMA_CMAKE_ARGS" "$LLAMA_CFLAGS" "$(uname -m)" | sha256sum | cut -c1-16)
  LLAMA_WHEELS="${XDG_CACHE_HOME:-$HOME/.cache}/crca/wheels/$key"
  if ! ls "$LLAMA_WHEELS"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    echo "» Compilation de llama-cpp-python $version pour ce processeur (~5 min, une fois par machine)"
    mkdir -p "$LLAMA_WHEELS"
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" CFLAGS="$LLAMA_CFLAGS" CXXFLAGS="$LLAMA_CFLAGS" \
      CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
      "$VENV/bin/python" -m pip wheel --quiet --no-cache-dir --no-deps "llama-cpp-python==$version" -w "$LLAMA_WHEELS" \
      || { echo "!! La compilation de llama-cpp-python $version a échoué (voir ci-dessus) ; relancez la même commande après correction." >&2; exit 1; }
  fi
}

setup_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    echo "» Création de l'environnement virtuel $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  local want
  want=$( (cat pyproject.toml; echo "$LLAMA_CMAKE_ARGS $LLAMA_CFLAGS") | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "» Installation des dépendances"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip wheel setuptools
    build_llama_wheel
    "$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps "$LLAMA_WHEELS"/llama_cpp_python-*.whl
    "$VENV/bin/python" -m pip install --quiet --find-links "$LLAMA_WHEELS" -e ".[dev]"
    echo "$want" > "$STAMP"
  fi
  "$VENV/bin/crca" model prepare
}

apt_install() {
  # apt_install PACKAGE WHAT: install a Debian package the tests need, or say what will be skipped.
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    echo "» Installation de $1 (paquet Debian) pour les tests $2"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null \
      || echo "!! $1 n'a pas pu être installé : les tests $2 seront ignorés"
  fi
}

ensure_chromium() {
  # Browser tests drive Debian's chromium; Playwright never downloads a browser here.
  command -v chromium >/dev/null 2>&1 || apt_install chromium navigateur
}

ensure_postgresql() {
  # Storage tests also run on a throwaway PostgreSQL cluster started from Debian's binaries.
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || apt_install postgresql PostgreSQL
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
    ensure_postgresql
    set +e
    "$VENV/bin/python" -m pytest -m "not slow" "$@"
    rc=$?
    set -e
    if [ "$rc" -eq 5 ]; then echo "Aucun test collecté."; exit 1; fi
    exit "$rc" ;;
  *)
    echo "usage: ./dev.sh [app|test|setup] [arguments...]" >&2; exit 2 ;;
esac

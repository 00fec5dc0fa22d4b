#!/usr/bin/env bash
# Set up, then open the terminal on a temporary data folder with demo cases and the
# reference district backend running on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/station-app --demo "$@"

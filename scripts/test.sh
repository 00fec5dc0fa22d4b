#!/usr/bin/env bash
# The whole test suite: set-up, lint, strict typing, layer boundaries, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
echo "== ruff"
.venv/bin/ruff check station_app district_backend tests
echo "== mypy --strict (domain, store, sync)"
.venv/bin/mypy --strict station_app/domain station_app/store station_app/sync
echo "== import contracts"
.venv/bin/lint-imports
echo "== pytest"
.venv/bin/pytest "$@"

#!/usr/bin/env bash
# The whole test suite: set-up, lint, strict typing (the programs and the tests), layer
# boundaries, then pytest.
#
# As root it also starts a local PostgreSQL (backend tests run on it as well as on SQLite) and
# runs the package test (.deb built, installed into a clean Debian root with debootstrap,
# upgraded and removed). Without root those parts are skipped, each with its reason; with
# CI=true a skip fails the run (tests/helpers/skip_policy.py), so CI runs this as root.
# REDSTATION_PACKAGING_TESTS=0 skips the package test (allowed with CI=true too).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1

if [ "$(id -u)" = 0 ]; then
  if [ -z "${REDSTATION_PG_URL:-}" ]; then
    if url="$(bash scripts/postgres.sh)"; then
      export REDSTATION_PG_URL="$url"
    else
      echo "PostgreSQL could not be started: its test variants will be skipped" >&2
    fi
  fi
  export REDSTATION_PACKAGING_TESTS="${REDSTATION_PACKAGING_TESTS:-1}"
fi

echo "== ruff"
.venv/bin/ruff check station_app district_backend tests
echo "== mypy --strict (station_app, district_backend)"
.venv/bin/mypy --strict station_app district_backend
echo "== mypy --strict (tests)"
.venv/bin/mypy --strict tests
echo "== import contracts"
.venv/bin/lint-imports
echo "== pytest"
# Long loops (200-kill run, 10x fuzz, a week offline …) are marked `slow`; each has a bounded
# version that always runs. REDSTATION_SLOW=1 runs the long ones too.
if [ "${REDSTATION_SLOW:-0}" = 1 ]; then
  .venv/bin/pytest "$@"
else
  .venv/bin/pytest -m "not slow" "$@"
fi

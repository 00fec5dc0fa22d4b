#!/usr/bin/env bash
# The whole test suite: set-up, lint, strict typing, layer boundaries, then pytest.
#
# As root it also starts a local PostgreSQL (backend tests run on it as well as on SQLite) and
# runs the package test (.deb built, installed into a clean Debian root with debootstrap,
# upgraded and removed). Without root those parts are skipped, each with its reason.
# REDSTATION_PACKAGING_TESTS=0 skips the package test.
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
echo "== mypy --strict (domain, store, sync)"
.venv/bin/mypy --strict station_app/domain station_app/store station_app/sync
echo "== import contracts"
.venv/bin/lint-imports
echo "== pytest"
.venv/bin/pytest "$@"

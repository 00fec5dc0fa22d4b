#!/usr/bin/env bash
# Install and start a PostgreSQL server on 127.0.0.1:5432 for the test suite and the
# benchmarks, create the role and the database, and print the URL to export as
# REDSTATION_PG_URL. Works as root on a fresh Debian machine without systemd; safe to run
# again (an installed, running server is reused).
#
#   export REDSTATION_PG_URL="$(bash scripts/postgres.sh)"
#
# Everything but the URL goes to stderr. Environment: PG_PORT (5432), PG_USER, PG_PASSWORD,
# PG_DB (all "redstation"), PG_DATA (/tmp/redstation-pg: used when the distribution has
# no cluster of its own to start, e.g. when postgresql-common is configured not to create
# one, or when PG_OWN_CLUSTER=1).
set -euo pipefail

PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-redstation}"
PG_PASSWORD="${PG_PASSWORD:-redstation}"
PG_DB="${PG_DB:-redstation}"
PG_DATA="${PG_DATA:-/tmp/redstation-pg}"
PG_OWN_CLUSTER="${PG_OWN_CLUSTER:-0}"
HOST=127.0.0.1

log() { echo "postgres.sh: $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs packages and starts the server as postgres)"
for name in PG_USER PG_DB; do
    [[ "${!name}" =~ ^[a-z_][a-z0-9_]*$ ]] || die "$name must be a plain lower-case identifier"
done
[[ "$PG_PASSWORD" != *"'"* ]] || die "PG_PASSWORD must not contain a single quote"
[[ "$PG_PORT" =~ ^[0-9]+$ ]] || die "PG_PORT must be a number"

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing postgresql (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # No service start during installation: there may be no init system at all.
    apt-get install -y -qq --no-install-recommends postgresql >&2
fi

VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
BIN="/usr/lib/postgresql/$VERSION/bin"
[ -x "$BIN/postgres" ] || die "no PostgreSQL server binaries under $BIN"
as_postgres() { runuser -u postgres -- "$@"; }

ready() { "$BIN/pg_isready" -q -h "$HOST" -p "$PG_PORT" -t 1; }
# The socket directory is normally made by the init system, which may not exist here.
install -d -o postgres -g postgres -m 2775 /var/run/postgresql

if ready; then
    log "a server already answers on $HOST:$PG_PORT; reusing it"
elif [ "$PG_OWN_CLUSTER" != 1 ] && pg_lsclusters -h 2>/dev/null | awk -v v="$VERSION" '$1 == v && $2 == "main"' | grep -q .; then
    # The distribution's cluster (created by the package): listen on loopback, our port.
    conf="/etc/postgresql/$VERSION/main/postgresql.conf"
    sed -i -E "s/^#?listen_addresses\s*=.*/listen_addresses = '$HOST'/; s/^#?port\s*=.*/port = $PG_PORT/" "$conf"
    log "starting cluster $VERSION/main with pg_ctlcluster"
    pg_ctlcluster "$VERSION" main start >&2 || true
else
    # No cluster of the distribution's: our own data directory, started with pg_ctl.
    if [ ! -s "$PG_DATA/PG_VERSION" ]; then
        log "initdb $PG_DATA"
        install -d -o postgres -g postgres -m 700 "$PG_DATA"
        as_postgres "$BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=peer \
            --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >&2
    fi
    log "starting $PG_DATA with pg_ctl"
    as_postgres "$BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 \
        -o "-c listen_addresses=$HOST -c port=$PG_PORT -c unix_socket_directories=/var/run/postgresql" \
        start >&2
fi

for _ in $(seq 1 60); do
    ready && break
    sleep 1
done
ready || die "PostgreSQL did not start on $HOST:$PG_PORT"

PORT_ARGS=(-p "$PG_PORT")
psql_admin() { as_postgres "$BIN/psql" "${PORT_ARGS[@]}" -v ON_ERROR_STOP=1 -qAtX "$@"; }

if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != 1 ]; then
    log "creating role $PG_USER"
    psql_admin -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'"
else
    psql_admin -c "ALTER ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != 1 ]; then
    log "creating database $PG_DB"
    psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_USER ENCODING 'UTF8' TEMPLATE template0"
fi
# The tests create and drop one schema per test in this database.
psql_admin -d "$PG_DB" -c "GRANT CREATE ON DATABASE $PG_DB TO $PG_USER"

URL="postgresql+psycopg://$PG_USER:$PG_PASSWORD@$HOST:$PG_PORT/$PG_DB"
PGPASSWORD="$PG_PASSWORD" "$BIN/psql" -h "$HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" \
    -qAtX -c "SELECT 1" >/dev/null || die "cannot log in as $PG_USER over TCP"
log "ready: PostgreSQL $VERSION on $HOST:$PG_PORT, database $PG_DB"
echo "$URL"

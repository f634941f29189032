#!/usr/bin/env bash
# Starts what the tests need that npm does not install: a throwaway PostgreSQL server for @conecta/store-postgres.
# Writes the connection settings to .ci/env, which .ci/run sources before the tests. Safe to run again: a server
# already answering on the port is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_HOST=127.0.0.1
PG_PORT="${CONECTA_PG_PORT:-55432}"
PG_USER=conecta
PG_PASSWORD=conecta
PG_DATABASE=conecta_test
PG_DATA="${CONECTA_PG_DATA:-/tmp/conecta-pg-$PG_PORT}"
PG_URL="postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DATABASE"

log() { echo "services: $*"; }

# The binaries: on PATH (some images link them into /usr/local/bin), else Debian's versioned directory, else install.
find_bindir() {
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
  log "no PostgreSQL server binaries found; installing Debian's postgresql package"
  as_root apt-get update
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y --no-install-recommends postgresql
  BINDIR="$(find_bindir)"
fi
log "PostgreSQL binaries in $BINDIR"

# psql with the password set, against the server on our port (TCP, as the tests connect).
pg_query() {
  PGPASSWORD="$PG_PASSWORD" "$BINDIR/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -v ON_ERROR_STOP=1 -qtA "$@"
}

write_env() {
  printf 'CONECTA_PG_URL=%s\n' "$PG_URL" > .ci/env
  log "wrote .ci/env (CONECTA_PG_URL=$PG_URL)"
}

ensure_database() {
  if [ "$(pg_query -d postgres -c "select 1 from pg_database where datname = '$PG_DATABASE'")" != "1" ]; then
    pg_query -d postgres -c "create database $PG_DATABASE"
  fi
}

if "$BINDIR/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT"; then
  log "a server already answers on $PG_HOST:$PG_PORT; reusing it"
  ensure_database
  write_env
  exit 0
fi

# PostgreSQL refuses to run as root: run it as the `postgres` system user (created when missing).
if [ "$(id -u)" -eq 0 ]; then
  RUN_USER=postgres
  id -u "$RUN_USER" >/dev/null 2>&1 || useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$RUN_USER"
  run_pg() { runuser -u "$RUN_USER" -- "$@"; }
else
  RUN_USER="$(id -un)"
  run_pg() { "$@"; }
fi

if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  log "initialising a data directory in $PG_DATA"
  rm -rf "$PG_DATA"
  mkdir -p "$PG_DATA"
  pwfile="$(mktemp)"
  printf '%s\n' "$PG_PASSWORD" > "$pwfile"
  if [ "$(id -u)" -eq 0 ]; then chown "$RUN_USER" "$PG_DATA" "$pwfile"; fi
  chmod 700 "$PG_DATA"
  run_pg "$BINDIR/initdb" -D "$PG_DATA" -U "$PG_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi
if [ "$(id -u)" -eq 0 ]; then chown -R "$RUN_USER" "$PG_DATA"; fi

# A throwaway test server: durability settings off trade crash safety for speed, which tests do not need.
log "starting PostgreSQL on $PG_HOST:$PG_PORT as $RUN_USER"
run_pg "$BINDIR/pg_ctl" -D "$PG_DATA" -l "$PG_DATA/server.log" -w -t 60 start \
  -o "-c listen_addresses=$PG_HOST -p $PG_PORT -c unix_socket_directories=$PG_DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  >/dev/null || { tail -n 30 "$PG_DATA/server.log" >&2 || true; exit 1; }

for _ in $(seq 1 60); do
  "$BINDIR/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" && break
  sleep 0.5
done
"$BINDIR/pg_isready" -h "$PG_HOST" -p "$PG_PORT"

ensure_database
write_env

#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite. Needs the server binaries (Debian:
# `apt-get install -y postgresql`); installs nothing itself.
#
#   eval "$(scripts/pg-test-cluster.sh start)"   # exports FQL_TEST_PG and FQL_PG_CLUSTER_DIR
#   scripts/pg-test-cluster.sh stop              # stops it and removes its directory
#   eval "$(scripts/pg-test-cluster.sh replica)" # adds a streaming standby (pg_basebackup -R):
#                                                # exports FQL_TEST_PG_REPLICA, FQL_PG_REPLICA_DIR
#   scripts/pg-test-cluster.sh replica-stop      # stops the standby ($FQL_PG_REPLICA_DIR)
#
# `start` prints only the export lines on stdout (progress goes to stderr). `stop` finds the
# cluster through $FQL_PG_CLUSTER_DIR, else the state file written by the last `start`; it also
# stops the cluster's standbys. `replica` needs $FQL_PG_CLUSTER_DIR and prints only its exports.
# Environment: PG_BIN (directory with initdb/pg_ctl; default: newest /usr/lib/postgresql/*/bin),
# PG_TEST_USER (account that runs the server when invoked as root; default: postgres).
set -euo pipefail

STATE_FILE="${TMPDIR:-/tmp}/fql-pg-test-cluster.dir"
DB_NAME=fql_test

log() { echo "pg-test-cluster: $*" >&2; }
die() { log "$*"; exit 1; }

find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then echo "$PG_BIN"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$dir" ]] || dir=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  [[ -x "$dir/initdb" ]] || die "PostgreSQL server binaries not found (apt-get install -y postgresql, or set PG_BIN)"
  echo "$dir"
}

# Runs a command as the unprivileged account when we are root (postgres refuses to run as root).
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u "${PG_TEST_USER:-postgres}" -- "$@"
  else
    "$@"
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Starts the server of data directory $2/data (socket and log in $2) on a free random port,
# retrying up to ten times; extra server options in $3. Sets STARTED_PORT.
start_on_free_port() {
  local bin="$1" dir="$2" options="$3" port attempt
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 20 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 $options" start >&2; then
      STARTED_PORT=$port
      return 0
    fi
    log "start on port $port failed (attempt $attempt), retrying"
    tail -n 5 "$dir/server.log" >&2 || true
  done
  return 1
}

start() {
  local bin dir port
  bin=$(find_bin)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/fql-pg.XXXXXX")
  if [[ $(id -u) -eq 0 ]]; then
    id "${PG_TEST_USER:-postgres}" >/dev/null 2>&1 || die "user ${PG_TEST_USER:-postgres} does not exist (set PG_TEST_USER)"
    chown "${PG_TEST_USER:-postgres}" "$dir"
  fi
  chmod 700 "$dir"
  echo "$dir" >"$STATE_FILE"

  # --no-sync and fsync=off: the cluster is disposable, speed matters more than crash safety.
  # Replication (for `replica`): wal_level=replica and wal senders (PostgreSQL's defaults, stated
  # here because standbys depend on them), and pg_hba trusts replication connections from
  # 127.0.0.1 (initdb --auth=trust writes that entry; checked below).
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$dir/data/pg_hba.conf" \
    || echo "host replication all 127.0.0.1/32 trust" >>"$dir/data/pg_hba.conf"

  start_on_free_port "$bin" "$dir" "-c full_page_writes=off -c wal_level=replica -c max_wal_senders=10" \
    || die "could not start the server"
  port=$STARTED_PORT
  as_owner "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
    -c "CREATE DATABASE $DB_NAME" >&2 || die "could not create database $DB_NAME"
  echo "$port" >"$dir/port"
  log "running on 127.0.0.1:$port, directory $dir"
  echo "export FQL_TEST_PG=postgres://postgres@127.0.0.1:$port/$DB_NAME"
  echo "export FQL_PG_CLUSTER_DIR=$dir"
}

# A hot standby of the running cluster: a base backup with -R (standby.signal and
# primary_conninfo written for us), started on its own port. It lives inside the cluster's
# directory, so `stop` removes it too.
replica() {
  local bin dir port rdir
  dir="${FQL_PG_CLUSTER_DIR:-}"
  [[ -n "$dir" && -f "$dir/port" ]] || die "replica: set FQL_PG_CLUSTER_DIR to a cluster made by 'start'"
  bin=$(find_bin)
  port=$(cat "$dir/port")
  rdir=$(mktemp -d "$dir/replica.XXXXXX")
  if [[ $(id -u) -eq 0 ]]; then chown "${PG_TEST_USER:-postgres}" "$rdir"; fi
  chmod 700 "$rdir"
  as_owner "$bin/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$rdir/data" -R -X stream --checkpoint=fast --no-sync >&2 \
    || die "pg_basebackup failed"
  # max_connections (200, as the primary's) must be at least the primary's for a hot standby.
  start_on_free_port "$bin" "$rdir" "-c hot_standby=on" || die "could not start the standby"
  log "standby running on 127.0.0.1:$STARTED_PORT, directory $rdir"
  echo "export FQL_TEST_PG_REPLICA=postgres://postgres@127.0.0.1:$STARTED_PORT/$DB_NAME"
  echo "export FQL_PG_REPLICA_DIR=$rdir"
}

replica_stop() {
  local bin rdir
  rdir="${FQL_PG_REPLICA_DIR:-}"
  [[ -n "$rdir" && -d "$rdir" ]] || { log "no standby to stop"; return 0; }
  case "$rdir" in */fql-pg.*/replica.*) ;; *) die "refusing to remove unexpected directory $rdir" ;; esac
  bin=$(find_bin)
  if [[ -f "$rdir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$rdir/data" -m immediate -w stop >&2 || log "pg_ctl stop failed"
  fi
  rm -rf "$rdir"
  log "stopped and removed standby $rdir"
}

stop() {
  local bin dir rdir
  dir="${FQL_PG_CLUSTER_DIR:-}"
  [[ -n "$dir" ]] || dir=$(cat "$STATE_FILE" 2>/dev/null || true)
  [[ -n "$dir" && -d "$dir" ]] || { log "no cluster to stop"; return 0; }
  case "$dir" in */fql-pg.*) ;; *) die "refusing to remove unexpected directory $dir" ;; esac
  bin=$(find_bin)
  for rdir in "$dir"/replica.*; do
    [[ -d "$rdir" ]] && FQL_PG_REPLICA_DIR="$rdir" replica_stop
  done
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 || log "pg_ctl stop failed"
  fi
  rm -rf "$dir"
  if [[ "$(cat "$STATE_FILE" 2>/dev/null || true)" == "$dir" ]]; then rm -f "$STATE_FILE"; fi
  log "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  replica) replica ;;
  replica-stop) replica_stop ;;
  *) echo "usage: $0 start|stop|replica|replica-stop" >&2; exit 2 ;;
esac

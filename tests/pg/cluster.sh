#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS 3 cluster for the tests that run on the PostGIS store (CTest fixture
# pg_cluster, CMakeLists.txt): `start STATE_DIR` runs initdb in a temp directory, starts the server on a free
# port (as `nobody` when root: PostgreSQL refuses to run as root), creates the database with PostGIS and
# writes its conninfo to STATE_DIR/conninfo; `stop STATE_DIR` stops it and removes everything — CTest runs
# it also when tests failed. Fails (never skips) when PostgreSQL or PostGIS is missing.
set -euo pipefail
cmd="${1:?start|stop}" state="${2:?state dir}"
pgbin=/usr/lib/postgresql/15/bin
as_pg=() pguser="$(id -un)"
if ((EUID == 0)); then as_pg=(runuser -u nobody --) pguser=nobody; fi

stop() {
  [[ -f "$state/dir" ]] || return 0
  local dir; dir="$(cat "$state/dir")"
  if [[ -f "$dir/data/postmaster.pid" ]]; then "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir" "$state"
}

case "$cmd" in
  stop) stop; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop STATE_DIR" >&2; exit 2 ;;
esac
[[ -x $pgbin/initdb && -f /usr/share/postgresql/15/extension/postgis.control ]] ||
  { echo "PostgreSQL 15 / PostGIS 3 missing: run scripts/install_deps.sh (postgresql-15 postgresql-15-postgis-3)" >&2; exit 1; }
stop  # what an interrupted run left
mkdir -p "$state"
dir="$(mktemp -d /tmp/minplan-pgtest.XXXXXX)"
echo "$dir" >"$state/dir"
chmod 755 "$dir"
mkdir -p "$dir/sock"
if ((EUID == 0)); then chown nobody "$dir" "$dir/sock"; fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; stop; exit 1; }
cat >>"$dir/data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
  { cat "$dir/server.log" >&2; stop; exit 1; }
psql=(/usr/bin/psql -X -q -v ON_ERROR_STOP=1 -h "$dir/sock" -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE minplan_test" &&
  "${psql[@]}" -d minplan_test -c "CREATE EXTENSION postgis" &&
  "${psql[@]}" -d postgres -c "CREATE DATABASE minplan_nopostgis" ||
  { cat "$dir/server.log" >&2; stop; exit 1; }
echo "host=127.0.0.1 port=$port dbname=minplan_test user=postgres" >"$state/conninfo"
echo "pg_cluster: PostgreSQL on port $port ($dir)"

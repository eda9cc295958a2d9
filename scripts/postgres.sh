# Sourced by scripts/run and scripts/test: starts (or reuses) a private PostgreSQL cluster for this checkout.
# After `courses_postgres_up`, COURSES_PG_PORT and COURSES_PG_HOST are set.

courses_repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

courses_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

courses_pg_install() {
  courses_pg_bin >/dev/null && return 0
  echo "PostgreSQL is not installed; installing it with apt-get..." >&2
  if [ "$(id -u)" -ne 0 ]; then echo "Install PostgreSQL (apt-get install postgresql) and run again." >&2; return 1; fi
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  courses_pg_bin >/dev/null
}

# Runs a PostgreSQL tool as an unprivileged user: postgres refuses to run as root.
courses_pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The cluster lives in the checkout (git-ignored) unless the postgres user cannot reach it (e.g. under /root).
courses_pg_dir() {
  local root dir
  root=$(courses_repo_root)
  dir="$root/.data/postgres"
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$root" 2>/dev/null; then
    dir="/tmp/courses-postgres-$(printf '%s' "$root" | sha1sum | cut -c1-12)"
  fi
  echo "$dir"
}

courses_port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

courses_postgres_up() {
  courses_pg_install || return 1
  local bin dir port
  bin=$(courses_pg_bin)
  dir=$(courses_pg_dir)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"

  if [ ! -f "$dir/data/PG_VERSION" ]; then
    echo "Initialising a private PostgreSQL cluster in $dir ..." >&2
    courses_pg_as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; return 1; }
  fi

  if courses_pg_as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    port=$(cat "$dir/port")
  else
    port=${COURSES_PG_PORT:-55432}
    while ! courses_port_free "$port"; do port=$((port + 1)); done
    courses_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_preload_libraries=pg_stat_statements -c fsync=${COURSES_PG_FSYNC:-on}" >/dev/null \
      || { tail -20 "$dir/postgres.log" >&2; return 1; }
    echo "$port" >"$dir/port"
    COURSES_PG_STARTED=1
    echo "PostgreSQL started on 127.0.0.1:$port (data in $dir/data)." >&2
  fi
  COURSES_PG_HOST=127.0.0.1
  COURSES_PG_PORT=$port
  COURSES_PG_STARTED=${COURSES_PG_STARTED:-0}
  export COURSES_PG_HOST COURSES_PG_PORT COURSES_PG_STARTED
}

courses_postgres_down() {
  local bin dir
  bin=$(courses_pg_bin) || return 0
  dir=$(courses_pg_dir)
  [ -f "$dir/data/PG_VERSION" ] && courses_pg_as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1
  return 0
}

courses_connection_string() {
  echo "Host=$COURSES_PG_HOST;Port=$COURSES_PG_PORT;Username=postgres;Database=$1"
}

courses_create_database() {
  local bin
  bin=$(courses_pg_bin)
  "$bin/psql" -h "$COURSES_PG_HOST" -p "$COURSES_PG_PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1 \
    || "$bin/psql" -h "$COURSES_PG_HOST" -p "$COURSES_PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE \"$1\"" >/dev/null
}

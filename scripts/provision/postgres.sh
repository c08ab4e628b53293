# Finds a PostgreSQL server for the tests and exports its URL as DATABASE_URL.
# Sourced by scripts/test (or by hand: `source scripts/provision/postgres.sh`).
#
# 1. DATABASE_URL, when it is set, is used as it is.
# 2. Else a server on 127.0.0.1:5432 that answers is used (user postgres, database
#    test or postgres, trust authentication).
# 3. Else a throwaway server is started from the installed binaries (initdb, pg_ctl)
#    in a temporary folder on a free port, and stopped when the calling shell exits;
#    the Debian package is installed first when the binaries are missing and apt-get
#    can run.
# 4. Else it fails, naming what is missing.

provision_postgres() {
    if [ -n "${DATABASE_URL:-}" ]; then
        echo "==> PostgreSQL: using DATABASE_URL"
        return 0
    fi

    if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
        local url
        for url in postgres://postgres@127.0.0.1:5432/test postgres://postgres@127.0.0.1:5432/postgres; do
            if ! command -v psql >/dev/null || psql "$url" -qAtc 'select 1' >/dev/null 2>&1; then
                export DATABASE_URL="$url"
                echo "==> PostgreSQL: using the local server ($url)"
                return 0
            fi
        done
    fi

    local bindir=""
    find_pg_bin() {
        if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
            bindir="$(dirname "$(command -v initdb)")"
            return 0
        fi
        local dir
        for dir in /usr/lib/postgresql/*/bin; do
            if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
                bindir="$dir"
            fi
        done
        [ -n "$bindir" ]
    }
    if ! find_pg_bin; then
        if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
            echo "==> PostgreSQL: installing the Debian package (apt-get install postgresql)"
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null \
                || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null; } \
                || true
        fi
        if ! find_pg_bin; then
            echo "error: the PostgreSQL tests need a server: set DATABASE_URL, run one on 127.0.0.1:5432, or install PostgreSQL (initdb and pg_ctl were not found, and apt-get could not install them)" >&2
            return 1
        fi
    fi

    local port
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)"
    local dir
    dir="$(mktemp -d "${TMPDIR:-/tmp}/feathers-pg.XXXXXX")"
    # initdb refuses to run as root: run the server as the postgres user then.
    local run=()
    if [ "$(id -u)" = 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "error: running as root, and there is no 'postgres' user to run a throwaway PostgreSQL as" >&2
            return 1
        fi
        chown postgres "$dir"
        run=(runuser -u postgres --)
    fi
    echo "==> PostgreSQL: starting a throwaway server on 127.0.0.1:$port ($dir)"
    if ! "${run[@]}" "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust >"$dir/initdb.log" 2>&1; then
        echo "error: initdb failed; see $dir/initdb.log" >&2
        return 1
    fi
    if ! "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null; then
        echo "error: the throwaway PostgreSQL did not start; see $dir/server.log" >&2
        return 1
    fi
    FEATHERS_PG_STOP=("${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop)
    trap '"${FEATHERS_PG_STOP[@]}" >/dev/null 2>&1; rm -rf "'"$dir"'"' EXIT
    export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

provision_postgres || exit 1

#!/usr/bin/env bash
# The SQL adapter against FeathersJS 5 + @feathersjs/knex (better-sqlite3 and pg from
# npm), on SQLite and on PostgreSQL, plus the same find straight through sqlx. Finds or
# starts PostgreSQL (scripts/provision/postgres.sh), installs the Feathers server from
# npm (bench/feathers-sql, pinned by its package-lock.json; better-sqlite3 compiles
# SQLite when no prebuilt binary can be downloaded, which takes minutes once), builds
# the Rust side in release, pins each server to CPU 0 and the load generator to CPU 1,
# and prints one table. The full run (about three minutes) writes
# bench/results/sql.md; --smoke runs each scenario for a second and writes to
# target/bench-smoke/.
#
# Usage: bench/sql.sh [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node npm cargo taskset; do
    command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

source scripts/provision/postgres.sh

# npm ci deletes node_modules: only when the lock file changed since the last install.
if [ ! -f bench/feathers-sql/node_modules/.package-lock.json ] \
    || [ bench/feathers-sql/package-lock.json -nt bench/feathers-sql/node_modules/.package-lock.json ]; then
    echo "==> npm ci --prefix bench/feathers-sql (FeathersJS 5 + @feathersjs/knex)" >&2
    # better-sqlite3 builds from source against the installed Node headers when its
    # prebuilt binary cannot be downloaded.
    if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
    npm ci --prefix bench/feathers-sql --no-audit --no-fund --loglevel=error >&2
fi

echo "==> cargo build --release -p bench" >&2
cargo build --release --locked -p bench >&2

if [ "$(nproc)" -ge 2 ]; then
    taskset -c 1 target/release/sql_versus --server-cpu 0 "$@"
else
    echo "warning: one core only: server and load generator share it, the ratios mean little" >&2
    target/release/sql_versus --server-cpu none "$@"
fi

#!/usr/bin/env bash
# The chat example against its FeathersJS 5 twin (bench/feathers-chat: what
# `npm create feathers` gives for it: Koa, @feathersjs/knex on SQLite, local and jwt
# logins). Installs the twin from npm (pinned by its package-lock.json; better-sqlite3
# compiles SQLite when no prebuilt binary can be downloaded), builds the chat and the
# load generator in release, pins each server to CPU 0 and the load generator to CPU 1,
# and prints one table. The full run (about two minutes) writes bench/results/chat.md;
# --smoke runs each scenario for a second and writes to target/bench-smoke/.
#
# Usage: bench/chat.sh [--smoke] [--messages N]
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node npm cargo taskset; do
    command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

if [ ! -f bench/feathers-chat/node_modules/.package-lock.json ] \
    || [ bench/feathers-chat/package-lock.json -nt bench/feathers-chat/node_modules/.package-lock.json ]; then
    echo "==> npm ci --prefix bench/feathers-chat (the FeathersJS 5 twin of the chat)" >&2
    if [ -f /usr/include/node/node.h ]; then export npm_config_nodedir=/usr; fi
    npm ci --prefix bench/feathers-chat --no-audit --no-fund --loglevel=error >&2
fi

# A thousand sockets on each side, and the servers' ends of them.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "==> cargo build --release -p chat -p bench" >&2
cargo build --release --locked -p chat -p bench >&2

if [ "$(nproc)" -ge 2 ]; then
    exec taskset -c 1 target/release/chat_versus --server-cpu 0 "$@"
fi
echo "warning: one core only: server and load generator share it, the ratios mean little" >&2
exec target/release/chat_versus --server-cpu none "$@"

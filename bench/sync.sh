#!/usr/bin/env bash
# Events shared through Redis (issue 14): a crowd of Socket.io clients on a second
# instance, creates on the first; one feathers-rs instance (baseline), two feathers-rs
# instances with feathers-sync, and two FeathersJS 5 instances with feathers-sync 3.1.1,
# in one run. Writes bench/results/sync.md.
#
# Usage: bench/sync.sh [--clients N] [--seconds S]
# Redis: REDIS_URL, else 127.0.0.1:6379, else a redis-server it starts.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node npm cargo taskset; do
    command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "==> npm ci --prefix bench/feathers (FeathersJS 5 server with feathers-sync)" >&2
npm ci --prefix bench/feathers --no-audit --no-fund --loglevel=error >&2

echo "==> cargo build --release -p bench" >&2
cargo build --release --locked -p bench >&2

if [ "$(nproc)" -ge 2 ]; then
    exec taskset -c 1 target/release/sync_versus --server-cpu 0 --out bench/results/sync.md "$@"
else
    exec target/release/sync_versus --server-cpu none --out bench/results/sync.md "$@"
fi

#!/usr/bin/env bash
# The time of one call: one client, REST one request at a time on keep-alive and one
# Socket.io connection with 1, 2, 8 and 32 calls in flight, against FeathersJS 5,
# feathers-rs and socketioxide (the servers of bench/run.sh). Installs the Feathers
# server from npm (bench/feathers, pinned by its package-lock.json), builds the Rust
# side in release, pins each server to CPU 0 and the client to CPU 1, and prints one
# table. The full run (about two minutes) writes bench/results/latency.md; --smoke
# makes 1,000 calls per row and writes to target/bench-smoke/.
#
# Usage: bench/latency.sh [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node npm cargo taskset; do
    command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

if [ ! -f bench/feathers/node_modules/.package-lock.json ] \
    || [ bench/feathers/package-lock.json -nt bench/feathers/node_modules/.package-lock.json ]; then
    echo "==> npm ci --prefix bench/feathers (FeathersJS 5 server)" >&2
    npm ci --prefix bench/feathers --no-audit --no-fund --loglevel=error >&2
fi

echo "==> cargo build --release -p bench" >&2
cargo build --release --locked -p bench >&2

if [ "$(nproc)" -ge 2 ]; then
    exec taskset -c 1 target/release/latency --server-cpu 0 "$@"
fi
echo "warning: one core only: server and client share it" >&2
exec target/release/latency --server-cpu none "$@"

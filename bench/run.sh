#!/usr/bin/env bash
# FeathersJS 5 and feathers-rs side by side (issue 7), then feathers-rs against its
# Rust peers: bare axum for REST, socketioxide for Socket.io (issue 16). Installs the
# Feathers server from npm (bench/feathers, pinned by its package-lock.json), builds
# the Rust side in release, pins each server to CPU 0 and the load generator to CPU 1,
# raises the open-file limit for 10,000 clients, and prints one table. The Rust
# servers run one tokio worker thread (TOKIO_WORKER_THREADS=1) on their one core;
# --threads default gives them one worker per core of the machine instead, as tokio's
# default runtime has on an unpinned process (results named *-multi-thread). The full run (about seven minutes on 2 cores, plus the first
# release build) writes bench/results/results.md and bench/results/fanout-latency.svg;
# --smoke (a minute or two) runs each scenario for a second and writes to
# target/bench-smoke/.
#
# Usage: bench/run.sh [--smoke] [--threads one|default]
# Only 127.0.0.1 is used. Run it on an otherwise idle machine: anything else running
# shows in the CPU table ("other processes' CPU") and marks the figures it spoiled (†).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node npm cargo taskset; do
    command -v "$tool" >/dev/null || { echo "error: $tool is needed" >&2; exit 1; }
done

# 10,000 clients on each side, plus the load connections.
want=65536
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
ulimit -n "$want"
smoke=no
for arg in "$@"; do [ "$arg" = --smoke ] && smoke=yes; done
if [ "$want" -lt 10500 ] && [ "$smoke" = no ]; then
    echo "error: the open-file limit is $want; 10,000 clients need about 10,500 (raise the hard limit)" >&2
    exit 1
fi

echo "==> npm ci --prefix bench/feathers (FeathersJS 5 server)" >&2
npm ci --prefix bench/feathers --no-audit --no-fund --loglevel=error >&2

echo "==> cargo build --release -p bench" >&2
cargo build --release --locked -p bench >&2

if [ "$(nproc)" -ge 2 ]; then
    exec taskset -c 1 target/release/versus --server-cpu 0 "$@"
else
    echo "warning: one core only: server and load generator share it, the ratios mean little" >&2
    exec target/release/versus --server-cpu none "$@"
fi

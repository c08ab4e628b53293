#!/usr/bin/env bash
# Server memory per idle Socket.io client (issue: at most 6 KB at 5,000 clients).
# Usage: bench/idle-memory.sh [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
# Each process needs a descriptor per connection: raise the soft limit to the hard one.
ulimit -n "$(ulimit -Hn)"
need=$(( ${1:-5000} + 100 ))
[ "$(ulimit -n)" -ge "$need" ] || { echo "open-file limit $(ulimit -n) is below $need" >&2; exit 1; }
cargo build --release -p chat -p bench --quiet
exec target/release/idle_memory "${1:-5000}" target/release/chat

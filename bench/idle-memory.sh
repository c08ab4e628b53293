#!/usr/bin/env bash
# Server memory per idle Socket.io client (issue: at most 6 KB at 5,000 clients).
# Usage: bench/idle-memory.sh [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
want=65536
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
ulimit -n "$want"
cargo build --release -p chat -p bench --quiet
exec target/release/idle_memory "${1:-5000}" target/release/chat

# Sourced by scripts/test: makes sure Redis is there for the feathers-sync tests and
# exports REDIS_URL.
#
# - REDIS_URL when it is set;
# - else the local server on 127.0.0.1:6379 when it answers;
# - else a throwaway redis-server on a free port in a temporary folder, stopped when
#   the sourcing script exits.
# The outage tests start and stop a redis-server of their own in any case, so the
# binary must be installed: it is installed with apt-get when missing and possible.
# Anything else fails loudly, naming what is missing.

redis_answers() { # host port
  local reply=""
  { exec 3<>"/dev/tcp/$1/$2"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&- 3<&-
  [[ "$reply" == "+PONG"* ]]
}

if ! command -v redis-server >/dev/null; then
  if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
    echo "==> installing redis-server (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  command -v redis-server >/dev/null || {
    echo "error: redis-server is needed by the feathers-sync tests: install Redis (Debian: apt-get install redis-server)" >&2
    exit 1
  }
fi

if [[ -n "${REDIS_URL:-}" ]]; then
  echo "==> Redis: REDIS_URL=$REDIS_URL"
elif redis_answers 127.0.0.1 6379; then
  export REDIS_URL="redis://127.0.0.1:6379"
  echo "==> Redis: the local server on 127.0.0.1:6379"
else
  redis_dir="$(mktemp -d)"
  for _ in $(seq 1 50); do
    redis_port=$(( 20000 + RANDOM % 40000 ))
    # A port nothing listens on is free.
    (exec 3<>"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null || break
  done
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$redis_dir" >"$redis_dir/log" 2>&1 &
  redis_pid=$!
  trap 'kill "$redis_pid" 2>/dev/null; rm -rf "$redis_dir"' EXIT
  for _ in $(seq 1 100); do
    redis_answers 127.0.0.1 "$redis_port" && break
    sleep 0.1
  done
  redis_answers 127.0.0.1 "$redis_port" || {
    echo "error: the throwaway redis-server on port $redis_port did not start:" >&2
    cat "$redis_dir/log" >&2
    exit 1
  }
  export REDIS_URL="redis://127.0.0.1:$redis_port"
  echo "==> Redis: a throwaway redis-server on port $redis_port"
fi

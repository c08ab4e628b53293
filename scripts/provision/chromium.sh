# Sourced by scripts/test: makes sure Debian's chromium is at /usr/bin/chromium for the
# browser tests of the chat (driven by playwright-core, which downloads no browser).
#
# - CHROMIUM_PATH when it is set and executable;
# - else /usr/bin/chromium;
# - else installs the Debian package with apt-get when apt-get can run;
# - else fails loudly, naming what is missing.

if [[ -n "${CHROMIUM_PATH:-}" && -x "${CHROMIUM_PATH}" ]]; then
  echo "==> Chromium: CHROMIUM_PATH=$CHROMIUM_PATH"
else
  if [[ ! -x /usr/bin/chromium ]]; then
    if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
      echo "==> installing chromium (apt-get)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
  fi
  if [[ ! -x /usr/bin/chromium ]]; then
    echo "error: the chat's browser tests need Chromium at /usr/bin/chromium: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH" >&2
    exit 1
  fi
  export CHROMIUM_PATH=/usr/bin/chromium
  echo "==> Chromium: $CHROMIUM_PATH"
fi

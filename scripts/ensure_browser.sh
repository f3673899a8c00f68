#!/usr/bin/env bash
# Installs what the browser tests need (Debian's Chromium and a CJK font) when it is missing.
# Needs root and apt-get; elsewhere it says so and the browser tests skip (CI=true fails them).
set -euo pipefail
have_font() { fc-list 2>/dev/null | grep -qi "noto.*cjk"; }
if { [[ -n "${CHROMIUM_PATH:-}" ]] || command -v chromium >/dev/null 2>&1; } && have_font; then
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Chromium and fonts-noto-cjk for the browser tests (apt-get)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
else
  echo "WARNING: no Chromium (or no CJK font) and no root apt-get here: browser tests will skip." >&2
  echo "         Install Debian's 'chromium' and 'fonts-noto-cjk', or set CHROMIUM_PATH." >&2
fi

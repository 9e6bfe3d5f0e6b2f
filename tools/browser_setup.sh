#!/usr/bin/env bash
# Installs what the browser tests need, once: Debian's Chromium (Playwright never downloads a browser here)
# and the pinned Playwright client from requirements-browser.txt. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "browser_setup: /usr/bin/chromium is missing; install it as root: apt-get install chromium" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi
/usr/bin/chromium --version

# pip is quiet and quick when the pinned versions are already installed.
"$PY" -m pip install --disable-pip-version-check --no-input -q -r requirements-browser.txt
"$PY" -c 'import playwright, importlib.metadata as m; print("playwright", m.version("playwright"))'
